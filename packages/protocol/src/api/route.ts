import type { Static, TSchema } from '@sinclair/typebox';

/**
 * Who may call a route.
 * - `public`: anyone; - `user`: a signed-in person (session cookie);
 * - `instance-admin`: the person who administers this Podium installation;
 * - `org:host|admin|owner`: a member of the `:orgId` in the path with at least this role, or an API
 *   key of that organization (API keys act as `admin`, never as `owner`).
 */
export type Access = 'public' | 'user' | 'instance-admin' | 'org:host' | 'org:admin' | 'org:owner';

/** HTTP methods used by the API. */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** One REST route: the single description that drives validation, the server, the client and the OpenAPI document. */
export interface RouteDef<
  P extends TSchema | undefined = TSchema | undefined,
  Q extends TSchema | undefined = TSchema | undefined,
  B extends TSchema | undefined = TSchema | undefined,
  R extends TSchema | undefined = TSchema | undefined,
> {
  /** Stable operation id, e.g. `events.create`. */
  id: string;
  method: HttpMethod;
  /** Fastify-style path, e.g. `/api/v1/orgs/:orgId/events`. */
  path: string;
  summary: string;
  tag: string;
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * True for uploads: the request body is the raw bytes of a file (any Content-Type), streamed to
   * the handler unread and unbuffered. Such a route has no `body` schema; every other route reads JSON only.
   */
  rawBody?: boolean;
  /** Schema of a JSON success response; undefined for non-JSON responses (CSV, files). */
  response?: R;
  /** HTTP status of success (default 200). */
  successStatus?: number;
  /** Content type of a non-JSON success response. */
  produces?: string;
  /** True for routes whose per-IP rate limit is strict (sign-in, sign-up, registration). */
  rateLimited?: boolean;
}

type StaticOr<T, D> = [NonNullable<T>] extends [never] ? D : NonNullable<T> extends TSchema ? Static<NonNullable<T>> : D;
/** Path parameters of a route. */
export type ParamsOf<R extends RouteDef> = StaticOr<R['params'], Record<string, never>>;
/** Query parameters of a route. */
export type QueryOf<R extends RouteDef> = StaticOr<R['query'], Record<string, never>>;
/** Request body of a route. */
export type BodyOf<R extends RouteDef> = StaticOr<R['body'], undefined>;
/** JSON response of a route. */
export type ResponseOf<R extends RouteDef> = StaticOr<R['response'], unknown>;

/** Declares a route keeping its literal schema types. */
export function defineRoute<
  P extends TSchema | undefined = undefined,
  Q extends TSchema | undefined = undefined,
  B extends TSchema | undefined = undefined,
  R extends TSchema | undefined = undefined,
>(def: RouteDef<P, Q, B, R>): RouteDef<P, Q, B, R> {
  return def;
}
