import { randomBytes } from 'node:crypto';
import {
  CHAT_HISTORY_LIMIT, ERRORS, PodiumError, REACTIONS, ROOM_MESSAGE_RULES, roleAllows, roomSubjects,
  type ErrorCode, type EventId, type LeaveReason, type ParticipantId, type ParticipantInfo, type Reaction, type RemovalReason,
  type RoomAudience, type RoomBusEvent, type RoomClientMessage, type RoomCommand, type RoomProducer, type RoomReply,
  type RoomState, type ServerMessage,
} from '@podium/protocol';
import type { Bus } from '../bus/bus';
import type { Room, RoomEventBody, RoomModel, RoomServices, LimitBucket } from './room-core';
import type { RoomDocHost } from './room-docs-port';
import type { RoomStore } from './room-store';
import { isStaff, type Member } from './room-records';
import { chatFor, pollEvents, pollFor, questionFor } from './room-views';
import { ROOM_HANDLERS } from './handlers';
import { WindowLimiter } from './window-limiter';
import { mayPublishKind } from './publish-rights';

/** Options of one room's coordinator. */
export interface RoomCoordinatorOptions {
  eventId: EventId;
  bus: Bus;
  store: RoomStore;
  services: RoomServices;
  /** Most participants at once (lobby included); the next join gets ROOM_FULL. */
  maxParticipants: number;
  /** Most commands waiting to be applied; more get SERVER_BUSY instead of queueing without bound. */
  maxQueuedCommands?: number;
  /** Called once the room is empty and idle, so its owner can dispose it. */
  onEmpty: (room: RoomCoordinator) => void;
}

const DEFAULT_MAX_QUEUED = 10_000;
// Per person: chat messages, questions and reactions in a sliding window.
const LIMITS: Record<LimitBucket, { count: number; windowMs: number }> = {
  chat: { count: 5, windowMs: 10_000 },
  question: { count: 5, windowMs: 60_000 },
  reaction: { count: 10, windowMs: 10_000 },
};
const REACTIONS_FLUSH_MS = 300;
const POLL_TICK_MS = 250;
const ATTENDEE_COUNT_MS = 1_000;

/** An attendee with no stage grant: part of the audience, not listed to other attendees in a webinar. */
function isPlainAttendee(m: Member): boolean {
  return m.info.role === 'attendee' && (m.info.grant ?? 'none') === 'none';
}

function failure(code: ErrorCode, message?: string): RoomReply {
  return { ok: false, code, message: message ?? ERRORS[code].message };
}

/**
 * The one actor that owns a live room's state (DESIGN.md §3a): presence and the lobby, tracks,
 * the event's lifecycle, settings, stage, hands, chat, Q&A, polls, reactions, documents and
 * moderation. Commands are applied strictly one after another (a promise chain, so commands that
 * await storage keep their order); every write that matters is stored before the command is
 * answered, and every change is published as a numbered event on the room's events subject, with
 * the audience it is meant for. The room's records load from the store when it opens, so a room
 * opened again — after a restart, or on another node — goes on where it was.
 */
export class RoomCoordinator implements Room {
  /** This life of the room; a room emptied and opened again gets a new one. */
  readonly incarnation = randomBytes(8).toString('hex');
  readonly eventId: EventId;
  readonly store: RoomStore;
  readonly services: RoomServices;
  private state: RoomModel | undefined;
  private seq = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private disposed = false;
  private readonly eventsSubject: string;
  private readonly limiters = new Map<string, WindowLimiter<LimitBucket>>();
  private reactionCounts = new Map<string, number>();
  private reactionTimer: NodeJS.Timeout | undefined;
  private readonly pollTicks = new Set<string>();
  private pollTimer: NodeJS.Timeout | undefined;
  private docHost: Promise<RoomDocHost> | undefined;
  private countTimer: NodeJS.Timeout | undefined;
  private lastCount = -1;

  constructor(private readonly opts: RoomCoordinatorOptions) {
    this.eventId = opts.eventId;
    this.store = opts.store;
    this.services = opts.services;
    this.eventsSubject = roomSubjects(opts.eventId).events;
  }

  /** Participants present now (lobby included). */
  get size(): number {
    return this.state ? this.state.admitted.size + this.state.waiting.size : 0;
  }

  /** The room's state (handlers only; loaded before the first command runs). */
  get model(): RoomModel {
    if (!this.state) throw new PodiumError('INTERNAL', 'The room is not loaded.');
    return this.state;
  }

  now(): Date {
    return this.services.ctx.now();
  }

  /** Applies `cmd` after every command received before it; resolves with the reply to send back. */
  apply(cmd: RoomCommand): Promise<RoomReply> {
    if (this.disposed) return Promise.resolve(failure('SERVER_BUSY'));
    if (this.queued >= (this.opts.maxQueuedCommands ?? DEFAULT_MAX_QUEUED)) return Promise.resolve(failure('SERVER_BUSY'));
    this.queued++;
    const result = this.tail.then(() => this.run(cmd)).catch((err: unknown) => this.toFailure(err));
    this.tail = result.then(() => {
      this.queued--;
      if (this.queued === 0 && this.size === 0 && !this.disposed) this.opts.onEmpty(this);
    });
    return result;
  }

  /** Stops the room: later commands are refused, timers stop, documents are compacted. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.reactionTimer);
    clearTimeout(this.pollTimer);
    clearTimeout(this.countTimer);
    // An emptied room stops its recording (a room opened again starts a new one).
    const recording = this.state?.recording;
    if (recording && this.state) this.state.recording = null;
    if (recording) void this.services.recorder?.stop(this.eventId, recording.recordingId).catch(() => undefined);
    this.state?.admitted.clear();
    this.state?.waiting.clear();
    const docs = this.docHost;
    this.docHost = undefined;
    void docs?.then((d) => d.close()).catch(() => undefined);
  }

  private toFailure(err: unknown): RoomReply {
    if (err instanceof PodiumError) return failure(err.code, err.message);
    const e = err as { name?: string; code?: unknown };
    this.services.ctx.log.error({ eventId: this.eventId, err: { name: e?.name, code: e?.code } }, 'room: command failed');
    return failure('INTERNAL');
  }

  private async run(cmd: RoomCommand): Promise<RoomReply> {
    if (!this.state) {
      // Only a join opens a room; anything else for a room not loaded has nothing to act on.
      if (cmd.kind !== 'join') return { ok: true };
      await this.load(cmd);
    }
    switch (cmd.kind) {
      case 'join':
        return this.join(cmd);
      case 'leave':
        return this.leave(cmd.participantId, cmd.reason);
      case 'producer-add':
        return this.addProducer(cmd.producer);
      case 'producer-remove':
        return this.removeProducer(cmd.producerId);
      case 'producer-pause': {
        const p = this.model.producers.get(cmd.producerId);
        if (p && p.paused !== cmd.paused) {
          p.paused = cmd.paused;
          this.emit({ type: 'producer-paused', producerId: p.producerId, paused: p.paused });
        }
        return { ok: true };
      }
      case 'client':
        return this.client(cmd.participantId, cmd.message as RoomClientMessage);
      case 'event-status':
        await ROOM_HANDLERS.eventStatus(this, cmd.status);
        return { ok: true };
      case 'files-changed':
        this.model.files = await this.services.listFiles(this.eventId);
        this.emit({ type: 'files', files: this.model.files });
        return { ok: true };
      case 'polls-changed':
        await ROOM_HANDLERS.pollsChanged(this);
        return { ok: true };
      case 'settings-changed':
        await ROOM_HANDLERS.settingsChanged(this);
        return { ok: true };
      case 'person-erased':
        await ROOM_HANDLERS.personErased(this, cmd.personIds);
        return { ok: true };
      case 'active-speaker': {
        const m = this.model;
        if (m.activeSpeaker !== cmd.participantId) {
          m.activeSpeaker = cmd.participantId as ParticipantId | null;
          this.emit({ type: 'active-speaker', participantId: m.activeSpeaker });
        }
        return { ok: true };
      }
      default:
        return failure('VALIDATION_FAILED', 'Unknown room command.');
    }
  }

  private async load(first: Extract<RoomCommand, { kind: 'join' }>): Promise<void> {
    const [loaded, files] = await Promise.all([this.store.load(this.eventId), this.services.listFiles(this.eventId)]);
    // Attendance left open by a room that did not close cleanly (a crash) ends where that room did.
    await this.store.closeOpenAttendance(this.eventId, this.now());
    this.state = {
      orgId: loaded.orgId,
      type: loaded.type,
      status: loaded.status,
      startedAt: loaded.startedAt,
      settings: loaded.settings,
      stage: loaded.stage,
      chat: loaded.chat,
      questions: new Map(loaded.questions.map((q) => [q.question.id, q])),
      polls: new Map(loaded.polls.map((p) => [p.poll.id, p])),
      files,
      hands: [],
      activeSpeaker: null,
      admitted: new Map(),
      waiting: new Map(),
      producers: new Map(),
      grants: new Map(),
      chatMuted: new Set(),
      event: { ...first.event, status: loaded.status },
      capacity: first.capacity,
      recording: null,
    };
  }

  // ---- membership -------------------------------------------------------------------------------

  private async join(cmd: Extract<RoomCommand, { kind: 'join' }>): Promise<RoomReply> {
    const m = this.model;
    m.capacity = cmd.capacity;
    const known = m.admitted.get(cmd.participant.id) ?? m.waiting.get(cmd.participant.id);
    if (known) return { ok: true, snapshot: this.snapshotFor(known) };
    if (m.status === 'ended' || m.status === 'cancelled') return failure(m.status === 'ended' ? 'EVENT_ENDED' : 'EVENT_CANCELLED');
    if (this.size >= this.opts.maxParticipants) return failure('ROOM_FULL');
    const role = cmd.participant.role;
    if (role === 'attendee' && m.settings.locked) return failure('ROOM_LOCKED');
    const info: ParticipantInfo = { id: cmd.participant.id, displayName: cmd.participant.displayName, role, joinedAt: cmd.participant.joinedAt };
    const grant = m.grants.get(cmd.personId);
    if (grant) info.grant = grant;
    if (m.chatMuted.has(cmd.personId)) info.chatMuted = true;
    const member: Member = {
      info,
      personId: cmd.personId,
      admission: 'waiting',
      since: cmd.participant.joinedAt,
      attendanceId: null,
    };
    const waits = role === 'attendee' && (m.status !== 'live' || m.settings.waitingRoom);
    if (waits) {
      m.waiting.set(member.info.id, member);
      this.emitLobby();
      return { ok: true, snapshot: this.snapshotFor(member) };
    }
    if (role === 'attendee' && this.attendeesFull()) return failure('ROOM_FULL');
    await this.enter(member);
    return { ok: true, snapshot: this.snapshotFor(member) };
  }

  private attendeesFull(): boolean {
    const m = this.model;
    if (m.capacity === null) return false;
    let attendees = 0;
    for (const x of m.admitted.values()) if (x.info.role === 'attendee') attendees++;
    return attendees >= m.capacity;
  }

  /** Puts a member in the room: attendance, presence. */
  private async enter(member: Member): Promise<void> {
    const m = this.model;
    member.attendanceId = await this.store.openAttendance({
      eventId: this.eventId, personId: member.personId, participantId: member.info.id, displayName: member.info.displayName,
      role: member.info.role, at: this.now(),
    });
    member.admission = 'admitted';
    m.waiting.delete(member.info.id);
    m.admitted.set(member.info.id, member);
    // The newcomer itself learns the room from its snapshot (joined, or admitted from the lobby).
    const audience = this.presenceAudience(member);
    const self = [member.info.id as ParticipantId];
    this.emit({ type: 'participant-joined', participant: { ...member.info }, seq: this.seq + 1 }, audience ? { ...audience, except: self } : { except: self });
    this.attendeesChanged();
  }

  /**
   * Who hears of a participant's presence: everyone in a meeting; in a webinar or training,
   * everyone for staff and speakers on stage, and only staff (and the attendee) for the audience —
   * two thousand attendees need not hear of each other, they get `attendee-count` instead.
   */
  presenceAudience(member: Member): RoomAudience | undefined {
    if (this.model.type === 'meeting' || !isPlainAttendee(member)) return undefined;
    return { roles: ['host', 'presenter'], participants: this.participantsOf(member.personId) };
  }

  /** Tells everyone the attendee count, at most once a second. */
  private attendeesChanged(): void {
    this.countTimer ??= setTimeout(() => {
      this.countTimer = undefined;
      if (this.disposed || !this.state) return;
      const count = this.attendeeCount();
      if (count !== this.lastCount) {
        this.lastCount = count;
        this.emit({ type: 'attendee-count', count });
      }
    }, ATTENDEE_COUNT_MS);
  }

  private attendeeCount(): number {
    let n = 0;
    for (const x of this.model.admitted.values()) if (x.info.role === 'attendee') n++;
    return n;
  }

  async admit(member: Member): Promise<void> {
    if (member.admission === 'admitted') return;
    if (member.info.role === 'attendee' && this.attendeesFull()) throw new PodiumError('ROOM_FULL');
    await this.enter(member);
    this.emit({ type: 'admitted', room: this.roomSnapshotFor(member) }, { participants: [member.info.id] });
  }

  async remove(member: Member, reason: RemovalReason): Promise<void> {
    this.emit({ type: 'removed', reason }, { participants: [member.info.id] });
    await this.drop(member, 'removed');
  }

  private async leave(participantId: string, reason: LeaveReason): Promise<RoomReply> {
    const m = this.model;
    const member = m.admitted.get(participantId) ?? m.waiting.get(participantId);
    // Leaving twice (a leave message, then the socket closing) is one departure.
    if (member) await this.drop(member, reason);
    return { ok: true };
  }

  /** Takes a member out: attendance closed, hand lowered, tracks gone, everyone told. */
  private async drop(member: Member, reason: LeaveReason): Promise<void> {
    const m = this.model;
    const id = member.info.id;
    if (member.admission === 'waiting') {
      if (m.waiting.delete(id)) this.emitLobby();
      return;
    }
    if (!m.admitted.delete(id)) return;
    if (member.attendanceId) await this.store.closeAttendance(member.attendanceId, this.now());
    member.attendanceId = null;
    if (m.hands.some((h) => h.participantId === id)) {
      m.hands = m.hands.filter((h) => h.participantId !== id);
      this.emit({ type: 'hands', hands: m.hands });
    }
    // Their tracks go with them (the media plane closes them too; removing twice is harmless).
    for (const p of [...m.producers.values()]) if (p.participantId === id) this.removeProducer(p.producerId);
    if (m.activeSpeaker === id) {
      m.activeSpeaker = null;
      this.emit({ type: 'active-speaker', participantId: null });
    }
    this.emit({ type: 'participant-left', participantId: id as ParticipantId, reason, seq: this.seq + 1 }, this.presenceAudience(member));
    this.attendeesChanged();
    if (!this.participantsOf(member.personId).length) this.limiters.delete(member.personId);
  }

  member(participantId: string): Member {
    const m = this.model;
    const member = m.admitted.get(participantId) ?? m.waiting.get(participantId);
    if (!member) throw new PodiumError('PARTICIPANT_NOT_FOUND');
    return member;
  }

  participantsOf(personId: string): ParticipantId[] {
    const out: ParticipantId[] = [];
    for (const x of this.model.admitted.values()) if (x.personId === personId) out.push(x.info.id as ParticipantId);
    for (const x of this.model.waiting.values()) if (x.personId === personId) out.push(x.info.id as ParticipantId);
    return out;
  }

  /** Hosts see who waits. */
  emitLobby(): void {
    const waiting = [...this.model.waiting.values()].map((w) => ({ participantId: w.info.id as ParticipantId, displayName: w.info.displayName, role: w.info.role, since: w.since }));
    this.emit({ type: 'lobby', waiting }, { roles: ['host'] });
  }

  // ---- tracks -----------------------------------------------------------------------------------

  private addProducer(p: RoomProducer): RoomReply {
    const m = this.model;
    const member = m.admitted.get(p.participantId);
    if (!member) return failure(m.waiting.has(p.participantId) ? 'NOT_ADMITTED' : 'NOT_JOINED');
    if (m.producers.has(p.producerId)) return { ok: true };
    if (!mayPublishKind(m.type, member.info.role, member.info.grant ?? 'none', p.kind)) return failure('FORBIDDEN');
    if (m.type === 'meeting' && p.kind === 'video' && !isStaff(member.info.role)) {
      let cameras = 0;
      for (const x of m.producers.values()) if (x.kind === 'video') cameras++;
      if (cameras >= m.settings.maxCameras) return failure('CAMERA_LIMIT');
    }
    const producer: RoomProducer = { producerId: p.producerId, participantId: p.participantId, kind: p.kind, simulcast: p.simulcast, paused: p.paused };
    m.producers.set(p.producerId, producer);
    this.emit({ type: 'producer-added', ...producer });
    return { ok: true };
  }

  private removeProducer(producerId: string): RoomReply {
    const p = this.model.producers.get(producerId);
    if (p) {
      this.model.producers.delete(producerId);
      this.emit({ type: 'producer-removed', producerId: p.producerId, participantId: p.participantId });
    }
    return { ok: true };
  }

  // ---- room messages ----------------------------------------------------------------------------

  private async client(participantId: string, msg: RoomClientMessage): Promise<RoomReply> {
    const m = this.model;
    const from = m.admitted.get(participantId);
    if (!from) return failure(m.waiting.has(participantId) ? 'NOT_ADMITTED' : 'NOT_JOINED');
    if (!roleAllows(ROOM_MESSAGE_RULES[msg.type], from.info.role)) return failure('FORBIDDEN');
    const handler = ROOM_HANDLERS.messages[msg.type] as ((room: Room, from: Member, msg: RoomClientMessage) => Promise<ServerMessage | void> | ServerMessage | void) | undefined;
    if (!handler) return failure('SIGNAL_UNKNOWN_TYPE');
    const reply = await handler(this, from, msg);
    return reply ? { ok: true, reply: reply as never } : { ok: true };
  }

  allow(personId: string, bucket: LimitBucket): boolean {
    let l = this.limiters.get(personId);
    if (!l) {
      l = new WindowLimiter(LIMITS);
      this.limiters.set(personId, l);
    }
    return l.take(bucket, this.now().getTime());
  }

  pollChanged(pollId: string): void {
    this.pollTicks.add(pollId);
    this.pollTimer ??= setTimeout(() => {
      this.pollTimer = undefined;
      if (this.disposed || !this.state) return;
      for (const id of this.pollTicks) {
        const r = this.state.polls.get(id);
        if (r) for (const e of pollEvents(r, !r.poll.resultsShared)) this.emit({ type: 'poll', poll: e.value }, e.audience);
      }
      this.pollTicks.clear();
    }, POLL_TICK_MS);
  }

  react(emoji: string): void {
    this.reactionCounts.set(emoji, (this.reactionCounts.get(emoji) ?? 0) + 1);
    this.reactionTimer ??= setTimeout(() => {
      this.reactionTimer = undefined;
      if (this.disposed) return;
      const counts = REACTIONS.filter((r) => this.reactionCounts.has(r)).map((r) => ({ emoji: r as Reaction, count: this.reactionCounts.get(r)! }));
      this.reactionCounts = new Map();
      if (counts.length) this.emit({ type: 'reactions', counts });
    }, REACTIONS_FLUSH_MS);
  }

  docs(): Promise<RoomDocHost> {
    this.docHost ??= this.services.openDocs(this.eventId);
    return this.docHost;
  }

  async audit(actor: Member | null, action: string, target?: Member | null, details?: Record<string, unknown>): Promise<void> {
    await this.store.audit({
      eventId: this.eventId, at: this.now(), actorPerson: actor?.personId ?? null, actorName: actor?.info.displayName ?? null, action,
      targetPerson: target?.personId ?? null, targetName: target?.info.displayName ?? null, details,
    });
  }

  async save(extra: { startedAt?: Date; endedAt?: Date } = {}): Promise<void> {
    const m = this.model;
    await this.store.saveRoom(this.eventId, { settings: m.settings, stage: m.stage, ...extra }, this.now());
  }

  // ---- snapshots and events ---------------------------------------------------------------------

  /** The room as `member` may see it now. */
  private roomSnapshotFor(member: Member) {
    const s = this.snapshotFor(member);
    const self = s.participants.find((p) => p.id === member.info.id) ?? member.info;
    return { event: { ...this.model.event, status: this.model.status }, self, participants: s.participants, seq: s.seq, producers: s.producers, admission: s.admission, state: s.state };
  }

  private snapshotFor(member: Member): NonNullable<Extract<RoomReply, { ok: true }>['snapshot']> {
    const m = this.model;
    const base: RoomState = {
      status: m.status, settings: { ...m.settings }, hands: [], waiting: [], chat: [], questions: [], polls: [],
      stage: { ...m.stage }, files: [],
      ...(m.startedAt ? { startedAt: m.startedAt } : {}),
    };
    if (member.admission === 'waiting') {
      return { incarnation: this.incarnation, seq: this.seq, participants: [{ ...member.info }], producers: [], admission: 'waiting', state: base };
    }
    const state: RoomState = {
      ...base,
      hands: m.hands.map((h) => ({ ...h })),
      waiting: member.info.role === 'host'
        ? [...m.waiting.values()].map((w) => ({ participantId: w.info.id as ParticipantId, displayName: w.info.displayName, role: w.info.role, since: w.since }))
        : [],
      chat: chatFor(m.chat, member, CHAT_HISTORY_LIMIT),
      questions: [...m.questions.values()].map((q) => questionFor(q, member, true)).filter((q) => q !== null),
      polls: [...m.polls.values()].map((p) => pollFor(p, member, true)).filter((p) => p !== null),
      files: m.files.map((f) => ({ ...f })),
      activeSpeaker: m.activeSpeaker,
      attendeeCount: this.attendeeCount(),
      ...(m.recording ? { recording: { active: true, startedAt: m.recording.startedAt } } : {}),
    };
    // In a webinar or training, an attendee sees staff, speakers and itself (see presenceAudience).
    const listed = (x: Member) => m.type === 'meeting' || !isPlainAttendee(member) || !isPlainAttendee(x) || x.personId === member.personId;
    return {
      incarnation: this.incarnation,
      seq: this.seq,
      participants: [...m.admitted.values()].filter(listed).map((x) => ({ ...x.info })),
      producers: [...m.producers.values()].map((x) => ({ ...x })),
      admission: 'admitted',
      state,
    };
  }

  emit(message: RoomEventBody, audience?: RoomAudience): void {
    // Presence messages carry their seq; the others get theirs on the envelope only.
    this.seq = 'seq' in message ? message.seq : this.seq + 1;
    const event: RoomBusEvent = { incarnation: this.incarnation, seq: this.seq, message, ...(audience ? { audience } : {}) };
    this.opts.bus.publish(this.eventsSubject, event);
  }
}
