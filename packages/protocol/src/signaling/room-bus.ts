/**
 * Bus messages between signaling connections and a room's coordinator (DESIGN.md §3a). They cross
 * processes in the cluster (NATS), so they are plain JSON. The room issue adds more commands
 * (chat, Q&A, polls…) as further members of these unions.
 */
import { Type, type Static } from '@sinclair/typebox';
import { IdSchema, type EventId } from '../ids';
import { ParticipantIdSchema, ParticipantInfo, RoomProducer } from './common';
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

/** Add a participant to the room. */
export const RoomJoinCommand = Type.Object({
  kind: Type.Literal('join'),
  eventId: IdSchema('event'),
  participant: ParticipantInfo,
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
/** Any command a room coordinator applies, in arrival order. */
export const RoomCommand = Type.Union([RoomJoinCommand, RoomLeaveCommand, RoomProducerAddCommand, RoomProducerRemoveCommand, RoomProducerPauseCommand]);
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
    })),
  }),
  Type.Object({ ok: Type.Literal(false), code: Type.String(), message: Type.String() }),
]);
/** The room's reply to a command. */
export type RoomReply = Static<typeof RoomReply>;

/**
 * One event on a room's events subject. `incarnation` names this life of the room (a room emptied
 * and opened again starts a new one), `seq` orders events within it; a newcomer drops events
 * at or below its snapshot's seq, and events of another incarnation.
 */
export const RoomBusEvent = Type.Object({
  incarnation: Type.String(),
  seq: Type.Integer({ minimum: 1 }),
  message: Type.Union([ParticipantJoinedMessage, ParticipantLeftMessage, ProducerAddedMessage, ProducerRemovedMessage, ProducerPausedMessage]),
});
/** One event on a room's events subject. */
export type RoomBusEvent = Static<typeof RoomBusEvent>;
