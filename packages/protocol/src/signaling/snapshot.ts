/**
 * The room as a participant receives it when joining (and when admitted from the lobby): presence,
 * tracks, and the room's state as this participant may see it.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ParticipantIdSchema, ParticipantInfo, RoomEventSummary } from './common';
import { Admission, RoomState } from './room-state';

/** A track published in the room, as a newcomer's snapshot lists it (same fields as producer-added). */
export const RoomProducer = Type.Object({
  producerId: Type.String({ minLength: 3, maxLength: 72, pattern: '^[a-z]{2,4}_[0-9A-Za-z]{1,64}$' }),
  participantId: ParticipantIdSchema,
  kind: Type.Union([Type.Literal('audio'), Type.Literal('video'), Type.Literal('screen')]),
  simulcast: Type.Boolean(),
  paused: Type.Boolean(),
});
/** A track published in the room. */
export type RoomProducer = Static<typeof RoomProducer>;

/** The room as a newcomer receives it; later changes arrive as events with a higher `seq`. */
export const RoomSnapshot = Type.Object({
  event: RoomEventSummary,
  /** The joining participant itself (its id and the role its join token granted). */
  self: ParticipantInfo,
  /** Everyone in the room, the newcomer included, in join order (only the newcomer while it waits in the lobby). */
  participants: Type.Array(ParticipantInfo),
  /** Sequence number of the last room event the snapshot includes. */
  seq: Type.Integer({ minimum: 0 }),
  /** Tracks published now (later ones arrive as producer-added / producer-removed). */
  producers: Type.Optional(Type.Array(RoomProducer)),
  /** In the room, or waiting in the lobby until a host admits them (absent: admitted). */
  admission: Type.Optional(Admission),
  /** Settings, hands, chat, Q&A, polls, stage and files as this participant may see them. */
  state: Type.Optional(RoomState),
});
/** The room as a newcomer receives it. */
export type RoomSnapshot = Static<typeof RoomSnapshot>;
