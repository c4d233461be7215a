/**
 * Typed request/response over a message port (worker_threads, MessageChannel): request ids, a
 * pending map with per-request timeouts and a bound, every pending request rejected when the
 * channel closes, and one-way events from the server side. Errors cross as { code, message } and
 * come back as MediaError. Nothing here knows what the methods mean (see protocol.ts).
 */
import { MediaError, type MediaErrorCode, MEDIA_ERRORS } from '../transport/media-error';
import { type EventMap, TypedEmitter } from '../util/typed-emitter';

/** Method name → request and response shapes (checked against itself, so interfaces qualify). */
export type MethodMap<M> = { [K in keyof M]: { req: unknown; res: unknown } };

/** The subset of MessagePort / Worker / parentPort used here. */
export interface PortLike {
  /** Posts a structured-cloneable message. */
  postMessage(message: unknown): void;
  /** Subscribes to messages. */
  on(event: 'message', listener: (message: unknown) => void): unknown;
  /** Unsubscribes. */
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

type Wire =
  | { t: 'req'; id: number; method: string; data: unknown }
  | { t: 'res'; id: number; ok: true; data: unknown }
  | { t: 'res'; id: number; ok: false; error: { code: string; message: string } }
  | { t: 'evt'; event: string; data: unknown };

/** Options of an RpcClient. */
export interface RpcClientOptions {
  /** A request without answer for this long is rejected. Default 10 s. */
  timeoutMs?: number;
  /** Most requests in flight; more are rejected at once. Default 10 000. */
  maxPending?: number;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Client side: `request()` returns a promise settled by the server's response. */
export class RpcClient<M extends MethodMap<M>, E extends EventMap> extends TypedEmitter<E> {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private readonly timeoutMs: number;
  private readonly maxPending: number;

  /** Starts listening on `port`. */
  constructor(
    private readonly port: PortLike,
    options: RpcClientOptions = {},
  ) {
    super();
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxPending = options.maxPending ?? 10_000;
    port.on('message', this.onMessage);
  }

  /** Requests in flight. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Sends a request; rejects with MediaError on an error response, timeout (`timeoutMs`, default the client's) or close. */
  request<K extends keyof M & string>(method: K, data: M[K]['req'], timeoutMs = this.timeoutMs): Promise<M[K]['res']> {
    if (this.closed) return Promise.reject(new MediaError('WORKER_UNAVAILABLE'));
    if (this.pending.size >= this.maxPending) return Promise.reject(new MediaError('LIMIT_REACHED', 'Too many requests in flight.'));
    const id = this.nextId++;
    return new Promise<M[K]['res']>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new MediaError('WORKER_UNAVAILABLE', `No answer to ${method}.`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      try {
        this.port.postMessage({ t: 'req', id, method, data } satisfies Wire);
      } catch {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(new MediaError('BAD_REQUEST', 'The request cannot be sent to the worker.'));
      }
    });
  }

  /** Rejects every pending request and stops listening. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.port.off('message', this.onMessage);
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new MediaError('WORKER_UNAVAILABLE'));
    }
    this.pending.clear();
  }

  private readonly onMessage = (message: unknown): void => {
    const m = message as Wire;
    if (typeof m !== 'object' || m === null) return;
    if (m.t === 'res' && typeof m.id === 'number') {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.data);
      else {
        const code = (m.error?.code in MEDIA_ERRORS ? m.error.code : 'WORKER_UNAVAILABLE') as MediaErrorCode;
        const err = new MediaError(code);
        err.message = typeof m.error?.message === 'string' ? m.error.message : err.message;
        p.reject(err);
      }
    } else if (m.t === 'evt' && typeof m.event === 'string') {
      (this.emit as (event: string, ...args: unknown[]) => boolean)(m.event, m.data);
    }
  };
}

/** Handlers of a server: one per method. */
export type Handlers<M extends MethodMap<M>> = { [K in keyof M]: (data: M[K]['req']) => Promise<M[K]['res']> | M[K]['res'] };

/** Server side: validates the envelope, runs the handler, answers with its result or typed error. */
export class RpcServer<M extends MethodMap<M>, E extends EventMap> {
  private closed = false;

  /** Starts serving `port`. */
  constructor(
    private readonly port: PortLike,
    private readonly handlers: Handlers<M>,
  ) {
    port.on('message', this.onMessage);
  }

  /** Sends an event to the client. */
  emit<K extends keyof E & string>(event: K, data: E[K][0]): void {
    if (!this.closed) this.port.postMessage({ t: 'evt', event, data } satisfies Wire);
  }

  /** Stops serving. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.port.off('message', this.onMessage);
  }

  private readonly onMessage = (message: unknown): void => {
    const m = message as Wire;
    if (typeof m !== 'object' || m === null || m.t !== 'req' || typeof m.id !== 'number') return;
    const reply = (body: Wire) => {
      if (!this.closed) this.port.postMessage(body);
    };
    const handler =
      typeof m.method === 'string' && Object.hasOwn(this.handlers, m.method) ? (this.handlers[m.method as keyof M] as (data: never) => unknown) : undefined;
    if (!handler) {
      reply({ t: 'res', id: m.id, ok: false, error: { code: 'BAD_REQUEST', message: 'Unknown method.' } });
      return;
    }
    Promise.resolve()
      .then(() => handler((typeof m.data === 'object' && m.data !== null ? m.data : {}) as never))
      .then(
        (data) => reply({ t: 'res', id: m.id, ok: true, data }),
        (e: unknown) => {
          const error = e instanceof MediaError ? { code: e.code, message: e.message } : { code: 'BAD_REQUEST', message: 'The media request failed.' };
          reply({ t: 'res', id: m.id, ok: false, error });
        },
      );
  };
}
