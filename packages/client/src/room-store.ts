/**
 * The live room as one participant sees it, as plain immutable data: built from the join snapshot
 * (`fromSnapshot`) and advanced by every message the server pushes (`apply`), following the rules
 * of docs/signaling.md ("Room"). No framework, no I/O: the web app keeps one RoomModel in React
 * state, bots and tests use it directly.
 *
 * What events do not carry, the model remembers on the client: the questions this participant
 * asked and upvoted, and its poll choices (snapshots fill `mine`/`voted`/`myChoice`; events do not).
 */
import {
  ROOM_MESSAGE_RULES, roleAllows, type ChatMessage, type EventStatus, type JoinedMessage, type JoinRole, type MediaKind,
  type ParticipantInfo, type Poll, type Question, type RemovalReason, type RoomClientMessageType, type RoomDocName,
  type RoomEventSummary, type RoomProducer, type RoomSettings, type RoomSnapshot, type RoomState, type ServerMessage,
  type ServerMessageOf, type ModerationAction, type Reaction, emptyRoomState,
} from '@podium/protocol';

/** Most chat messages the model keeps (the server sends the last 200 with a snapshot). */
export const MODEL_CHAT_LIMIT = 500;

/** What the client remembers about its own actions, since events do not say (see file comment). */
export interface RoomMemory {
  /** Ids of the questions this participant asked. */
  asked: readonly string[];
  /** Ids of the questions this participant upvoted. */
  voted: readonly string[];
  /** Options chosen per poll id. */
  choices: Readonly<Record<string, readonly number[]>>;
}

/** An empty memory (nothing asked, voted or chosen). */
export const EMPTY_MEMORY: RoomMemory = { asked: [], voted: [], choices: {} };

/** The laser pointer of a presenter, as last reported. */
export interface PointerState {
  participantId: string;
  x: number;
  y: number;
  visible: boolean;
}

/** The room as one participant sees it. Every `apply` returns a new object (changed parts replaced). */
export interface RoomModel {
  event: RoomEventSummary;
  /** This participant (kept up to date from participant-updated). */
  self: ParticipantInfo;
  role: JoinRole;
  admission: 'admitted' | 'waiting';
  /** The room seq of the last presence/room event applied. */
  seq: number;
  /** Everyone in the room in join order (only oneself while waiting). */
  participants: readonly ParticipantInfo[];
  /** Tracks published now. */
  producers: readonly RoomProducer[];
  /** Settings, hands, lobby, chat, questions (sorted by votes), polls, stage, files, active speaker. */
  state: RoomState;
  memory: RoomMemory;
  /** The last reactions burst; `n` increases with each one, so a UI can animate each burst once. */
  reactions: { n: number; counts: readonly { emoji: Reaction; count: number }[] };
  /** Laser pointers by presenter. */
  pointers: Readonly<Record<string, PointerState>>;
  /** The last moderation applied to this participant (`n` increases with each one). */
  moderation: { n: number; action: ModerationAction; by: string } | null;
  /** Set once the server took this participant out of the room. */
  removed: RemovalReason | null;
}

// ---- building ---------------------------------------------------------------------------------

/** Newest first by votes, then oldest first by asking time (ties keep asking order). */
export function sortQuestions(questions: readonly Question[]): Question[] {
  return questions
    .map((q, i) => ({ q, i }))
    .sort((a, b) => b.q.votes - a.q.votes || Date.parse(a.q.askedAt) - Date.parse(b.q.askedAt) || a.i - b.i)
    .map((x) => x.q);
}

function uniq(list: readonly string[], add: readonly string[]): string[] {
  const out = [...list];
  for (const x of add) if (!out.includes(x)) out.push(x);
  return out;
}

/** Merges what a snapshot says about the viewer (`mine`, `voted`, `myChoice`) into the memory. */
function learnFromState(memory: RoomMemory, state: RoomState): RoomMemory {
  const asked = uniq(memory.asked, state.questions.filter((q) => q.mine).map((q) => q.id));
  const votedNow = state.questions.filter((q) => q.voted).map((q) => q.id);
  const notVoted = new Set(state.questions.filter((q) => q.voted === false).map((q) => q.id));
  const voted = uniq(memory.voted.filter((id) => !notVoted.has(id)), votedNow);
  const choices: Record<string, readonly number[]> = { ...memory.choices };
  for (const p of state.polls) if (p.myChoice) choices[p.id] = [...p.myChoice];
  return { asked, voted, choices };
}

function decorateQuestion(q: Question, memory: RoomMemory): Question {
  return { ...q, mine: q.mine ?? memory.asked.includes(q.id), voted: memory.voted.includes(q.id) };
}

function decoratePoll(p: Poll, memory: RoomMemory): Poll {
  const choice = p.myChoice ?? memory.choices[p.id];
  if (!choice) {
    const { myChoice: _drop, ...rest } = p;
    return rest;
  }
  return { ...p, myChoice: [...choice] };
}

function dedupeChat(messages: readonly ChatMessage[]): ChatMessage[] {
  const seen = new Set<string>();
  const out: ChatMessage[] = [];
  for (const m of messages) {
    if (seen.has(m.id)) continue;
    seen.add(m.id);
    out.push(m);
  }
  return out.slice(-MODEL_CHAT_LIMIT);
}

/**
 * The model of a join snapshot (`joined.room`, or `admitted.room`, which replaces the previous
 * one). `memory` carries what the client remembered before (a reconnect, or the lobby).
 */
export function fromSnapshot(joined: JoinedMessage | RoomSnapshot, memory: RoomMemory = EMPTY_MEMORY): RoomModel {
  const room: RoomSnapshot = 'room' in joined ? joined.room : joined;
  const role: JoinRole = 'role' in joined ? joined.role : room.self.role;
  const state0: RoomState = room.state ?? emptyRoomState(room.event.status);
  const mem = learnFromState(memory, state0);
  const state: RoomState = {
    ...state0,
    chat: dedupeChat(state0.chat),
    questions: sortQuestions(state0.questions.map((q) => decorateQuestion(q, mem))),
    polls: state0.polls.map((p) => decoratePoll(p, mem)),
  };
  const self = room.participants.find((p) => p.id === room.self.id) ?? room.self;
  return {
    event: { ...room.event, status: state.status },
    self,
    role,
    admission: room.admission ?? 'admitted',
    seq: room.seq,
    participants: room.participants.some((p) => p.id === self.id) ? [...room.participants] : [...room.participants, self],
    producers: [...(room.producers ?? [])],
    state,
    memory: mem,
    reactions: { n: 0, counts: [] },
    pointers: {},
    moderation: null,
    removed: null,
  };
}

// ---- applying events --------------------------------------------------------------------------

/** Every message type `apply` understands (pushed presence, track and room events, and room replies). */
export const APPLIED_TYPES = [
  'participant-joined', 'participant-left', 'participant-updated', 'producer-added', 'producer-removed', 'producer-paused',
  'room-status', 'settings', 'hands', 'lobby', 'admitted', 'removed', 'moderated', 'chat', 'chat-deleted', 'question',
  'poll', 'poll-removed', 'reactions', 'stage', 'pointer', 'files', 'active-speaker', 'attendee-count', 'chat-sent',
  'question-asked', 'poll-created', 'recording',
] as const;
/** A message type `apply` understands. */
export type AppliedType = (typeof APPLIED_TYPES)[number];

function withState(m: RoomModel, patch: Partial<RoomState>): RoomModel {
  return { ...m, state: { ...m.state, ...patch } };
}

function upsert<T>(list: readonly T[], item: T, same: (a: T) => boolean): T[] {
  const i = list.findIndex(same);
  if (i < 0) return [...list, item];
  const out = [...list];
  out[i] = item;
  return out;
}

function addChat(m: RoomModel, message: ChatMessage): RoomModel {
  if (m.state.chat.some((c) => c.id === message.id)) return m;
  return withState(m, { chat: [...m.state.chat, message].slice(-MODEL_CHAT_LIMIT) });
}

function putQuestion(m: RoomModel, q: Question, memory: RoomMemory = m.memory): RoomModel {
  const decorated = decorateQuestion(q, memory);
  const next = { ...m, memory };
  return withState(next, { questions: sortQuestions(upsert(m.state.questions, decorated, (x) => x.id === q.id)) });
}

function putPoll(m: RoomModel, p: Poll): RoomModel {
  return withState(m, { polls: upsert(m.state.polls, decoratePoll(p, m.memory), (x) => x.id === p.id) });
}

function setStatus(m: RoomModel, status: EventStatus, startedAt?: string): RoomModel {
  const next = withState(m, { status, ...(startedAt ? { startedAt } : {}) });
  return { ...next, event: { ...next.event, status } };
}

/** The seq a pushed message carries, if any (presence always; room events when the server numbers them). */
function seqOf(msg: ServerMessage): number | undefined {
  const s = (msg as { seq?: unknown }).seq;
  return typeof s === 'number' && Number.isInteger(s) ? s : undefined;
}

/**
 * Applies one server message to the model and returns the new model (the same object when the
 * message changes nothing or is not a room message). Messages numbered at or below the model's
 * seq are old (already in the snapshot) and are dropped; the seq may jump, because a participant
 * only receives the events meant for it.
 */
export function apply(m: RoomModel, msg: ServerMessage): RoomModel {
  const seq = seqOf(msg);
  if (seq !== undefined && msg.type !== 'admitted') {
    if (seq <= m.seq) return m;
    m = { ...m, seq };
  }
  switch (msg.type) {
    case 'participant-joined': {
      const p = msg.participant;
      return { ...m, participants: upsert(m.participants, p, (x) => x.id === p.id) };
    }
    case 'participant-left': {
      if (msg.participantId === m.self.id) return m;
      const id = msg.participantId;
      const pointers = { ...m.pointers };
      delete pointers[id];
      const next = {
        ...m,
        participants: m.participants.filter((p) => p.id !== id),
        producers: m.producers.filter((p) => p.participantId !== id),
        pointers,
      };
      const patch: Partial<RoomState> = { hands: m.state.hands.filter((h) => h.participantId !== id) };
      if (m.state.activeSpeaker === id) patch.activeSpeaker = null;
      return withState(next, patch);
    }
    case 'participant-updated': {
      const p = msg.participant;
      if (p.id === m.self.id) return { ...m, self: p, participants: upsert(m.participants, p, (x) => x.id === p.id) };
      // An attendee of a webinar lists only the stage: someone whose grant ends goes back to the audience.
      if (listsAudienceOnly(m) && p.role === 'attendee' && (p.grant ?? 'none') === 'none') {
        return { ...m, participants: m.participants.filter((x) => x.id !== p.id) };
      }
      return { ...m, participants: upsert(m.participants, p, (x) => x.id === p.id) };
    }
    case 'producer-added': {
      const { type: _t, ...producer } = msg;
      const rp = producer as RoomProducer;
      return { ...m, producers: upsert(m.producers, rp, (x) => x.producerId === rp.producerId) };
    }
    case 'producer-removed':
      if (!m.producers.some((p) => p.producerId === msg.producerId)) return m;
      return { ...m, producers: m.producers.filter((p) => p.producerId !== msg.producerId) };
    case 'producer-paused':
      if (!m.producers.some((p) => p.producerId === msg.producerId)) return m;
      return { ...m, producers: m.producers.map((p) => (p.producerId === msg.producerId ? { ...p, paused: msg.paused } : p)) };
    case 'room-status':
      return setStatus(m, msg.status, msg.startedAt);
    case 'settings':
      return withState(m, { settings: msg.settings });
    case 'hands':
      return withState(m, { hands: [...msg.hands] });
    case 'lobby':
      return withState(m, { waiting: [...msg.waiting] });
    case 'admitted': {
      const next = fromSnapshot(msg.room, m.memory);
      return { ...next, role: m.role, reactions: m.reactions, moderation: m.moderation };
    }
    case 'removed':
      return { ...m, removed: msg.reason };
    case 'moderated':
      return { ...m, moderation: { n: (m.moderation?.n ?? 0) + 1, action: msg.action, by: msg.by } };
    case 'chat':
    case 'chat-sent':
      return addChat(m, msg.message);
    case 'chat-deleted':
      if (!m.state.chat.some((c) => c.id === msg.messageId)) return m;
      return withState(m, { chat: m.state.chat.filter((c) => c.id !== msg.messageId) });
    case 'question':
      return putQuestion(m, msg.question);
    case 'question-asked': {
      const memory = { ...m.memory, asked: uniq(m.memory.asked, [msg.question.id]) };
      return putQuestion(m, msg.question, memory);
    }
    case 'poll':
    case 'poll-created':
      return putPoll(m, msg.poll);
    case 'poll-removed':
      return withState(m, { polls: m.state.polls.filter((p) => p.id !== msg.pollId) });
    case 'reactions':
      return { ...m, reactions: { n: m.reactions.n + 1, counts: [...msg.counts] } };
    case 'stage':
      return withState(m, { stage: msg.stage });
    case 'pointer': {
      if (!('participantId' in msg)) return m;
      const { participantId, x, y, visible } = msg;
      return { ...m, pointers: { ...m.pointers, [participantId]: { participantId, x, y, visible } } };
    }
    case 'files':
      return withState(m, { files: [...msg.files] });
    case 'active-speaker':
      return withState(m, { activeSpeaker: msg.participantId });
    case 'attendee-count':
      return withState(m, { attendeeCount: msg.count });
    case 'recording':
      return withState(m, { recording: msg.active ? { active: true, ...(msg.startedAt ? { startedAt: msg.startedAt } : {}) } : { active: false } });
    default:
      return m;
  }
}

// ---- what the client confirms itself ----------------------------------------------------------

/** After the server acknowledged `question-vote {up}`: the question counts as (not) voted by me. */
export function rememberVote(m: RoomModel, questionId: string, up: boolean): RoomModel {
  const voted = up ? uniq(m.memory.voted, [questionId]) : m.memory.voted.filter((id) => id !== questionId);
  const memory = { ...m.memory, voted };
  const q = m.state.questions.find((x) => x.id === questionId);
  const next = { ...m, memory };
  return q ? putQuestion(next, q, memory) : next;
}

/** After the server acknowledged `poll-vote`: my choice in that poll. */
export function rememberChoice(m: RoomModel, pollId: string, choice: readonly number[]): RoomModel {
  const memory = { ...m.memory, choices: { ...m.memory.choices, [pollId]: [...choice] } };
  const next = { ...m, memory };
  return withState(next, { polls: m.state.polls.map((p) => (p.id === pollId ? decoratePoll(p, memory) : p)) });
}

// ---- derived ----------------------------------------------------------------------------------

/** Hosts and presenters. */
export function isStaff(role: JoinRole): boolean {
  return role === 'host' || role === 'presenter';
}

/** True for hosts (moderators). */
export function isHost(m: RoomModel): boolean {
  return m.role === 'host';
}

/**
 * True when this participant sees the stage only, not the whole audience: an attendee of a
 * webinar or training (its participant list holds the staff, those on stage and itself).
 */
export function listsAudienceOnly(m: RoomModel): boolean {
  return !isStaff(m.role) && m.event.type !== 'meeting';
}

/** How many attendees are in the room (the server's count where the list is not complete). */
export function attendeeCount(m: RoomModel): number {
  const listed = m.participants.filter((p) => p.role === 'attendee').length;
  return m.state.attendeeCount ?? listed;
}

/** How many people are in the room: staff as listed, attendees as counted. */
export function peopleCount(m: RoomModel): number {
  return m.participants.filter((p) => p.role !== 'attendee').length + attendeeCount(m);
}

/** The participant with this id, if present. */
export function participant(m: RoomModel, id: string | null | undefined): ParticipantInfo | undefined {
  return id ? m.participants.find((p) => p.id === id) : undefined;
}

/** The tracks one participant publishes now. */
export function producersOf(m: RoomModel, participantId: string): RoomProducer[] {
  return m.producers.filter((p) => p.participantId === participantId);
}

/** Cameras on in the room now (for a meeting's camera limit). */
export function cameraCount(m: RoomModel): number {
  return m.producers.filter((p) => p.kind === 'video').length;
}

/**
 * May this participant publish a track of this kind now: hosts and presenters always; in a
 * meeting everyone (a camera only below `maxCameras`, unless it is already theirs); in a webinar
 * or training an attendee with a grant — `speaker` any kind, `camera` the camera only.
 */
export function mayPublish(m: RoomModel, kind: MediaKind): boolean {
  if (m.admission !== 'admitted' || m.removed) return false;
  if (isStaff(m.role)) return true;
  if (m.event.type === 'meeting') {
    if (kind !== 'video') return true;
    const mine = m.producers.some((p) => p.participantId === m.self.id && p.kind === 'video');
    return mine || cameraCount(m) < m.state.settings.maxCameras;
  }
  const grant = m.self.grant ?? 'none';
  if (grant === 'speaker') return true;
  if (grant === 'camera') return kind === 'video';
  return false;
}

/** True when this participant may write to the document. */
export function mayEdit(m: RoomModel, doc: RoomDocName): boolean {
  if (m.admission !== 'admitted') return false;
  if (isStaff(m.role)) return true;
  if (doc === 'notes') return m.state.settings.notesEditableByAttendees;
  return m.self.grant === 'speaker';
}

/** Whom this participant may write to in the chat now. */
export function chatTargets(m: RoomModel): { everyone: boolean; hosts: boolean; participants: boolean } {
  const s: RoomSettings = m.state.settings;
  if (m.admission !== 'admitted') return { everyone: false, hosts: false, participants: false };
  if (isStaff(m.role)) return { everyone: true, hosts: s.privateChatEnabled || m.role === 'presenter', participants: m.role === 'host' };
  if (m.self.chatMuted) return { everyone: false, hosts: false, participants: false };
  return { everyone: s.chatEnabled, hosts: s.privateChatEnabled, participants: false };
}

/**
 * True when the UI should offer sending this room message: the participant's role may send it
 * (ROOM_MESSAGE_RULES) and the room's state allows it now (event status, settings, chat mute…).
 * The server decides in the end; this keeps buttons that would only be refused out of sight.
 */
export function can(m: RoomModel, type: RoomClientMessageType): boolean {
  if (m.removed) return false;
  if (m.admission !== 'admitted') return false;
  if (!roleAllows(ROOM_MESSAGE_RULES[type], m.role)) return false;
  const s = m.state.settings;
  const live = m.state.status === 'live';
  const open = m.state.status === 'live' || m.state.status === 'scheduled';
  switch (type) {
    case 'room-start':
      return m.state.status === 'scheduled';
    case 'room-end':
      return live;
    case 'recording-start':
      return live && !m.state.recording?.active;
    case 'recording-stop':
      return m.state.recording?.active === true;
    case 'lobby-admit':
    case 'lobby-deny':
      return m.state.waiting.length > 0;
    case 'chat-send': {
      const t = chatTargets(m);
      return open && (t.everyone || t.hosts || t.participants);
    }
    case 'question-ask':
    case 'question-vote':
      return open && (s.qaEnabled || isStaff(m.role));
    case 'react':
      return live && s.reactionsEnabled;
    case 'hand-raise':
      return open && !isStaff(m.role);
    case 'poll-vote':
      return m.state.polls.some((p) => p.status === 'live' && !p.myChoice);
    case 'doc-update':
      return mayEdit(m, 'board') || mayEdit(m, 'notes');
    case 'chat-delete':
      return m.state.chat.length > 0;
    default:
      return open || type === 'file-link' || type === 'doc-sync';
  }
}

/** True when this participant may vote in the poll now (live, not voted yet). */
export function canVote(m: RoomModel, poll: Poll): boolean {
  return m.admission === 'admitted' && poll.status === 'live' && !poll.myChoice;
}

/** Position (1-based) of a participant's raised hand in the queue, or 0 when not raised. */
export function handPosition(m: RoomModel, participantId: string): number {
  return m.state.hands.findIndex((h) => h.participantId === participantId) + 1;
}

/** True when a chat message is private (to the hosts, or a host's reply to one person). */
export function isPrivate(message: ChatMessage): boolean {
  return message.to !== 'everyone';
}

/** Exhaustiveness guard for message types (kept in step with APPLIED_TYPES by the tests). */
export type AppliedMessage = ServerMessageOf<AppliedType>;
