// A stateless HTTP call: the caller's credentials go in explicitly and nothing the server answers
// (Set-Cookie, CSRF tokens) changes them, so one set of credentials can be replayed across many
// requests of a matrix or a fuzz run without a response of one cell leaking into the next.

/** Credentials and headers a caller sends with every request. */
export interface Credentials {
  /** e.g. `cookie` + `x-csrf-token`, or `authorization`. */
  headers: Record<string, string>;
  /** Query parameters added to every request (e.g. a join token as `?token=`). */
  query?: Record<string, string>;
}

/** One request. `body` is sent as JSON; `rawBody` is sent byte for byte with `contentType`. */
export interface HttpCall {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  rawBody?: string | Uint8Array<ArrayBuffer>;
  contentType?: string;
  credentials?: Credentials;
  headers?: Record<string, string>;
}

/** What came back: status, headers, text and the parsed JSON (undefined when not JSON). */
export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

/** The path with `:name` segments replaced by (URL-encoded) values. */
export function fillPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`no value for :${name} in ${path}`);
    return encodeURIComponent(v);
  });
}

/** Sends one request to the server at `baseUrl`. */
export async function httpCall(baseUrl: string, c: HttpCall): Promise<HttpResult> {
  const headers: Record<string, string> = { ...(c.credentials?.headers ?? {}), ...(c.headers ?? {}) };
  let payload: string | Uint8Array<ArrayBuffer> | undefined;
  if (c.rawBody !== undefined) {
    payload = c.rawBody;
    if (c.contentType !== undefined) headers['content-type'] = c.contentType;
  } else if (c.body !== undefined) {
    payload = JSON.stringify(c.body);
    headers['content-type'] = c.contentType ?? 'application/json';
  }
  const query = { ...(c.credentials?.query ?? {}), ...(c.query ?? {}) };
  const qs = new URLSearchParams(query).toString();
  const res = await fetch(baseUrl + c.path + (qs ? `?${qs}` : ''), {
    method: c.method,
    headers,
    body: payload,
    redirect: 'manual',
  });
  const text = await res.text();
  let json: unknown;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** The credentials of the session a sign-in/sign-up/accept response started (cookie + CSRF token). */
export function sessionCredentials(res: HttpResult): Credentials {
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('podium_session=') && c.length > 'podium_session='.length);
  const csrf = res.json?.csrfToken;
  if (!cookie || typeof csrf !== 'string') throw new Error(`no session in the response (status ${res.status}: ${res.text.slice(0, 200)})`);
  return { headers: { cookie, 'x-csrf-token': csrf } };
}
