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
  /** The live room: lobby, stage, hands, chat, Q&A, polls, reactions, documents, moderation. */
  'room',
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

/**
 * What an attendee may publish beyond watching: `speaker` (promoted on stage: microphone, camera,
 * screen), `camera` (training: camera only, on request). Hosts and presenters always may; in a
 * meeting everyone may (up to the room's camera limit).
 */
export const StageGrant = Type.Union([Type.Literal('none'), Type.Literal('speaker'), Type.Literal('camera')]);
/** What an attendee may publish beyond watching. */
export type StageGrant = Static<typeof StageGrant>;

/** A participant's connection quality as their client measures it (loss, round-trip time). */
export const ConnectionQuality = Type.Union([Type.Literal('good'), Type.Literal('fair'), Type.Literal('poor'), Type.Literal('unknown')]);
/** A participant's connection quality. */
export type ConnectionQuality = Static<typeof ConnectionQuality>;

/** Someone in the room, as every participant sees them. */
export const ParticipantInfo = Type.Object({
  id: ParticipantIdSchema,
  displayName: Type.String({ maxLength: 200 }),
  role: JoinRole,
  joinedAt: IsoTime,
  /** What an attendee may publish (absent: none). */
  grant: Type.Optional(StageGrant),
  /** Connection quality the participant's client reports (absent: unknown). */
  quality: Type.Optional(ConnectionQuality),
  /** A host stopped this participant's chat messages. */
  chatMuted: Type.Optional(Type.Boolean()),
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
  /** For the lobby: what the event is about and its programme. */
  description: Type.Optional(Type.String()),
  agenda: Type.Optional(Type.Array(Type.Object({ title: Type.String(), durationMinutes: Type.Optional(Type.Integer()), description: Type.Optional(Type.String()) }))),
  timeZone: Type.Optional(Type.String()),
  /** The lobby asks attendees for the event password when this is `password`. */
  accessMode: Type.Optional(Type.String()),
});
/** What a room tells its participants about the event it belongs to. */
export type RoomEventSummary = Static<typeof RoomEventSummary>;

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
  /** A host removed or banned the participant, or refused them in the lobby. */
  removed: 4003,
  /** The event ended. */
  ended: 4004,
} as const;
