/**
 * A typed client of Podium's signaling WebSocket (docs/signaling.md): hello → welcome, join →
 * joined, requests matched to replies by requestId (with timeouts), and typed events for what the
 * server pushes (presence, tracks, server SDP offers). Runs in browsers (global WebSocket) and in
 * Node (pass `ws`'s WebSocket). One client is one connection: reconnecting (RoomConnection) opens a
 * new one and joins again.
 */
import {
  PROTOCOL_VERSION, parseServerMessage, type ClientMessage, type ErrorMessage, type JoinedMessage, type RoomEventMessage,
  type ServerMessage, type ServerMessageOf, type ServerMessageType, type WelcomeMessage,
} from '@podium/protocol';

/** The subset of the WebSocket API used here (browser WebSocket and `ws` both have it). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

/** A WebSocket constructor (browser `WebSocket`, or `ws`'s default export in Node). */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** A request the server answered with an error: the registry code, message and details. */
export class SignalError extends Error {
  /** Registry code, e.g. FORBIDDEN. */
  readonly code: string;
  /** Details the server sent, if any. */
  readonly details: unknown;
  constructor(e: Pick<ErrorMessage, 'code' | 'message' | 'details'>) {
    super(e.message);
    this.name = 'SignalError';
    this.code = e.code;
    this.details = e.details;
  }
}

/** Room events the server pushes (lobby, lifecycle, chat, Q&A, polls, stage, documents, moderation…). */
export type RoomPushType = RoomEventMessage['type'];

/** Messages the server pushes without a request, by type. */
export type PushType =
  | 'participant-joined' | 'participant-left' | 'producer-added' | 'producer-removed' | 'producer-paused' | 'sdp-offer' | 'ice-candidate'
  | 'error' | RoomPushType;

/** Events of the client: pushed messages by type, every pushed message (`push`), and `close`. */
export type SignalingEvents = { [K in PushType]: (msg: ServerMessageOf<K>) => void } & {
  /** Every message the server pushed (not a reply to a request of ours), whatever its type. */
  push: (msg: ServerMessage) => void;
  close: (info: { code: number; reason: string }) => void;
};

/** Options of connect(). */
export interface SignalingClientOptions {
  /** WebSocket implementation; default `globalThis.WebSocket`. */
  WebSocket?: WebSocketConstructor;
  /** A request without reply for this long is rejected (ms). Default 15 s. */
  requestTimeoutMs?: number;
  /** Client name sent in hello (diagnostics only). */
  client?: string;
  /** Capabilities to announce. */
  capabilities?: string[];
}

/** Any client message without its requestId (added by request()). */
export type ClientRequest = ClientMessage extends infer M ? (M extends { requestId: string } ? Omit<M, 'requestId'> : never) : never;

interface Pending {
  resolve: (m: ServerMessage) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

const SIGNAL_PATH = '/api/v1/signal';

/** The typed signaling client (see file comment). */
export class SignalingClient {
  /** The server's welcome (participant id, capabilities, limits). */
  welcome!: WelcomeMessage;
  private readonly pending = new Map<string, Pending>();
  private readonly listeners = new Map<string, Set<(msg: never) => void>>();
  private nextId = 1;
  private closedInfo: { code: number; reason: string } | undefined;

  private constructor(private readonly ws: WebSocketLike, private readonly timeoutMs: number) {
    ws.onmessage = (ev) => this.onMessage(ev.data);
    ws.onclose = (ev) => this.onClose({ code: ev.code, reason: String(ev.reason ?? '') });
    ws.onerror = () => {};
  }

  /** Opens the WebSocket to `baseUrl` (http(s)://host:port of Podium) and says hello. */
  static async connect(baseUrl: string, opts: SignalingClientOptions = {}): Promise<SignalingClient> {
    const Ctor = opts.WebSocket ?? (globalThis as unknown as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Ctor) throw new Error('No WebSocket implementation: pass options.WebSocket.');
    const url = `${baseUrl.replace(/\/+$/, '').replace(/^http/, 'ws')}${SIGNAL_PATH}`;
    const ws = new Ctor(url);
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error('signaling connection failed'));
      ws.onclose = (ev) => reject(new Error(`signaling connection closed (${ev.code})`));
    });
    const client = new SignalingClient(ws, opts.requestTimeoutMs ?? 15_000);
    const welcome = await client.request({
      type: 'hello', protocolVersion: PROTOCOL_VERSION, capabilities: opts.capabilities ?? ['presence', 'media', 'simulcast'],
      ...(opts.client ? { client: opts.client } : {}),
    });
    client.welcome = welcome as WelcomeMessage;
    return client;
  }

  /** True while the socket is open. */
  get open(): boolean {
    return !this.closedInfo;
  }

  /** Joins the room of a join token (with the event password when the lobby asked for it); resolves with the room snapshot. */
  async join(token: string, opts: { password?: string } = {}): Promise<JoinedMessage> {
    return (await this.request({ type: 'join', token, ...(opts.password ? { password: opts.password } : {}) })) as JoinedMessage;
  }

  /** Round-trip time of a `ping` message, in milliseconds. */
  async ping(): Promise<number> {
    const t0 = Date.now();
    await this.request({ type: 'ping' });
    return Date.now() - t0;
  }

  /** How the socket closed, once it did. */
  get closeInfo(): { code: number; reason: string } | undefined {
    return this.closedInfo;
  }

  /** Leaves the room (the connection stays open). */
  async leave(): Promise<void> {
    await this.request({ type: 'leave' });
  }

  /** Sends a request and resolves with its reply; rejects with SignalError for an error reply. */
  request(msg: ClientRequest): Promise<ServerMessage> {
    if (this.closedInfo) return Promise.reject(new Error(`signaling closed (${this.closedInfo.code})`));
    const requestId = `c${this.nextId++}`;
    return new Promise<ServerMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`no reply to ${msg.type} within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(requestId, { resolve, reject, timer });
      this.ws.send(JSON.stringify({ ...msg, requestId }));
    });
  }

  /** Listens to a pushed message type (or close); returns a function that stops listening. */
  on<K extends keyof SignalingEvents>(type: K, listener: SignalingEvents[K]): () => void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    set.add(listener as (msg: never) => void);
    return () => set!.delete(listener as (msg: never) => void);
  }

  /** Closes the socket (1000) and waits until it is closed. */
  async close(): Promise<void> {
    if (this.closedInfo) return;
    const done = new Promise<void>((resolve) => this.on('close', () => resolve()));
    this.ws.close(1000);
    await done;
  }

  /** Drops the socket without a closing handshake where the implementation allows (tests: an abrupt disconnect). */
  terminate(): void {
    const t = (this.ws as unknown as { terminate?: () => void }).terminate;
    if (typeof t === 'function') t.call(this.ws);
    else this.ws.close(4999);
    // A browser socket whose peer is gone may take long to report its close: report it now.
    this.onClose({ code: 1006, reason: 'terminated' });
  }

  private emit(type: string, msg: unknown): void {
    for (const l of [...(this.listeners.get(type) ?? [])]) {
      try {
        (l as (m: unknown) => void)(msg);
      } catch {
        // A listener's failure must not stop the others or the socket.
      }
    }
  }

  private onMessage(data: unknown): void {
    const text = typeof data === 'string' ? data : String(data);
    const parsed = parseServerMessage(text);
    if (!parsed.ok) return;
    const msg = parsed.message;
    const requestId = 'requestId' in msg ? msg.requestId : undefined;
    if (requestId !== undefined && this.pending.has(requestId)) {
      const p = this.pending.get(requestId)!;
      this.pending.delete(requestId);
      clearTimeout(p.timer);
      if (msg.type === 'error') p.reject(new SignalError(msg));
      else p.resolve(msg);
      return;
    }
    this.emit(msg.type as ServerMessageType, msg);
    this.emit('push', msg);
  }

  private onClose(info: { code: number; reason: string }): void {
    if (this.closedInfo) return;
    this.closedInfo = info;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error(`signaling closed (${info.code})`));
    }
    this.pending.clear();
    this.emit('close', info);
  }
}
