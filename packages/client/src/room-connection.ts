/**
 * One participant's stay in a live room, across connections: connects, joins with the join token
 * (and the event password when the lobby asked for it), keeps the RoomModel current from every
 * pushed message, and when the connection drops for a reason that is not final, connects and joins
 * again with backoff (a new participant id each time; the model keeps what the client remembered).
 * Final outcomes — the event ended, removed, banned, refused in the lobby, a bad link, the room full
 * or locked — end the stay with a `failure` the UI can explain.
 *
 * Framework-free: listeners are told after every change; the web app reads `snapshot()` through
 * useSyncExternalStore. Media (RoomMedia) hangs on `onSession`, which runs for every new connection.
 */
import type { JoinedMessage, ServerMessage, ServerMessageOf } from '@podium/protocol';
import { SignalError, SignalingClient, type ClientRequest, type SignalingClientOptions } from './signaling-client';
import { apply, fromSnapshot, rememberChoice, rememberVote, type RoomModel } from './room-store';

/** Where the stay is. */
export type RoomPhase = 'connecting' | 'joined' | 'reconnecting' | 'failed' | 'left';

/** Why the stay ended (or could not begin): a registry code, or the reason the server took us out. */
export interface RoomFailure {
  /** A registry code (EVENT_ENDED, BANNED, ROOM_FULL, TOKEN_INVALID, EVENT_PASSWORD_REQUIRED…) or REMOVED / DENIED. */
  code: string;
  message: string;
}

/** Join errors after which trying again cannot help (until the person changes something). */
export const FINAL_JOIN_CODES = new Set([
  'TOKEN_INVALID', 'EVENT_ENDED', 'EVENT_CANCELLED', 'BANNED', 'NOT_INVITED', 'EVENT_PASSWORD_REQUIRED', 'EVENT_PASSWORD_WRONG',
  'RECORDING_CONSENT_REQUIRED',
  'ROOM_FULL', 'ROOM_LOCKED', 'PROTOCOL_VERSION_UNSUPPORTED', 'VALIDATION_FAILED', 'EVENT_NOT_FOUND', 'NOT_FOUND',
]);

/** What the UI reads. */
export interface RoomConnectionSnapshot {
  phase: RoomPhase;
  model: RoomModel | null;
  failure: RoomFailure | null;
  /** Failed connection attempts in a row while reconnecting. */
  attempts: number;
  /** Round-trip time of the last ping, ms. */
  rttMs: number | null;
}

/** Options of a RoomConnection. */
export interface RoomConnectionOptions {
  /** Podium's base URL (http(s)://host:port). */
  url: string;
  token: string;
  password?: string;
  /** Passed to SignalingClient.connect. */
  signaling?: SignalingClientOptions;
  /** First reconnect delay, ms (doubles up to maxDelayMs). Default 500. */
  baseDelayMs?: number;
  /** Longest reconnect delay, ms. Default 8000. */
  maxDelayMs?: number;
  /** Interval of application pings that detect a dead connection, ms. Default 10 000 (0: off). */
  pingMs?: number;
  /** Timers (tests). */
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (id: unknown) => void;
}

/** Called for every connection that joined: the first, and each after a reconnect. */
export type SessionListener = (signal: SignalingClient, joined: JoinedMessage, reconnect: boolean) => void;

const CLOSE_REMOVED = 4003;
const CLOSE_ENDED = 4004;
const CLOSE_PROTOCOL = 4000;

/** One participant's stay in a room (see file comment). */
export class RoomConnection {
  private state: RoomConnectionSnapshot = { phase: 'connecting', model: null, failure: null, attempts: 0, rttMs: null };
  private readonly listeners = new Set<() => void>();
  private readonly sessionListeners = new Set<SessionListener>();
  private client: SignalingClient | null = null;
  private stopClient: (() => void)[] = [];
  private retryTimer: unknown = null;
  private pingTimer: unknown = null;
  private joinedOnce = false;
  private stopped = false;
  private password: string | undefined;
  private readonly setT: (fn: () => void, ms: number) => unknown;
  private readonly clearT: (id: unknown) => void;

  constructor(private readonly opts: RoomConnectionOptions) {
    this.password = opts.password;
    this.setT = opts.setTimeout ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearT = opts.clearTimeout ?? ((id) => clearTimeout(id as ReturnType<typeof setTimeout>));
  }

  /** What the UI shows now (a new object after every change). */
  snapshot(): RoomConnectionSnapshot {
    return this.state;
  }

  /** The signaling client of the current connection, while there is one. */
  get signal(): SignalingClient | null {
    return this.client;
  }

  /** Calls `listener` after every change; returns a function that stops it. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` for every connection that joins (media hangs on this). */
  onSession(listener: SessionListener): () => void {
    this.sessionListeners.add(listener);
    return () => this.sessionListeners.delete(listener);
  }

  /** Connects and joins; resolves once joined or failed (never rejects). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.attempt();
  }

  /** Tries again with the event password the lobby asked for. */
  async joinWithPassword(password: string): Promise<void> {
    this.password = password;
    this.set({ phase: 'connecting', failure: null });
    await this.attempt();
  }

  /** Tries again after a final failure that may have changed (room full or locked, not live yet). */
  async retry(): Promise<void> {
    this.set({ phase: 'connecting', failure: null, attempts: 0 });
    await this.attempt();
  }

  /**
   * Sends a room or media request on the current connection; replies that change the room
   * (chat-sent, question-asked, poll-created) are applied to the model. Rejects with SignalError.
   */
  async request(msg: ClientRequest): Promise<ServerMessage> {
    const client = this.client;
    if (!client || this.state.phase !== 'joined') throw new SignalError({ code: 'NOT_JOINED', message: 'Not connected to the room.' });
    const reply = await client.request(msg);
    if (reply.type === 'chat-sent' || reply.type === 'question-asked' || reply.type === 'poll-created') this.applyMessage(reply);
    return reply;
  }

  /** Upvotes a question (or takes the vote back); remembered once the server confirms. */
  async voteQuestion(questionId: string, up: boolean): Promise<void> {
    await this.request({ type: 'question-vote', questionId, up });
    this.updateModel((m) => rememberVote(m, questionId, up));
  }

  /** Votes in a poll; the choice is remembered once the server confirms. */
  async votePoll(pollId: string, choice: number[]): Promise<void> {
    try {
      await this.request({ type: 'poll-vote', pollId, choice });
    } catch (err) {
      // Voted already (another tab, before a reconnect): the poll is closed to us either way.
      if (err instanceof SignalError && err.code === 'POLL_ALREADY_VOTED') this.updateModel((m) => rememberChoice(m, pollId, choice));
      throw err;
    }
    this.updateModel((m) => rememberChoice(m, pollId, choice));
  }

  /** Leaves the room and closes the connection; no reconnect after this. */
  async leave(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    const client = this.client;
    this.detach();
    this.set({ phase: 'left' });
    if (client?.open) {
      await client.leave().catch(() => undefined);
      await client.close().catch(() => undefined);
    }
  }

  /** Drops the current connection as a network failure would (tests, and the browser going offline). */
  dropConnection(): void {
    this.client?.terminate();
  }

  // ---- internals ----------------------------------------------------------------------------

  private set(patch: Partial<RoomConnectionSnapshot>): void {
    this.state = { ...this.state, ...patch };
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch {
        // A listener's failure must not stop the others.
      }
    }
  }

  private updateModel(fn: (m: RoomModel) => RoomModel): void {
    const m = this.state.model;
    if (!m) return;
    const next = fn(m);
    if (next !== m) this.set({ model: next });
  }

  private applyMessage(msg: ServerMessage): void {
    this.updateModel((m) => apply(m, msg));
  }

  private detach(): void {
    for (const s of this.stopClient.splice(0)) s();
    this.client = null;
  }

  private clearTimers(): void {
    if (this.retryTimer !== null) this.clearT(this.retryTimer);
    if (this.pingTimer !== null) this.clearT(this.pingTimer);
    this.retryTimer = null;
    this.pingTimer = null;
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return;
    this.clearTimers();
    let client: SignalingClient;
    try {
      client = await SignalingClient.connect(this.opts.url, {
        capabilities: ['presence', 'media', 'simulcast', 'ice-restart', 'room'],
        client: 'podium-web',
        ...this.opts.signaling,
      });
    } catch {
      this.scheduleRetry();
      return;
    }
    if (this.stopped) {
      void client.close();
      return;
    }
    // Pushed messages are buffered until the snapshot is in; those at or below its seq are old.
    const early: ServerMessage[] = [];
    let ready = false;
    const offPush = client.on('push', (msg) => {
      if (!ready) early.push(msg);
      else this.onPush(msg);
    });
    const offClose = client.on('close', (info) => this.onClose(client, info));
    let joined: JoinedMessage;
    try {
      joined = await client.join(this.opts.token, { password: this.password });
    } catch (err) {
      offPush();
      offClose();
      void client.close();
      if (err instanceof SignalError && FINAL_JOIN_CODES.has(err.code)) {
        this.fail({ code: err.code, message: err.message });
      } else if (err instanceof SignalError && err.code === 'EVENT_NOT_LIVE') {
        // The event has not started (an older server): wait and try again.
        this.set({ phase: this.joinedOnce ? 'reconnecting' : 'connecting', failure: { code: err.code, message: err.message } });
        this.scheduleRetry(10_000);
      } else {
        this.scheduleRetry();
      }
      return;
    }
    this.client = client;
    this.stopClient = [offPush, offClose];
    const memory = this.state.model?.memory;
    let model = fromSnapshot(joined, memory);
    for (const msg of early) model = apply(model, msg);
    ready = true;
    const reconnect = this.joinedOnce;
    this.joinedOnce = true;
    this.set({ phase: 'joined', model, failure: null, attempts: 0 });
    for (const l of [...this.sessionListeners]) {
      try {
        l(client, joined, reconnect);
      } catch {
        // A session listener's failure must not stop the room.
      }
    }
    this.schedulePing(client);
  }

  private onPush(msg: ServerMessage): void {
    this.applyMessage(msg);
    if (msg.type === 'room-status' && (msg.status === 'ended' || msg.status === 'cancelled')) {
      this.stopped = true;
    }
    if (msg.type === 'removed') this.stopped = true;
  }

  private onClose(client: SignalingClient, info: { code: number; reason: string }): void {
    if (client !== this.client) return;
    this.detach();
    if (this.pingTimer !== null) this.clearT(this.pingTimer);
    this.pingTimer = null;
    const model = this.state.model;
    if (this.state.phase === 'left') return;
    if (info.code === CLOSE_ENDED || model?.state.status === 'ended') {
      this.fail({ code: 'EVENT_ENDED', message: 'The event has ended.' });
      return;
    }
    if (model?.state.status === 'cancelled') {
      this.fail({ code: 'EVENT_CANCELLED', message: 'The event was cancelled.' });
      return;
    }
    if (info.code === CLOSE_REMOVED || model?.removed) {
      const reason = model?.removed ?? (info.reason === 'BANNED' ? 'banned' : 'removed');
      const code = reason === 'banned' ? 'BANNED' : reason === 'denied' ? 'DENIED' : reason === 'ended' ? 'EVENT_ENDED' : 'REMOVED';
      this.fail({ code, message: reason });
      return;
    }
    if (info.code === CLOSE_PROTOCOL) {
      this.fail({ code: 'PROTOCOL_VERSION_UNSUPPORTED', message: info.reason });
      return;
    }
    if (this.stopped) {
      this.set({ phase: 'left' });
      return;
    }
    this.set({ phase: 'reconnecting' });
    this.scheduleRetry(0);
  }

  private fail(failure: RoomFailure): void {
    this.clearTimers();
    this.set({ phase: 'failed', failure });
  }

  private scheduleRetry(delay?: number): void {
    if (this.stopped) return;
    const attempts = this.state.attempts + 1;
    const base = this.opts.baseDelayMs ?? 500;
    const max = this.opts.maxDelayMs ?? 8000;
    const wait = delay ?? Math.min(max, base * 2 ** Math.min(attempts - 1, 10)) * (0.75 + Math.random() * 0.5);
    this.set({ phase: this.joinedOnce ? 'reconnecting' : 'connecting', attempts });
    this.retryTimer = this.setT(() => {
      this.retryTimer = null;
      void this.attempt();
    }, wait);
  }

  private schedulePing(client: SignalingClient): void {
    const every = this.opts.pingMs ?? 10_000;
    if (!every) return;
    this.pingTimer = this.setT(() => {
      this.pingTimer = null;
      if (client !== this.client) return;
      client.ping().then(
        (rtt) => {
          if (client !== this.client) return;
          this.set({ rttMs: rtt });
          this.schedulePing(client);
        },
        () => {
          // No answer: the connection is dead even if the socket has not noticed yet.
          if (client === this.client) client.terminate();
        },
      );
    }, every);
  }
}

/** The reply of a room request with this type (a typed cast for callers of request()). */
export type ReplyOf<K extends 'chat-sent' | 'question-asked' | 'poll-created' | 'doc-state' | 'file-link'> = ServerMessageOf<K>;
