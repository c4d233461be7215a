import type { BodyOf, ErrorBody, ParamsOf, QueryOf, ResponseOf, RouteDef } from '@podium/protocol';

/** An error answered by the API, with its registry code. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: unknown) {
    super(message);
    this.name = 'ApiError';
  }
}

let csrfToken: string | null = null;

/** Remembers the CSRF token from the last `Me` response; sent back on every write. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The CSRF header for a write sent without `call` (an upload through XMLHttpRequest, for its progress events). */
export function csrfHeaders(): Record<string, string> {
  return csrfToken ? { 'x-csrf-token': csrfToken } : {};
}

/** Inputs of a call, typed from the route definition. */
export interface CallInput<R extends RouteDef> {
  params?: ParamsOf<R>;
  query?: QueryOf<R>;
  body?: BodyOf<R>;
  signal?: AbortSignal;
}

/** The URL of a route with its path parameters and query filled in. */
export function routeUrl<R extends RouteDef>(route: R, params?: ParamsOf<R>, query?: QueryOf<R>): string {
  let path = route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const v = (params as Record<string, string> | undefined)?.[name];
    if (v === undefined) throw new Error(`missing path parameter ${name} for ${route.id}`);
    return encodeURIComponent(v);
  });
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const qs = q.toString();
  if (qs) path += `?${qs}`;
  return path;
}

/** Calls an API route described in @podium/protocol; throws ApiError with the server's code on failure. */
export async function call<R extends RouteDef>(route: R, input: CallInput<R> = {}): Promise<ResponseOf<R>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (route.method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let body: string | undefined;
  if (route.body) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(input.body ?? {});
  }
  let res: Response;
  try {
    res = await fetch(routeUrl(route, input.params, input.query), {
      method: route.method,
      headers,
      body,
      credentials: 'same-origin',
      signal: input.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', 'The server cannot be reached. Check your connection.');
  }
  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (!res.ok) {
    const e = (data ?? {}) as Partial<ErrorBody>;
    throw new ApiError(res.status, e.code ?? 'INTERNAL', e.message ?? res.statusText, e.details);
  }
  if (data && typeof data === 'object' && 'csrfToken' in data && typeof (data as { csrfToken: unknown }).csrfToken === 'string') {
    setCsrfToken((data as { csrfToken: string }).csrfToken);
  }
  return data as ResponseOf<R>;
}
