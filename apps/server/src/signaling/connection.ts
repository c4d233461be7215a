import { performance } from 'node:perf_hooks';
import type { WebSocket, RawData } from 'ws';
import {
  ERRORS, MIN_SIGNAL_PROTOCOL_VERSION, PROTOCOL_VERSION, PodiumError, SIGNAL_CLOSE_CODES, hasCapability,
  isMediaClientMessage, isRoomClientMessage, newId, parseClientMessage, reachesAudience, roomSubjects, signalError,
  type ClientMessage, type ClientMessageOf, type ErrorCode, type ErrorMessage, type EventId, type JoinRole,
  type LeaveReason, type MediaClientMessage, type ParticipantInfo, type IceServer, type Admission, type RoomClientMessage, type ParticipantId, type RoomBusEvent, type RoomCommand, type RoomEventSummary, type RoomReply,
  type ServerMessage, type SignalLimits,
} from '@podium/protocol';
import type { AppContext } from '../context';
import type { Bus, Unsubscribe } from '../bus/bus';
import { admit } from './admission';
import type { MediaSession, MediaSignalingHandler } from './media-handler';
import { TokenBucket } from './token-bucket';
import { enforceOnMedia } from './room-enforcement';

/** Limits of one connection. */
export interface ConnectionLimits extends SignalLimits {
  heartbeatMs: number;
  /** Bytes the socket may hold unsent before the client counts as too slow and is dropped. */
  maxBufferedBytes: number;
}

/** What a connection needs from the endpoint. */
export interface ConnectionDeps {
  ctx: AppContext;
  bus: Bus;
  media: MediaSignalingHandler | undefined;
  /** Capabilities this server offers (welcome). */
  capabilities: readonly string[];
  /** The STUN/TURN servers for a participant (TURN credentials are per participant and expire). */
  iceServers?: (participantId: ParticipantId) => IceServer[];
  limits: ConnectionLimits;
  /** Called once, when the socket has closed and the connection has cleaned up after itself. */
  onClosed(conn: SignalConnection): void;
}

type State = 'new' | 'greeted' | 'joined';

interface JoinedRoom {
  eventId: EventId;
  event: RoomEventSummary;
  role: JoinRole;
  incarnation: string;
  seq: number;
  session: MediaSession;
  /** In the room, or waiting in its lobby. */
  admission: Admission;
}

// Requests waiting in one connection's inbox; with the rate limit in front this is rarely reached.
const MAX_INBOX = 64;
// Room events buffered while a join waits for the room's snapshot.
const MAX_PENDING_EVENTS = 1_000;
const ROOM_REQUEST_TIMEOUT_MS = 5_000;

// One wire string per room event, shared by every connection relaying it (fan-out stringifies once).
const wireCache = new WeakMap<object, string>();
function wireOf(msg: object): string {
  let s = wireCache.get(msg);
  if (s === undefined) {
    s = JSON.stringify(msg);
    wireCache.set(msg, s);
  }
  return s;
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(ERRORS, code);
}

/**
 * One signaling WebSocket: hello → welcome, join → joined, then room events relayed from the bus
 * and requests answered, strictly in arrival order. Every frame is size-checked, rate-limited and
 * validated before anything else happens; a bad frame gets a typed error and changes nothing.
 */
export class SignalConnection {
  /** This connection's participant id (announced in welcome, used once joined). */
  readonly participantId: ParticipantId = newId('participant');
  /** Monotonic time (ms) of the last frame or pong from the peer. */
  lastSeen: number;
  /** Monotonic time (ms) of the last ping sent. */
  lastPingAt: number;
  /** Monotonic time (ms) since which the connection has not been in a room. */
  unjoinedSince: number;

  private state: State = 'new';
  private closed = false;
  private dropReason: LeaveReason | undefined;
  private readonly bucket: TokenBucket;
  private refusedInARow = 0;
  private readonly inbox: ClientMessage[] = [];
  private draining = false;
  private closeWhenDrained: (() => void) | undefined;
  private joining = false;
  private room: JoinedRoom | undefined;
  private unsubscribeRoom: Unsubscribe | undefined;
  private pendingEvents: RoomBusEvent[] | undefined;
  // What the client announced in hello (unknown names included), for the media plane to check by name.
  private clientCapabilities: readonly string[] = [];

  constructor(private readonly ws: WebSocket, private readonly deps: ConnectionDeps) {
    const now = performance.now();
    this.lastSeen = now;
    this.lastPingAt = now;
    this.unjoinedSince = now;
    this.bucket = new TokenBucket(deps.limits.messagesPerSecond, deps.limits.burst, now);
    ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    ws.on('pong', () => {
      this.lastSeen = performance.now();
    });
    // Socket errors (resets, protocol violations) end in 'close'; the listener keeps them from throwing.
    ws.on('error', () => {});
    ws.once('close', (code) => this.onClose(code));
  }

  /** True once the participant is in a room. */
  get joined(): boolean {
    return this.state === 'joined';
  }

  /** Sends a WebSocket ping (liveness is judged from the pong). */
  ping(now: number): void {
    this.lastPingAt = now;
    if (this.ws.readyState === this.ws.OPEN) this.ws.ping();
  }

  /** Ends the connection at once (dead peer, slow consumer): the room sees the participant leave with `reason`. */
  drop(reason: LeaveReason): void {
    this.dropReason ??= reason;
    this.ws.terminate();
  }

  /** Closes the connection with a close code and reason (the reason is an error code when there is one). */
  close(code: number, reason: string, leaveReason: LeaveReason = 'dropped'): void {
    this.dropReason ??= leaveReason;
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason);
  }

  /** Sends one server message; drops the connection instead of buffering without bound. */
  send(msg: ServerMessage): void {
    this.sendRaw(JSON.stringify(msg));
  }

  private sendRaw(text: string): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > this.deps.limits.maxBufferedBytes) {
      this.deps.ctx.log.info({ participantId: this.participantId }, 'signal: slow consumer dropped');
      this.drop('dropped');
      return;
    }
    this.ws.send(text);
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    const now = performance.now();
    this.lastSeen = now;
    const buf = toBuffer(data);
    if (buf.length > this.deps.limits.maxFrameBytes) {
      this.send(signalError('SIGNAL_TOO_LARGE', { details: { maxFrameBytes: this.deps.limits.maxFrameBytes } }));
      this.close(SIGNAL_CLOSE_CODES.tooLarge, 'SIGNAL_TOO_LARGE');
      return;
    }
    if (!this.bucket.take(now)) {
      // A client that keeps sending into a full limit is not listening: close after one burst of refusals.
      if (++this.refusedInARow > this.deps.limits.burst) {
        this.close(SIGNAL_CLOSE_CODES.policy, 'SIGNAL_RATE_LIMITED');
        return;
      }
      this.send(signalError('SIGNAL_RATE_LIMITED', { details: { messagesPerSecond: this.deps.limits.messagesPerSecond } }));
      return;
    }
    this.refusedInARow = 0;
    if (isBinary) {
      this.send(signalError('BAD_JSON', { message: 'Signaling messages must be JSON text frames.' }));
      return;
    }
    const parsed = parseClientMessage(buf);
    if (!parsed.ok) {
      this.send(parsed.error);
      return;
    }
    if (this.inbox.length >= MAX_INBOX) {
      this.send(signalError('SERVER_BUSY', { requestId: parsed.message.requestId }));
      return;
    }
    this.inbox.push(parsed.message);
    if (!this.draining) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.inbox.length && !this.closed) {
        const msg = this.inbox.shift()!;
        try {
          await this.handle(msg);
        } catch (err) {
          this.send(this.toSignalError(err, msg.requestId));
        }
      }
    } finally {
      this.draining = false;
      const close = this.closeWhenDrained;
      this.closeWhenDrained = undefined;
      close?.();
    }
  }

  private toSignalError(err: unknown, requestId: string): ErrorMessage {
    if (err instanceof PodiumError) return signalError(err.code, { requestId, message: err.message, details: err.details });
    const e = err as { name?: string; code?: unknown };
    this.deps.ctx.log.error({ participantId: this.participantId, err: { name: e?.name, code: e?.code } }, 'signal: request failed');
    return signalError('INTERNAL', { requestId });
  }

  private async handle(msg: ClientMessage): Promise<void> {
    switch (msg.type) {
      case 'hello':
        return this.hello(msg);
      case 'ping':
        return this.send({ type: 'pong', requestId: msg.requestId, serverTime: this.deps.ctx.now().toISOString() });
      case 'join':
        return this.join(msg);
      case 'leave':
        return this.leave(msg);
      default:
        if (isMediaClientMessage(msg)) return this.media(msg);
        if (isRoomClientMessage(msg)) return this.roomMessage(msg);
        throw new PodiumError('SIGNAL_UNKNOWN_TYPE');
    }
  }

  private hello(msg: ClientMessageOf<'hello'>): void {
    if (this.state !== 'new') throw new PodiumError('SIGNAL_OUT_OF_ORDER', 'Say hello only once.');
    if (msg.protocolVersion < MIN_SIGNAL_PROTOCOL_VERSION) {
      this.send(signalError('PROTOCOL_VERSION_UNSUPPORTED', {
        requestId: msg.requestId, details: { min: MIN_SIGNAL_PROTOCOL_VERSION, max: PROTOCOL_VERSION },
      }));
      this.close(SIGNAL_CLOSE_CODES.protocolVersion, 'PROTOCOL_VERSION_UNSUPPORTED');
      return;
    }
    this.state = 'greeted';
    this.clientCapabilities = [...new Set(msg.capabilities)];
    const { heartbeatMs, maxFrameBytes, messagesPerSecond, burst } = this.deps.limits;
    this.send({
      type: 'welcome',
      requestId: msg.requestId,
      // A newer client speaks our version if it can; an older one (still supported) keeps its own.
      protocolVersion: Math.min(msg.protocolVersion, PROTOCOL_VERSION),
      participantId: this.participantId,
      capabilities: [...this.deps.capabilities],
      heartbeatMs,
      limits: { maxFrameBytes, messagesPerSecond, burst },
    });
  }

  private async join(msg: ClientMessageOf<'join'>): Promise<void> {
    if (this.state === 'new') throw new PodiumError('SIGNAL_OUT_OF_ORDER');
    if (this.state === 'joined' || this.joining) throw new PodiumError('ALREADY_JOINED');
    this.joining = true;
    try {
      await this.enterRoom(msg);
    } finally {
      this.joining = false;
    }
  }

  private async enterRoom(msg: ClientMessageOf<'join'>): Promise<void> {
    const { ctx, bus } = this.deps;
    const adm = await admit(ctx, msg.token, msg.password);
    if (this.closed) return;
    const subjects = roomSubjects(adm.eventId);
    // Subscribe before asking to join: events published between the snapshot and the subscription
    // would otherwise be lost. Until the snapshot arrives they are held back, then filtered by seq.
    this.pendingEvents = [];
    this.unsubscribeRoom = bus.subscribe<RoomBusEvent>(subjects.events, (ev) => this.onRoomEvent(ev));
    const command: RoomCommand = {
      kind: 'join',
      eventId: adm.eventId,
      participant: { id: this.participantId, displayName: adm.displayName, role: adm.role, joinedAt: ctx.now().toISOString() },
      personId: adm.personId,
      event: adm.event,
      capacity: adm.capacity,
    };
    let reply: RoomReply;
    try {
      reply = await bus.request<RoomReply>(subjects.commands, command, { timeoutMs: ROOM_REQUEST_TIMEOUT_MS });
    } catch {
      this.leaveRoomSubject();
      throw new PodiumError('SERVER_BUSY');
    }
    if (!reply.ok) {
      this.leaveRoomSubject();
      throw new PodiumError(isErrorCode(reply.code) ? reply.code : 'INTERNAL');
    }
    if (this.closed) {
      // The socket went away while the room was letting us in: take the seat back.
      this.leaveRoomSubject();
      this.sendLeave(adm.eventId, 'timeout');
      return;
    }
    const snapshot = reply.snapshot!;
    const session: MediaSession = {
      participantId: this.participantId,
      eventId: adm.eventId,
      role: adm.role,
      eventType: adm.event.type,
      grant: 'none',
      capabilities: this.clientCapabilities,
      send: (m) => this.send(m),
    };
    const admission = snapshot.admission ?? 'admitted';
    this.room = { eventId: adm.eventId, event: adm.event, role: adm.role, incarnation: snapshot.incarnation, seq: snapshot.seq, session, admission };
    this.state = 'joined';
    const self = snapshot.participants.find((p) => p.id === this.participantId) ?? (command as { participant: ParticipantInfo }).participant;
    session.grant = self.grant ?? 'none';
    this.send({
      type: 'joined',
      requestId: msg.requestId,
      role: adm.role,
      room: {
        event: { ...adm.event, status: snapshot.state?.status ?? adm.event.status }, self, participants: snapshot.participants, seq: snapshot.seq,
        ...(snapshot.producers ? { producers: snapshot.producers } : {}), admission, ...(snapshot.state ? { state: snapshot.state } : {}),
      },
      ...(this.deps.iceServers ? { iceServers: this.deps.iceServers(this.participantId) } : {}),
    });
    ctx.log.info({ participantId: this.participantId, eventId: adm.eventId, role: adm.role }, 'signal: joined');
    const held = this.pendingEvents ?? [];
    this.pendingEvents = undefined;
    for (const ev of held) this.onRoomEvent(ev);
  }

  private onRoomEvent(ev: RoomBusEvent): void {
    if (this.closed) return;
    if (this.pendingEvents) {
      if (this.pendingEvents.length >= MAX_PENDING_EVENTS) {
        this.drop('dropped');
        return;
      }
      this.pendingEvents.push(ev);
      return;
    }
    const room = this.room;
    if (!room || ev.incarnation !== room.incarnation || ev.seq <= room.seq) return;
    room.seq = ev.seq;
    if (!reachesAudience(ev.audience, { participantId: this.participantId, role: room.role, admission: room.admission })) return;
    const msg = ev.message;
    if (msg.type === 'admitted') room.admission = 'admitted';
    this.sendRaw(wireOf(msg));
    // What the room decided about this participant, the connection carries out here, where its
    // socket and media live (in the cluster, possibly another node than the room's).
    if (msg.type === 'removed') this.closeAfterReplies(SIGNAL_CLOSE_CODES.removed, msg.reason === 'banned' ? 'BANNED' : 'REMOVED');
    else if (msg.type === 'room-status' && (msg.status === 'ended' || msg.status === 'cancelled')) this.closeAfterReplies(SIGNAL_CLOSE_CODES.ended, 'EVENT_ENDED');
    else if (msg.type === 'moderated' || (msg.type === 'participant-updated' && msg.participant.id === this.participantId)) {
      void enforceOnMedia(this.deps.media, room.session, msg).catch((err: Error) => {
        this.deps.ctx.log.warn({ participantId: this.participantId, err: { name: err.name } }, 'signal: media enforcement failed');
      });
    }
  }

  /** Closes once the request being handled has its reply (the host who ended the event gets its ack). */
  private closeAfterReplies(code: number, reason: string): void {
    this.inbox.length = 0;
    if (this.draining) this.closeWhenDrained = () => this.close(code, reason, 'removed');
    else this.close(code, reason, 'removed');
  }

  private async roomMessage(msg: RoomClientMessage): Promise<void> {
    if (this.state === 'new') throw new PodiumError('SIGNAL_OUT_OF_ORDER');
    if (this.state !== 'joined' || !this.room) throw new PodiumError('NOT_JOINED');
    const command: RoomCommand = { kind: 'client', eventId: this.room.eventId, participantId: this.participantId, message: msg };
    let reply: RoomReply;
    try {
      reply = await this.deps.bus.request<RoomReply>(roomSubjects(this.room.eventId).commands, command, { timeoutMs: ROOM_REQUEST_TIMEOUT_MS });
    } catch {
      throw new PodiumError('SERVER_BUSY');
    }
    if (!reply.ok) throw new PodiumError(isErrorCode(reply.code) ? reply.code : 'INTERNAL', reply.message);
    this.send(reply.reply ? (reply.reply as ServerMessage) : { type: 'ack', requestId: msg.requestId });
  }

  private async leave(msg: ClientMessageOf<'leave'>): Promise<void> {
    if (this.state !== 'joined' || !this.room) throw new PodiumError('NOT_JOINED');
    const room = this.room;
    this.exitRoom();
    await this.releaseMedia(room.session);
    await this.deps.bus.request(roomSubjects(room.eventId).commands, leaveCommand(room.eventId, this.participantId, 'left'), { timeoutMs: ROOM_REQUEST_TIMEOUT_MS })
      .catch(() => undefined);
    this.send({ type: 'left', requestId: msg.requestId });
  }

  private async media(msg: MediaClientMessage): Promise<void> {
    if (this.state === 'new') throw new PodiumError('SIGNAL_OUT_OF_ORDER');
    if (this.state !== 'joined' || !this.room) throw new PodiumError('NOT_JOINED');
    if (this.room.admission !== 'admitted') throw new PodiumError('NOT_ADMITTED');
    const handler = this.deps.media;
    if (!handler || !hasCapability(this.deps.capabilities, 'media')) throw new PodiumError('MEDIA_UNAVAILABLE', 'The media plane is not connected.');
    const reply = await handler.handle(this.room.session, msg);
    this.send(reply);
  }

  /** Leaves the room locally: no more events, state back to greeted. */
  private exitRoom(): void {
    this.leaveRoomSubject();
    this.room = undefined;
    this.state = 'greeted';
    this.unjoinedSince = performance.now();
  }

  private leaveRoomSubject(): void {
    this.unsubscribeRoom?.();
    this.unsubscribeRoom = undefined;
    this.pendingEvents = undefined;
  }

  private sendLeave(eventId: EventId, reason: LeaveReason): void {
    this.deps.bus
      .request(roomSubjects(eventId).commands, leaveCommand(eventId, this.participantId, reason), { timeoutMs: ROOM_REQUEST_TIMEOUT_MS })
      .catch(() => undefined);
  }

  private async releaseMedia(session: MediaSession): Promise<void> {
    try {
      await this.deps.media?.release(session);
    } catch (err) {
      const e = err as { name?: string };
      this.deps.ctx.log.error({ participantId: this.participantId, err: { name: e?.name } }, 'signal: media release failed');
    }
  }

  private onClose(code: number): void {
    if (this.closed) return;
    this.closed = true;
    this.inbox.length = 0;
    const room = this.room;
    if (room) {
      this.exitRoom();
      // A normal close from the peer is a departure, a lost connection a timeout, a protocol fault a drop.
      const reason: LeaveReason = this.dropReason ?? (code === 1000 || code === 1001 ? 'left' : code === 1006 ? 'timeout' : 'dropped');
      void this.releaseMedia(room.session);
      this.sendLeave(room.eventId, reason);
      this.deps.ctx.log.info({ participantId: this.participantId, eventId: room.eventId, reason }, 'signal: left');
    } else {
      this.leaveRoomSubject();
    }
    this.deps.onClosed(this);
  }
}

function leaveCommand(eventId: EventId, participantId: ParticipantId, reason: LeaveReason): RoomCommand {
  return { kind: 'leave', eventId, participantId, reason };
}
