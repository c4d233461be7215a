// Test helpers for the signaling endpoint: a real WebSocket client that records what it receives,
// and a live event with registrations and their join tokens.
import WebSocket from 'ws';
import { newId, PROTOCOL_VERSION, type EventId, type JoinRole, type ServerMessage } from '@podium/protocol';
import type { TestServer } from '../testing/server';
import { eventBody, seedOrg, type SeededOrg } from '../events/testing';
import { joinTokenExpiry, signJoinToken } from '../registrations/join-token';
import { SIGNAL_PATH } from './endpoint';

/** How a test client's socket ended. */
export interface CloseInfo {
  code: number;
  reason: string;
}

/** Options of a test client. */
export interface SignalClientOptions {
  /** Origin header; default the server's own origin, like a browser on Podium's pages. `null` sends none (a bot). */
  origin?: string | null;
  /** Answer WebSocket pings (default true); false simulates a peer that stopped responding. */
  autoPong?: boolean;
}

let requestCounter = 0;

/** A real WebSocket client of the signaling endpoint that keeps every message it receives. */
export class SignalTestClient {
  /** Every message received, in order. */
  readonly received: ServerMessage[] = [];
  /** Resolves when the socket closes. */
  readonly closed: Promise<CloseInfo>;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.received.push(JSON.parse(data.toString()) as ServerMessage);
      this.wake();
    });
    this.closed = new Promise((resolve) => ws.once('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      this.wake();
    }));
    ws.on('error', () => {});
  }

  /** Opens a connection to the test server's signaling endpoint. */
  static open(t: TestServer, opts: SignalClientOptions = {}): Promise<SignalTestClient> {
    return SignalTestClient.connect(t.url, { ...opts, origin: opts.origin === undefined ? t.url : opts.origin });
  }

  /** Opens a connection to the signaling endpoint of the server at `baseUrl` (http://host:port). */
  static connect(baseUrl: string, opts: SignalClientOptions = {}): Promise<SignalTestClient> {
    const url = `${baseUrl.replace(/^http/, 'ws')}${SIGNAL_PATH}`;
    const origin = opts.origin === undefined ? baseUrl : opts.origin;
    const ws = new WebSocket(url, { ...(origin === null ? {} : { origin }), autoPong: opts.autoPong ?? true });
    const client = new SignalTestClient(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(client));
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode })));
      ws.once('error', reject);
    });
  }

  /** Sends a raw frame (text, or any bytes). */
  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  /** Sends a message; a requestId is added when missing. Returns the requestId. */
  send(msg: Record<string, unknown>): string {
    const requestId = typeof msg.requestId === 'string' ? msg.requestId : `r${++requestCounter}`;
    this.ws.send(JSON.stringify({ requestId, ...msg }));
    return requestId;
  }

  /** Sends a request and waits for the reply or error carrying its requestId. */
  async request(msg: Record<string, unknown>): Promise<ServerMessage> {
    const requestId = this.send(msg);
    return this.waitFor((m) => 'requestId' in m && m.requestId === requestId);
  }

  /** hello with the current protocol version. */
  hello(extra: Record<string, unknown> = {}): Promise<ServerMessage> {
    return this.request({ type: 'hello', protocolVersion: PROTOCOL_VERSION, capabilities: ['presence'], ...extra });
  }

  /** hello, then join with `token`; resolves with the join's reply. */
  async helloAndJoin(token: string): Promise<ServerMessage> {
    const w = await this.hello();
    if (w.type !== 'welcome') throw new Error(`hello failed: ${JSON.stringify(w)}`);
    return this.request({ type: 'join', token });
  }

  /** The first message (from `from` on) matching `pred`, waiting for it if needed. */
  async waitFor(pred: (m: ServerMessage) => boolean, timeoutMs = 10_000, from = 0): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.slice(from).find(pred);
      if (found) return found;
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error(`socket closed while waiting; received ${JSON.stringify(this.received.slice(-5))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message; received ${JSON.stringify(this.received.slice(-5))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Messages of a type received so far. */
  ofType<K extends ServerMessage['type']>(type: K): Extract<ServerMessage, { type: K }>[] {
    return this.received.filter((m) => m.type === type) as Extract<ServerMessage, { type: K }>[];
  }

  /** Closes cleanly and waits for the close to complete. */
  async close(): Promise<CloseInfo> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
    return this.closed;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

/** An event of a seeded organization, with helpers to add people and sign their join tokens. */
export interface RoomFixture {
  org: SeededOrg;
  eventId: EventId;
  /** Adds a registration (attendee or presenter) by SQL and returns its join token. */
  person(name: string, role?: Exclude<JoinRole, 'host'>): Promise<{ registrationId: string; token: string }>;
  /** A host join token for the organization's member. */
  hostToken(): string;
  /** Moves the event to a status through the API (scheduled → live → ended, scheduled → cancelled). */
  setStatus(status: 'live' | 'ended' | 'cancelled'): Promise<void>;
}

/** Creates an organization and a scheduled event (set it live with `setStatus`). */
export async function roomFixture(t: TestServer, org?: SeededOrg): Promise<RoomFixture> {
  const o = org ?? (await seedOrg(t));
  const body = eventBody(t, {}, 1);
  const res = await o.member.post(`/api/v1/orgs/${o.orgId}/events`, body);
  if (res.status !== 201) throw new Error(`event not created: ${res.status} ${res.text}`);
  const eventId = res.body.id as EventId;
  const exp = Math.floor(joinTokenExpiry(new Date(body.startsAt), body.durationMinutes).getTime() / 1000);
  const secrets = t.server.ctx.secrets;
  return {
    org: o,
    eventId,
    async person(name, role = 'attendee') {
      const registrationId = newId('registration');
      const email = `${registrationId}@example.test`;
      await t.server.ctx.sql.query(
        `insert into registrations (id, event_id, org_id, email, email_lower, name, role, consent_version, consent_at)
         values ($1, $2, $3, $4, $4, $5, $6, 1, now())`,
        [registrationId, eventId, o.orgId, email, name, role],
      );
      return { registrationId, token: signJoinToken(secrets, { e: eventId, r: registrationId, role, exp }) };
    },
    hostToken() {
      return signJoinToken(secrets, { e: eventId, r: o.userId, role: 'host', exp });
    },
    async setStatus(status) {
      const r = await o.member.post(`/api/v1/orgs/${o.orgId}/events/${eventId}/status`, { status });
      if (r.status !== 200) throw new Error(`status not changed: ${r.status} ${r.text}`);
    },
  };
}

/** Waits until `check` holds (polling), or fails with the last value seen. For counts that settle asynchronously. */
export async function eventually<T>(read: () => T, check: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = read();
    if (check(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
