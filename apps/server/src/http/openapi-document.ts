import { ERROR_CODES, ErrorBody, type Access, type RouteDef } from '@podium/protocol';
import type { TSchema } from '@sinclair/typebox';
import { CSRF_HEADER, SESSION_COOKIE } from './principal';

/** A JSON Schema as plain data (TypeBox's symbol keys removed). */
export type JsonSchema = Record<string, unknown>;

/** One operation of the OpenAPI document, with Podium's extensions the reference page reads. */
export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  security: Record<string, string[]>[];
  parameters?: OpenApiParameter[];
  requestBody?: { required: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, unknown>;
  /** Who may call (the route's access rule). */
  'x-podium-access': Access;
  /** Whether the strict per-IP limit applies. */
  'x-podium-rate-limited': boolean;
  /** Registry codes every caller of this operation should be ready for (domain codes come on top). */
  'x-podium-errors': string[];
}

/** A path, query or header parameter. */
export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  description?: string;
  schema: JsonSchema;
}

/** The OpenAPI 3.1 document of API v1. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string }[];
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
  };
}

/** What each access rule means, in words (used in the document and on the reference page). */
export const ACCESS_TEXT: Record<Access, string> = {
  public: 'Public: no sign-in needed.',
  user: 'A signed-in person (session cookie). API keys are refused.',
  'instance-admin': 'The administrator of this Podium installation (session cookie).',
  'org:host': 'A member of the organization with role host, admin or owner, or an API key of that organization.',
  'org:admin': 'A member of the organization with role admin or owner, or an API key of that organization.',
  'org:owner': 'An owner of the organization (session cookie). API keys act as admin and are refused.',
};

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** A TypeBox schema as plain JSON Schema: TypeBox marks schemas with symbol keys that JSON drops. */
export function jsonSchema(schema: TSchema): JsonSchema {
  return JSON.parse(JSON.stringify(schema)) as JsonSchema;
}

/** Fastify's `/orgs/:orgId` as OpenAPI's `/orgs/{orgId}`. */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parametersOf(schema: TSchema | undefined, where: 'path' | 'query'): OpenApiParameter[] {
  if (!schema) return [];
  const s = jsonSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, prop]) => ({
    name,
    in: where,
    required: where === 'path' || (s.required ?? []).includes(name),
    ...(typeof prop.description === 'string' ? { description: prop.description } : {}),
    schema: prop,
  }));
}

function securityOf(access: Access): Record<string, string[]>[] {
  if (access === 'public') return [];
  if (access === 'org:host' || access === 'org:admin') return [{ session: [] }, { apiKey: [] }];
  return [{ session: [] }];
}

/** The registry codes any call of this route may meet, from its shape and access rule. */
export function genericErrorsOf(def: RouteDef): string[] {
  const codes: string[] = [];
  if (def.params || def.query || def.body) codes.push('VALIDATION_FAILED');
  if (def.body) codes.push('BAD_JSON', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
  if (def.rawBody) codes.push('PAYLOAD_TOO_LARGE');
  if (def.access !== 'public') codes.push('UNAUTHENTICATED', 'FORBIDDEN');
  if (def.access !== 'public' && WRITE_METHODS.has(def.method)) codes.push('CSRF_FAILED');
  codes.push('RATE_LIMITED', 'INTERNAL');
  return codes;
}

function operationOf(def: RouteDef): OpenApiOperation {
  const parameters = [...parametersOf(def.params, 'path'), ...parametersOf(def.query, 'query')];
  if (def.access !== 'public' && WRITE_METHODS.has(def.method)) {
    parameters.push({
      name: CSRF_HEADER,
      in: 'header',
      required: false,
      description: 'Required when authenticated by the session cookie: the `csrfToken` of `GET /api/v1/auth/me`. Not used with API keys.',
      schema: { type: 'string' },
    });
  }
  const status = String(def.successStatus ?? 200);
  const success = def.response
    ? { description: 'Success', content: { 'application/json': { schema: jsonSchema(def.response) } } }
    : { description: 'Success', content: { [def.produces ?? 'application/octet-stream']: { schema: { type: 'string' } } } };
  const op: OpenApiOperation = {
    operationId: def.id,
    summary: def.summary,
    description: `Access: ${ACCESS_TEXT[def.access]}${def.rateLimited ? ' Strict per-IP rate limit.' : ''}`,
    tags: [def.tag],
    security: securityOf(def.access),
    responses: {
      [status]: success,
      '4XX': { $ref: '#/components/responses/Error' },
      '5XX': { $ref: '#/components/responses/Error' },
    },
    'x-podium-access': def.access,
    'x-podium-rate-limited': def.rateLimited === true,
    'x-podium-errors': genericErrorsOf(def),
  };
  if (parameters.length) op.parameters = parameters;
  if (def.body) op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(def.body) } } };
  if (def.rawBody) op.requestBody = { required: true, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary', description: 'the file itself' } } } };
  return op;
}

const DESCRIPTION = [
  'The REST API of Podium, a self-hosted webinar platform. Every request and response body is JSON',
  '(except file downloads). Browsers authenticate with the session cookie and send the CSRF token in',
  `\`${CSRF_HEADER}\` on writes; programs use an organization API key as \`Authorization: Bearer pdm_…\`.`,
  'Errors are `{ code, message, details? }` with a code from the error registry. Lists are paged with',
  '`limit` and `cursor` (pass the previous page\'s `nextCursor`). See /api/docs for a readable reference.',
].join(' ');

/** Builds the OpenAPI 3.1 document of the given routes (the API catalogue). */
export function buildOpenApiDocument(routes: readonly RouteDef[], opts: { publicUrl: string; version: string }): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const tags: string[] = [];
  for (const def of routes) {
    const path = toOpenApiPath(def.path);
    paths[path] ??= {};
    paths[path][def.method.toLowerCase()] = operationOf(def);
    if (!tags.includes(def.tag)) tags.push(def.tag);
  }
  const { $id: _id, ...errorBody } = jsonSchema(ErrorBody);
  return {
    openapi: '3.1.0',
    info: { title: 'Podium API', version: opts.version, description: DESCRIPTION },
    servers: [{ url: opts.publicUrl }],
    tags: tags.map((name) => ({ name })),
    paths,
    components: {
      schemas: {
        ErrorBody: errorBody,
        ErrorCode: { type: 'string', enum: [...ERROR_CODES], description: 'Every code of the error registry (docs/errors.md).' },
      },
      responses: {
        Error: {
          description: 'An error from the registry: `{ code, message, details? }`.',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
        },
      },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: `Session cookie set by sign-in; writes also need the \`${CSRF_HEADER}\` header.` },
        apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'pdm_…', description: 'Organization API key (acts as an admin of its organization).' },
      },
    },
  };
}
