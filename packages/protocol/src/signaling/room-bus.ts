/**
 * Bus messages between signaling connections and a room's coordinator (DESIGN.md §3a). They cross
 * processes in the cluster (NATS), so they are plain JSON. The room issue adds more commands
 * (chat, Q&A, polls…) as further members of these unions.
 */
import { Type, type Static } from '@sinclair/typebox';
import { IdSchema, type EventId } from '../ids';
import { EventStatus } from '../api/events';
import { JoinRole } from '../api/registrations';
import { ParticipantIdSchema, ParticipantInfo, RoomEventSummary } from './common';
import { RoomProducer, RoomSnapshot } from './snapshot';
import { ROOM_CLIENT_SCHEMAS } from './room-messages';
import { ROOM_SERVER_SCHEMAS } from './room-events';
import { Admission, RoomState } from './room-state';
import { ProducerAddedMessage, ProducerPausedMessage, ProducerRemovedMessage } from './media';
import { LeaveReason, ParticipantJoinedMessage, ParticipantLeftMessage } from './session';

/** The bus subjects of one room: commands to its coordinator (request/reply), events from it (publish). */
export function roomSubjects(eventId: EventId): { commands: string; events: string } {
  return { commands: `room.${eventId}.commands`, events: `room.${eventId}.events` };
}

/** Subject pattern matching every room's commands (one token per event id). */
export const ROOM_COMMANDS_PATTERN = 'room.*.commands';

/** The event id of a room subject (`room.<eventId>.…`), or undefined for anything else. */
export function roomOfSubject(subject: string): EventId | undefined {
  const m = /^room\.(evt_[0-9a-z]{20})\.[a-z]+$/.exec(subject);
  return m ? (m[1] as EventId) : undefined;
}

/** Add a participant to the room (or to its lobby). */
export const RoomJoinCommand = Type.Object({
  kind: Type.Literal('join'),
  eventId: IdSchema('event'),
  participant: ParticipantInfo,
  /** The person behind the join token (`reg_…` or `usr_…`): attendance, votes and bans are theirs across reconnects. */
  personId: Type.String({ minLength: 3, maxLength: 64 }),
  /** The event as the connection's admission read it. */
  event: RoomEventSummary,
  /** Most attendees in the room at once (the event's capacity), or null for no limit. */
  capacity: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
});
/** Remove a participant from the room (idempotent). */
export const RoomLeaveCommand = Type.Object({
  kind: Type.Literal('leave'),
  eventId: IdSchema('event'),
  participantId: ParticipantIdSchema,
  reason: LeaveReason,
});
/** The media plane announces a participant's new track (the room tells everyone: producer-added). */
export const RoomProducerAddCommand = Type.Object({
  kind: Type.Literal('producer-add'),
  eventId: IdSchema('event'),
  producer: RoomProducer,
});
/** A track is gone (idempotent; the room tells everyone: producer-removed). */
export const RoomProducerRemoveCommand = Type.Object({
  kind: Type.Literal('producer-remove'),
  eventId: IdSchema('event'),
  producerId: Type.String({ maxLength: 72 }),
});
/** A track was paused or resumed by its publisher (producer-paused). */
export const RoomProducerPauseCommand = Type.Object({
  kind: Type.Literal('producer-pause'),
  eventId: IdSchema('event'),
  producerId: Type.String({ maxLength: 72 }),
  paused: Type.Boolean(),
});
/** A participant's room message (chat, Q&A, polls, moderation…), validated by its connection; the coordinator authorizes it. */
export const RoomClientCommand = Type.Object({
  kind: Type.Literal('client'),
  eventId: IdSchema('event'),
  participantId: ParticipantIdSchema,
  message: Type.Union(Object.values(ROOM_CLIENT_SCHEMAS)),
});
/** The event's status changed outside the room (REST API): the room follows (ended closes it). */
export const RoomEventStatusCommand = Type.Object({
  kind: Type.Literal('event-status'),
  eventId: IdSchema('event'),
  status: EventStatus,
});
/** The event's files changed (upload or deletion through the REST API): the room reloads and announces them. */
export const RoomFilesChangedCommand = Type.Object({ kind: Type.Literal('files-changed'), eventId: IdSchema('event') });
/** Prepared polls changed through the REST API: the room reloads them. */
export const RoomPollsChangedCommand = Type.Object({ kind: Type.Literal('polls-changed'), eventId: IdSchema('event') });
/** The room's settings changed through the REST API: the room reloads and announces them. */
export const RoomSettingsChangedCommand = Type.Object({ kind: Type.Literal('settings-changed'), eventId: IdSchema('event') });
/** A person was erased (GDPR): the room drops their connections and reloads chat and Q&A from SQL. */
export const RoomPersonErasedCommand = Type.Object({
  kind: Type.Literal('person-erased'),
  eventId: IdSchema('event'),
  /** The ids the room knew them by (reg_… / usr_…), before the erasure replaced them. */
  personIds: Type.Array(Type.String({ minLength: 3, maxLength: 64 }), { maxItems: 100 }),
});
/** The media plane's audio levels name a new dominant speaker (or nobody). */
export const RoomActiveSpeakerCommand = Type.Object({
  kind: Type.Literal('active-speaker'),
  eventId: IdSchema('event'),
  participantId: Type.Union([ParticipantIdSchema, Type.Null()]),
});
/** Any command a room coordinator applies, in arrival order. */
export const RoomCommand = Type.Union([
  RoomJoinCommand, RoomLeaveCommand, RoomProducerAddCommand, RoomProducerRemoveCommand, RoomProducerPauseCommand,
  RoomClientCommand, RoomEventStatusCommand, RoomFilesChangedCommand, RoomPollsChangedCommand, RoomSettingsChangedCommand,
  RoomActiveSpeakerCommand, RoomPersonErasedCommand,
]);
/** Any command a room coordinator applies. */
export type RoomCommand = Static<typeof RoomCommand>;

/** The room's reply to a command: ok (with the snapshot for a join), or a registry error code. */
export const RoomReply = Type.Union([
  Type.Object({
    ok: Type.Literal(true),
    /** For join: everyone present (the newcomer included) in join order, and the last event's seq. */
    snapshot: Type.Optional(Type.Object({
      incarnation: Type.String(),
      seq: Type.Integer({ minimum: 0 }),
      participants: Type.Array(ParticipantInfo),
      /** Tracks published now. */
      producers: Type.Optional(Type.Array(RoomProducer)),
      /** In the room or in its lobby. */
      admission: Type.Optional(Admission),
      /** The room's state as this participant may see it. */
      state: Type.Optional(RoomState),
    })),
    /** For a client command: the reply to send (chat-sent, question-asked, poll-created, doc-state, file-link); ack otherwise. */
    reply: Type.Optional(Type.Union(Object.values(ROOM_SERVER_SCHEMAS))),
  }),
  Type.Object({ ok: Type.Literal(false), code: Type.String(), message: Type.String() }),
]);
/** The room's reply to a command. */
export type RoomReply = Static<typeof RoomReply>;

/**
 * Whom a room event is for. With `roles` and/or `participants`, it reaches the admitted
 * participants of those roles plus the participants named (admitted or waiting); without either,
 * every admitted participant, and the lobby too when `waiting` is true. Participants in `except` are left out.
 */
export const RoomAudience = Type.Object({
  roles: Type.Optional(Type.Array(JoinRole, { maxItems: 3 })),
  participants: Type.Optional(Type.Array(ParticipantIdSchema)),
  except: Type.Optional(Type.Array(ParticipantIdSchema)),
  waiting: Type.Optional(Type.Boolean()),
});
/** Whom a room event is for. */
export type RoomAudience = Static<typeof RoomAudience>;

/** True when an event meant for `audience` reaches a participant (the connection checks this before relaying). */
export function reachesAudience(
  audience: RoomAudience | undefined,
  who: { participantId: string; role: Static<typeof JoinRole>; admission: Static<typeof Admission> },
): boolean {
  if (!audience) return who.admission === 'admitted';
  if (audience.except?.includes(who.participantId)) return false;
  if (audience.participants?.includes(who.participantId)) return true;
  if (audience.roles) return who.admission === 'admitted' && audience.roles.includes(who.role);
  if (audience.participants) return false;
  return who.admission === 'admitted' || audience.waiting === true;
}

/**
 * One event on a room's events subject. `incarnation` names this life of the room (a room emptied
 * and opened again starts a new one), `seq` orders events within it; a newcomer drops events
 * at or below its snapshot's seq, and events of another incarnation.
 */
export const RoomBusEvent = Type.Object({
  incarnation: Type.String(),
  seq: Type.Integer({ minimum: 1 }),
  message: Type.Union([
    ParticipantJoinedMessage, ParticipantLeftMessage, ProducerAddedMessage, ProducerRemovedMessage, ProducerPausedMessage,
    ...Object.values(ROOM_SERVER_SCHEMAS),
  ]),
  /** Who receives it (absent: everyone admitted). See `reachesAudience`. */
  audience: Type.Optional(RoomAudience),
});
/** One event on a room's events subject. */
export type RoomBusEvent = Static<typeof RoomBusEvent>;
