/**
 * A scriptable in-memory signaling server for client tests: a WebSocket constructor whose sockets
 * answer hello and join (with a snapshot the test chooses) and let the test push messages, refuse
 * joins, and drop or close connections. Also a fake RtcPeer recording what the session does.
 */
import { emptyRoomState, newId, type JoinedMessage, type ParticipantInfo, type RoomState } from '@podium/protocol';
import type { RtcPeer, RtcSendHandle } from '../media-session';
import type { WebSocketConstructor, WebSocketLike } from '../signaling-client';

/** A client message as the fake server received it. */
export type Received = Record<string, unknown> & { type: string; requestId?: string };

/** One connection of the fake server. */
export class FakeSocket implements WebSocketLike {
  readyState = 0;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  readonly received: Received[] = [];
  participantId: string = newId('participant');

  constructor(readonly server: FakeServer) {
    queueMicrotask(() => {
      if (server.refuseConnections) {
        this.readyState = 3;
        this.onerror?.({});
        this.onclose?.({ code: 1006, reason: '' });
        return;
      }
      this.readyState = 1;
      this.onopen?.({});
    });
  }

  send(data: string): void {
    const msg = JSON.parse(data) as Received;
    this.received.push(msg);
    queueMicrotask(() => this.server.handle(this, msg));
  }

  /** Handles one client message as the server would. */
  handleRaw(msg: Received): void {
    handleSession(this.server, this, msg);
  }

  /** Sends a server message to this client. */
  push(msg: object): void {
    if (this.readyState !== 1) return;
    this.onmessage?.({ data: JSON.stringify(msg) });
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    queueMicrotask(() => this.onclose?.({ code, reason }));
  }

  /** The server closes the connection with a code (4004 ended, 4003 removed, 1006 network…). */
  serverClose(code: number, reason = ''): void {
    this.close(code, reason);
  }
}

/** A fake server: its `WebSocket` is passed to SignalingClient.connect. */
export class FakeServer {
  readonly sockets: FakeSocket[] = [];
  refuseConnections = false;
  /** The next joins fail with this code (each entry used once), then joins succeed. */
  readonly joinErrors: string[] = [];
  /** Builds the snapshot for a join (override per test). */
  snapshot: (socket: FakeSocket, msg: Received) => JoinedMessage['room'] = (socket) => defaultRoom(socket.participantId);
  /** Replies to other requests (default ack). */
  reply: (socket: FakeSocket, msg: Received) => object | null = (_s, msg) => ({ type: 'ack', requestId: msg.requestId });

  readonly WebSocket: WebSocketConstructor;

  constructor() {
    const server = this;
    this.WebSocket = class extends FakeSocket {
      constructor(_url: string) {
        super(server);
        server.sockets.push(this);
      }
    } as unknown as WebSocketConstructor;
  }

  /** The newest connection. */
  get last(): FakeSocket {
    const s = this.sockets.at(-1);
    if (!s) throw new Error('no connection yet');
    return s;
  }

  handle(socket: FakeSocket, msg: Received): void {
    socket.handleRaw(msg);
  }
}

/** Answers the session messages of a fake connection (hello, join, ping) and defers others to the server's `reply`. */
function handleSession(server: FakeServer, socket: FakeSocket, msg: Received): void {
  {
    if (msg.type === 'hello') {
      socket.push({
        type: 'welcome', requestId: msg.requestId, protocolVersion: 1, participantId: socket.participantId,
        capabilities: ['presence', 'media', 'simulcast', 'ice-restart', 'room'], heartbeatMs: 10_000,
        limits: { maxFrameBytes: 65536, messagesPerSecond: 20, burst: 40 },
      });
      return;
    }
    if (msg.type === 'join') {
      const code = server.joinErrors.shift();
      if (code) {
        socket.push({ type: 'error', requestId: msg.requestId, code, message: code });
        return;
      }
      const room = server.snapshot(socket, msg);
      socket.push({ type: 'joined', requestId: msg.requestId, role: room.self.role, room });
      return;
    }
    if (msg.type === 'ping') {
      socket.push({ type: 'pong', requestId: msg.requestId, serverTime: new Date().toISOString() });
      return;
    }
    const r = server.reply(socket, msg);
    if (r) socket.push(r);
  }
}

/** A participant for fixtures. */
export function fakePerson(name: string, role: ParticipantInfo['role'] = 'attendee', id: string = newId('participant')): ParticipantInfo {
  return { id, displayName: name, role, joinedAt: '2026-12-01T10:00:00.000Z' };
}

/** A live webinar room with one host and the joining attendee. */
export function defaultRoom(selfId: string, state: Partial<RoomState> = {}, role: ParticipantInfo['role'] = 'attendee'): JoinedMessage['room'] {
  const self = fakePerson('Ada', role, selfId);
  return {
    event: { id: 'evt_aaaaaaaaaaaaaaaaaaaa', title: 'Webinar', type: 'webinar', status: 'live', startsAt: '2026-12-01T10:00:00.000Z', durationMinutes: 60, orgName: 'Acme' },
    self,
    participants: [fakePerson('Hanna', 'host', 'prt_hhhhhhhhhhhhhhhhhhhh'), self],
    seq: 5,
    producers: [],
    admission: 'admitted',
    state: { ...emptyRoomState('live'), ...state },
  };
}

/** A fake peer connection: records tracks, offers and answers; `state` is settable. */
export class FakePeer implements RtcPeer {
  readonly sent: { track: unknown; kind: string; encodings?: unknown; stopped: boolean; replaced: unknown[] }[] = [];
  offers = 0;
  answers = 0;
  restarts = 0;
  state = 'connected';
  closed = false;
  private trackListener: ((mid: string, track: unknown) => void) | null = null;

  addSendTrack(track: unknown, kind: 'audio' | 'video', encodings?: unknown): RtcSendHandle {
    const entry = { track, kind, encodings, stopped: false, replaced: [] as unknown[] };
    this.sent.push(entry);
    return {
      async replaceTrack(t) {
        entry.replaced.push(t);
      },
      stop() {
        entry.stopped = true;
      },
    };
  }
  async createOffer(): Promise<string> {
    this.offers += 1;
    return `v=0 offer ${this.offers}`;
  }
  async applyAnswer(): Promise<void> {}
  async answer(offer: string): Promise<string> {
    this.answers += 1;
    // The fake offer names its mids: "mids:0,1".
    const mids = /mids:([\w,]*)/.exec(offer)?.[1]?.split(',').filter(Boolean) ?? [];
    for (const mid of mids) this.trackListener?.(mid, { id: `track-${mid}`, kind: 'video' });
    return `v=0 answer ${this.answers}`;
  }
  restartIce(): void {
    this.restarts += 1;
  }
  onTrack(listener: (mid: string, track: unknown) => void): void {
    this.trackListener = listener;
  }
  get connectionState(): string {
    return this.state;
  }
  close(): void {
    this.closed = true;
    this.state = 'closed';
  }
}

/** Waits until `check` is true (polling microtasks and short timers). */
export async function until(check: () => boolean, what = 'condition', ms = 2000): Promise<void> {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
