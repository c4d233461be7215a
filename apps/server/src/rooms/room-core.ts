/**
 * The room's state as its coordinator holds it, and the narrow interface the command handlers
 * (rooms/handlers/*.ts) work through: they read and change the model, await the store, and emit
 * events; the coordinator owns ordering, membership and delivery.
 */
import type {
  AppContext,
} from '../context';
import type {
  EventId, EventStatus, EventType, HandEntry, OrgId, ParticipantId, RemovalReason, RoomAudience, RoomBusEvent,
  RoomEventSummary, RoomFile, RoomProducer, RoomSettings, ServerMessage, StageGrant, StageState,
} from '@podium/protocol';
import type { RoomStore } from './room-store';
import type { ChatRecord, Member, PollRecord, QuestionRecord } from './room-records';
import type { RoomDocHost } from './room-docs-port';

/** What the room needs from the rest of the control plane. */
export interface RoomServices {
  ctx: AppContext;
  /** Moves the event's status (events domain: checks the transition, drops reminders…). */
  setEventStatus(orgId: OrgId, eventId: EventId, status: EventStatus): Promise<void>;
  /** The event's files (the files domain). */
  listFiles(eventId: EventId): Promise<RoomFile[]>;
  /** A signed, expiring download link of one of the event's files. */
  fileLink(fileId: string): { url: string; expiresAt: string };
  /** Opens the room's collaborative documents. */
  openDocs(eventId: EventId): Promise<RoomDocHost>;
  /** Records the room (absent when this server cannot record: recording-start answers MEDIA_UNAVAILABLE). */
  recorder?: RoomRecorder;
}

/** What a recorder is told of the room when recording starts (later changes reach it as room events). */
export interface RoomRecordingStart {
  eventId: EventId;
  orgId: OrgId;
  /** The host who started it (person id), or null for auto-record. */
  startedBy: string | null;
  stage: StageState;
  participants: { participantId: ParticipantId; displayName: string; role: string }[];
  producers: RoomProducer[];
  activeSpeaker: ParticipantId | null;
  /** The board document (slide annotations, whiteboard) so far, as a base64 Yjs update. */
  board?: string;
}

/** The recordings domain as a room sees it. */
export interface RoomRecorder {
  /** Starts recording; resolves once the recording's row is stored (and its room events are followed). */
  start(input: RoomRecordingStart): Promise<{ recordingId: string; startedAt: string }>;
  /** Stops the room's recording (idempotent); its files are finalized in the background. */
  stop(eventId: EventId, recordingId: string): Promise<void>;
}

/** The room's state (see file comment). */
export interface RoomModel {
  orgId: OrgId;
  type: EventType;
  status: EventStatus;
  startedAt: string | null;
  settings: RoomSettings;
  stage: StageState;
  /** The newest chat messages (bounded), oldest first. */
  chat: ChatRecord[];
  questions: Map<string, QuestionRecord>;
  polls: Map<string, PollRecord>;
  files: RoomFile[];
  hands: HandEntry[];
  activeSpeaker: ParticipantId | null;
  /** In the room, in admission order. */
  admitted: Map<string, Member>;
  /** In the lobby, in arrival order. */
  waiting: Map<string, Member>;
  producers: Map<string, RoomProducer>;
  /** Stage grants by person, so a reconnect keeps them. */
  grants: Map<string, StageGrant>;
  /** People a host muted in the chat, so a reconnect keeps it. */
  chatMuted: Set<string>;
  /** The event as the first join described it (status kept current). */
  event: RoomEventSummary;
  /** Most attendees at once (the event's capacity), or null. */
  capacity: number | null;
  /** The recording running now, or null. */
  recording: { recordingId: string; startedAt: string } | null;
}

/** A room event without the envelope (the coordinator numbers it). */
export type RoomEventBody = RoomBusEvent['message'];

/** Rate-limit buckets per person. */
export type LimitBucket = 'chat' | 'question' | 'reaction';

/** What handlers may do to the room. */
export interface Room {
  readonly eventId: EventId;
  readonly store: RoomStore;
  readonly services: RoomServices;
  readonly model: RoomModel;
  now(): Date;
  /** Publishes an event to `audience` (everyone admitted when absent). */
  emit(message: RoomEventBody, audience?: RoomAudience): void;
  /** A participant of the room (admitted or waiting); PARTICIPANT_NOT_FOUND otherwise. */
  member(participantId: string): Member;
  /** Every participant id of a person present now (a person may have several tabs). */
  participantsOf(personId: string): ParticipantId[];
  /** Lets a waiting participant in (ROOM_FULL past the capacity). */
  admit(m: Member): Promise<void>;
  /** Takes a participant out of the room and tells them why (their connection closes). */
  remove(m: Member, reason: RemovalReason): Promise<void>;
  /** Appends to the event's audit trail. */
  audit(actor: Member | null, action: string, target?: Member | null, details?: Record<string, unknown>): Promise<void>;
  /** Who hears of this participant's presence and changes (everyone, or staff for a webinar's audience). */
  presenceAudience(m: Member): RoomAudience | undefined;
  /** Tells the hosts who waits in the lobby now. */
  emitLobby(): void;
  /** Keeps settings and stage with the event. */
  save(extra?: { startedAt?: Date; endedAt?: Date }): Promise<void>;
  /** False when the person is over the bucket's rate. */
  allow(personId: string, bucket: LimitBucket): boolean;
  /** Sends the poll's current counts to staff soon (vote bursts are coalesced). */
  pollChanged(pollId: string): void;
  /** Counts a reaction into the next reactions event. */
  react(emoji: string): void;
  /** The room's documents (opened on first use). */
  docs(): Promise<RoomDocHost>;
}

/** A handler of one room message type: resolves with the reply to send (ack when void). */
export type RoomHandler<M> = (room: Room, from: Member, msg: M) => Promise<ServerMessage | void> | ServerMessage | void;
