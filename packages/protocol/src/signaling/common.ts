import { Type, type Static } from '@sinclair/typebox';
import { IdSchema } from '../ids';
import { EventStatus, EventType } from '../api/events';
import { JoinRole } from '../api/registrations';

/** Oldest signaling protocol version the server still speaks; the newest is PROTOCOL_VERSION. */
export const MIN_SIGNAL_PROTOCOL_VERSION = 1;

/**
 * Named features a side may support. Code checks a capability by name (`hasCapability`), never by
 * comparing version numbers, so features can be added, turned off per server, or backported.
 */
export const SIGNAL_CAPABILITIES = [
  /** Room presence: joined snapshot, participant-joined / participant-left. */
  'presence',
  /** The media plane: publish, subscribe, SDP and ICE messages are served. */
  'media',
  /** Simulcast publishing and per-consumer layer preference. */
  'simulcast',
  /** ICE restart on network change. */
  'ice-restart',
] as const;
/** A capability this version of the protocol knows by name. */
export type SignalCapability = (typeof SIGNAL_CAPABILITIES)[number];

/** True when `list` (as announced by a peer) holds `capability`. */
export function hasCapability(list: readonly string[], capability: SignalCapability): boolean {
  return list.includes(capability);
}

/** Capabilities both sides announced, in the order of `ours`. Unknown names from a newer peer drop out. */
export function commonCapabilities(ours: readonly string[], theirs: readonly string[]): string[] {
  return ours.filter((c) => theirs.includes(c));
}

/** A client-chosen id echoed in the reply or error, so a client can match answers to requests. */
export const RequestId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$', description: 'Client-chosen request id, echoed in the reply' });

/** A participant id (`prt_…`): one per signaling connection that joined a room. */
export const ParticipantIdSchema = IdSchema('participant');

/** An ISO 8601 timestamp. No `format` keyword: the schemas compile without a format registry (browser, CSP). */
export const IsoTime = Type.String({ minLength: 10, maxLength: 40, description: 'ISO 8601 timestamp' });

/** A capability name as sent on the wire (unknown names are allowed and ignored). */
export const CapabilityName = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9-]*$' });

/** Someone in the room, as every participant sees them. */
export const ParticipantInfo = Type.Object({
  id: ParticipantIdSchema,
  displayName: Type.String({ maxLength: 200 }),
  role: JoinRole,
  joinedAt: IsoTime,
});
/** Someone in the room, as every participant sees them. */
export type ParticipantInfo = Static<typeof ParticipantInfo>;

/** What a room tells its participants about the event it belongs to. */
export const RoomEventSummary = Type.Object({
  id: IdSchema('event'),
  title: Type.String(),
  type: EventType,
  status: EventStatus,
  startsAt: IsoTime,
  durationMinutes: Type.Integer(),
  orgName: Type.String(),
});
/** What a room tells its participants about the event it belongs to. */
export type RoomEventSummary = Static<typeof RoomEventSummary>;

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
  /** Everyone in the room, the newcomer included, in join order. */
  participants: Type.Array(ParticipantInfo),
  /** Sequence number of the last room event the snapshot includes. */
  seq: Type.Integer({ minimum: 0 }),
  /** Tracks published now (later ones arrive as producer-added / producer-removed). */
  producers: Type.Optional(Type.Array(RoomProducer)),
});
/** The room as a newcomer receives it. */
export type RoomSnapshot = Static<typeof RoomSnapshot>;

/** Limits the server enforces on this connection, so well-behaved clients can stay inside them. */
export const SignalLimits = Type.Object({
  maxFrameBytes: Type.Integer(),
  messagesPerSecond: Type.Integer(),
  burst: Type.Integer(),
});
/** Limits the server enforces on this connection. */
export type SignalLimits = Static<typeof SignalLimits>;

/**
 * WebSocket close codes the server uses (1000–1015 are standard; 4000+ are Podium's). The close
 * reason carries the error code when there is one, e.g. `SIGNAL_TOO_LARGE`.
 */
export const SIGNAL_CLOSE_CODES = {
  /** Normal closure. */
  normal: 1000,
  /** The server is shutting down. */
  goingAway: 1001,
  /** Policy violation (rate limit abuse). */
  policy: 1008,
  /** A frame over the size limit. */
  tooLarge: 1009,
  /** The server dropped a connection that could not keep up with its messages. */
  tryAgainLater: 1013,
  /** The client's protocol version is not supported. */
  protocolVersion: 4000,
  /** No successful join within the join deadline. */
  joinTimeout: 4001,
} as const;
