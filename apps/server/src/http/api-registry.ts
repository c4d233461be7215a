import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  API_ROUTES, PodiumError, isId, roleAtLeast,
  type BodyOf, type OrgId, type OrgRole, type ParamsOf, type QueryOf, type ResponseOf, type RouteDef,
} from '@podium/protocol';
import type { AppContext } from '../context';
import { authenticate, roleInOrg } from '../accounts/authenticate';
import { API_KEY_ROLE, CSRF_HEADER, type Principal } from './principal';
import { markRawBody } from './body-parsing';
import { safeEqual } from '../security/secrets';

/** What a route handler receives: validated input and the authorized caller. */
export interface HandlerInput<R extends RouteDef> {
  params: ParamsOf<R>;
  query: QueryOf<R>;
  body: BodyOf<R>;
  principal: Principal;
  /** The caller's role in `params.orgId` for `org:*` routes (API keys count as admin). */
  orgRole: OrgRole | null;
  req: FastifyRequest;
  reply: FastifyReply;
}

/** Handles one route; returns the JSON response (or sends a non-JSON reply itself). */
export type RouteHandler<R extends RouteDef> = (input: HandlerInput<R>) => Promise<ResponseOf<R> | FastifyReply>;

const callers = new WeakMap<FastifyRequest, { principal: Principal; orgRole: OrgRole | null }>();

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** Registers the routes of the API catalogue, enforcing each route's access rule before its handler runs. */
export class ApiRegistry {
  private readonly registered = new Set<string>();

  constructor(private readonly app: FastifyInstance, private readonly ctx: AppContext) {}

  /** Registers the handler of `def`; every route in API_ROUTES must be handled exactly once. */
  handle<R extends RouteDef>(def: R, handler: RouteHandler<R>): void {
    if (this.registered.has(def.id)) throw new Error(`route ${def.id} registered twice`);
    this.registered.add(def.id);
    const ctx = this.ctx;
    this.app.route({
      method: def.method,
      url: def.path,
      schema: schemaOf(def),
      config: { rateLimited: def.rateLimited === true, rawBody: def.rawBody === true },
      ...(def.rawBody ? { onRequest: markRawBody } : {}),
      // Authorize before validating: a caller without access learns nothing about the input rules.
      preValidation: async (req) => {
        const principal = await authenticate(ctx, req);
        const orgRole = await authorize(ctx, def, principal, req);
        callers.set(req, { principal, orgRole });
      },
      handler: async (req, reply) => {
        const { principal, orgRole } = callers.get(req)!;
        const result = await handler({
          params: req.params as ParamsOf<R>,
          query: req.query as QueryOf<R>,
          body: req.body as BodyOf<R>,
          principal,
          orgRole,
          req,
          reply,
        });
        if (reply.sent) return reply;
        if (result === reply) return reply;
        reply.status(def.successStatus ?? 200);
        return result;
      },
    });
  }

  /** Route ids of the catalogue that no handler was registered for. */
  missing(): string[] {
    return API_ROUTES.filter((r) => !this.registered.has(r.id)).map((r) => r.id);
  }
}

/** Checks the route's access rule and CSRF; returns the caller's org role for `org:*` routes. */
async function authorize(ctx: AppContext, def: RouteDef, principal: Principal, req: FastifyRequest): Promise<OrgRole | null> {
  if (principal.kind === 'user' && WRITE_METHODS.has(def.method) && def.access !== 'public') {
    const sent = req.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !safeEqual(sent, principal.csrfToken)) throw new PodiumError('CSRF_FAILED');
  }
  if (def.access === 'public') return null;
  if (principal.kind === 'anonymous') throw new PodiumError('UNAUTHENTICATED');
  if (def.access === 'user') {
    if (principal.kind !== 'user') throw new PodiumError('FORBIDDEN', 'This route needs a signed-in person, not an API key.');
    return null;
  }
  if (def.access === 'instance-admin') {
    if (principal.kind !== 'user' || !principal.isInstanceAdmin) throw new PodiumError('FORBIDDEN');
    return null;
  }
  const need = def.access.slice(4) as OrgRole;
  const orgId = (req.params as { orgId?: OrgId }).orgId;
  if (!orgId) throw new Error(`route ${def.id} has access ${def.access} but no :orgId`);
  // Checked before any lookup: a malformed id names no organization anyone belongs to, and must not reach SQL.
  if (!isId('org', orgId)) throw new PodiumError('FORBIDDEN');
  let role: OrgRole | null;
  if (principal.kind === 'apiKey') role = principal.orgId === orgId ? API_KEY_ROLE : null;
  else role = await roleInOrg(ctx, principal.userId, orgId);
  if (!role || !roleAtLeast(role, need)) throw new PodiumError('FORBIDDEN');
  return role;
}

/** The Fastify schema of a route, leaving out the parts it does not have. */
function schemaOf(def: RouteDef): Record<string, unknown> {
  const schema: Record<string, unknown> = {};
  if (def.params) schema.params = def.params;
  if (def.query) schema.querystring = def.query;
  if (def.body) schema.body = def.body;
  if (def.response) schema.response = { [def.successStatus ?? 200]: def.response };
  return schema;
}
