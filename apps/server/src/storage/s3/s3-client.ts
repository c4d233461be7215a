/**
 * A minimal S3 REST client on node:http/https: builds path-style or virtual-host-style URLs for
 * any S3-compatible endpoint, signs every request with SigV4 (payloads hashed, so the service
 * verifies each body it receives), retries what is safe to retry, and turns S3's XML errors into
 * S3RequestError. Response bodies are handed over unread as streams.
 */
import { createHash } from 'node:crypto';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { EMPTY_SHA256, SigV4Signer, encodeKeyPath, type S3Credentials } from './sigv4';
import { xmlText } from './xml';

/** Where and as whom the client talks to S3. */
export interface S3ClientOptions {
  /** Base URL of the service, e.g. `https://s3.eu-central-1.amazonaws.com` or `http://127.0.0.1:9000` (no path). */
  endpoint: string;
  bucket: string;
  /** Signing region, e.g. `eu-central-1` (S3-compatible services often accept `us-east-1`). */
  region: string;
  credentials: S3Credentials;
  /** `https://endpoint/bucket/key` when true; `https://bucket.endpoint/key` (virtual-host style) when false. */
  pathStyle: boolean;
  /** The HTTP(S) agent (connection pool); a keep-alive one is made when absent. */
  agent?: http.Agent;
  /** A request whose socket stays idle this long fails (ms). */
  timeoutMs?: number;
  /** Current time, for signatures. */
  now?: () => Date;
}

/** One request to the bucket or to an object in it. */
export interface S3Request {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  /** Object key inside the bucket; absent for bucket-level operations (list, multipart uploads). */
  key?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** The whole body (parts and XML documents are small enough to hold). */
  body?: Buffer;
}

/** A response whose body has not been read. */
export interface S3Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: IncomingMessage;
}

/** S3 answered with an error status. */
export class S3RequestError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(`S3 ${status} ${code}: ${message}`);
    this.name = 'S3RequestError';
  }
}

/** Largest XML answer read into memory (list pages are far smaller). */
const MAX_XML_BYTES = 4 * 1024 * 1024;
const RETRIES = 2;
const RETRYABLE_NET = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EAI_AGAIN', 'ECONNABORTED']);

/** Reads a (small) body to text, failing past `max` bytes. */
export async function readText(body: IncomingMessage, max = MAX_XML_BYTES): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > max) {
      body.destroy();
      throw new S3RequestError(0, 'ResponseTooLarge', 'the service sent a larger answer than expected');
    }
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts).toString('utf8');
}

function isRetryable(err: unknown): boolean {
  if (err instanceof S3RequestError) return err.status >= 500 || err.code === 'RequestTimeout' || err.code === 'SlowDown';
  return RETRYABLE_NET.has((err as NodeJS.ErrnoException).code ?? '');
}

/** Talks to one bucket. */
export class S3Client {
  private readonly base: URL;
  private readonly signer: SigV4Signer;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;

  /** A client for `opts.bucket` at `opts.endpoint`. */
  constructor(private readonly opts: S3ClientOptions) {
    this.base = new URL(opts.endpoint);
    if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:') throw new TypeError('the S3 endpoint must be an http:// or https:// URL');
    this.transport = this.base.protocol === 'https:' ? https : http;
    this.agent = opts.agent ?? new this.transport.Agent({ keepAlive: true, maxSockets: 16 });
    this.signer = new SigV4Signer(opts.credentials, opts.region);
  }

  /** Sends a request; answers with a status of 300 or more (other than `accept`) become S3RequestError. Retries 5xx and dropped connections. */
  async send(req: S3Request, accept: number[] = []): Promise<S3Response> {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.once(req);
        if (res.status < 300 || accept.includes(res.status)) return res;
        throw await errorOf(res);
      } catch (err) {
        if (attempt >= RETRIES || !isRetryable(err)) throw err;
        await sleep(100 * 4 ** attempt);
      }
    }
  }

  /** Sends a request and reads its (XML) answer. */
  async sendForText(req: S3Request, accept: number[] = []): Promise<{ status: number; headers: IncomingHttpHeaders; text: string }> {
    const res = await this.send(req, accept);
    return { status: res.status, headers: res.headers, text: await readText(res.body) };
  }

  /** Closes idle pooled connections. */
  close(): void {
    if (!this.opts.agent) this.agent.destroy();
  }

  private once(req: S3Request): Promise<S3Response> {
    const host = this.opts.pathStyle ? this.base.host : `${this.opts.bucket}.${this.base.host}`;
    const keyPath = req.key === undefined ? '' : `/${encodeKeyPath(req.key)}`;
    const path = this.opts.pathStyle ? `/${encodeURIComponent(this.opts.bucket)}${keyPath}` : keyPath || '/';
    const query = req.query ?? {};
    const payloadHash = req.body ? createHash('sha256').update(req.body).digest('hex') : EMPTY_SHA256;
    const headers: Record<string, string> = { ...req.headers, host };
    if (req.body) headers['content-length'] = String(req.body.length);
    else if (req.method === 'PUT' || req.method === 'POST') headers['content-length'] = '0';
    Object.assign(headers, this.signer.sign({ method: req.method, path, query, headers, payloadHash }, this.opts.now?.() ?? new Date()));
    const search = Object.entries(query).map(([k, v]) => (v === '' ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)).join('&');
    return new Promise<S3Response>((resolve, reject) => {
      const r = this.transport.request({
        protocol: this.base.protocol,
        hostname: this.opts.pathStyle ? this.base.hostname : `${this.opts.bucket}.${this.base.hostname}`,
        port: this.base.port || undefined,
        method: req.method,
        path: search ? `${path}?${search}` : path,
        headers,
        agent: this.agent,
      }, (res) => {
        // The body of an answer is read at the pace of whoever reads it (a paused download must
        // not time out); a stall before the answer still does.
        if (req.method === 'GET') r.setTimeout(0);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res });
      });
      r.setTimeout(this.opts.timeoutMs ?? 60_000, () => r.destroy(Object.assign(new Error('S3 request timed out'), { code: 'ETIMEDOUT' })));
      r.on('error', reject);
      r.end(req.body);
    });
  }
}

/** The S3RequestError an error answer describes. */
async function errorOf(res: S3Response): Promise<S3RequestError> {
  const text = await readText(res.body).catch(() => '');
  const code = xmlText(text, 'Code') ?? (res.status === 404 ? 'NotFound' : `Http${res.status}`);
  return new S3RequestError(res.status, code, xmlText(text, 'Message') ?? 'no message');
}
