import { Type, type Static } from '@sinclair/typebox';
import type { ErrorCode } from '../errors';
import { JoinRole } from '../api/registrations';
import {
  CapabilityName, IsoTime, ParticipantIdSchema, ParticipantInfo, RequestId, SignalLimits,
} from './common';
import { RoomSnapshot } from './snapshot';

// ---- client → server ------------------------------------------------------------------------

/** First message of every connection: the protocol version the client speaks and what it supports. */
export const HelloMessage = Type.Object({
  type: Type.Literal('hello'),
  requestId: RequestId,
  protocolVersion: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  capabilities: Type.Array(CapabilityName, { maxItems: 32 }),
  /** Free-form client name and version, for diagnostics only. */
  client: Type.Optional(Type.String({ maxLength: 100 })),
});
/** First message of every connection. */
export type HelloMessage = Static<typeof HelloMessage>;

/** Enter the room of the event a join token was issued for. */
export const JoinMessage = Type.Object({
  type: Type.Literal('join'),
  requestId: RequestId,
  /** The personal join token from the join link (`/join/<token>`). */
  token: Type.String({ minLength: 1, maxLength: 2048 }),
  /** The event password, asked in the lobby of a password-protected event (attendees only). */
  password: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});
/** Enter the room of the event a join token was issued for. */
export type JoinMessage = Static<typeof JoinMessage>;

/** Leave the room; the connection stays open and may join again. */
export const LeaveMessage = Type.Object({ type: Type.Literal('leave'), requestId: RequestId });
/** Leave the room. */
export type LeaveMessage = Static<typeof LeaveMessage>;

/** Application-level heartbeat (browsers cannot send WebSocket pings); answered with pong. */
export const PingMessage = Type.Object({ type: Type.Literal('ping'), requestId: RequestId });
/** Application-level heartbeat. */
export type PingMessage = Static<typeof PingMessage>;

// ---- server → client ------------------------------------------------------------------------

/** Answer to hello: the version both sides will speak and what the server offers. */
export const WelcomeMessage = Type.Object({
  type: Type.Literal('welcome'),
  requestId: RequestId,
  protocolVersion: Type.Integer(),
  /** This connection's participant id (used once the connection joins a room). */
  participantId: ParticipantIdSchema,
  /** Capabilities the server offers on this connection (its own, whatever the client announced). */
  capabilities: Type.Array(Type.String()),
  /** Interval of the server's WebSocket pings, in milliseconds; a peer silent for two of them is dropped. */
  heartbeatMs: Type.Integer(),
  limits: SignalLimits,
});
/** Answer to hello. */
export type WelcomeMessage = Static<typeof WelcomeMessage>;

/** A STUN or TURN server for RTCConfiguration.iceServers (TURN with a time-limited credential). */
export const IceServer = Type.Object({
  urls: Type.Array(Type.String({ maxLength: 512 }), { minItems: 1, maxItems: 16 }),
  username: Type.Optional(Type.String({ maxLength: 256 })),
  credential: Type.Optional(Type.String({ maxLength: 256 })),
});
/** A STUN or TURN server. */
export type IceServer = Static<typeof IceServer>;

/** Answer to join: the room as it is now. */
export const JoinedMessage = Type.Object({
  type: Type.Literal('joined'),
  requestId: RequestId,
  /** The role the join token granted (also `room.self.role`). */
  role: JoinRole,
  room: RoomSnapshot,
  /**
   * The STUN/TURN servers this participant's peer connections should use (only what the operator
   * configured; absent or empty: none, the SFU is reached directly).
   */
  iceServers: Type.Optional(Type.Array(IceServer, { maxItems: 8 })),
});
/** Answer to join. */
export type JoinedMessage = Static<typeof JoinedMessage>;

/** Answer to leave. */
export const LeftMessage = Type.Object({ type: Type.Literal('left'), requestId: RequestId });
/** Answer to leave. */
export type LeftMessage = Static<typeof LeftMessage>;

/** Answer to ping. */
export const PongMessage = Type.Object({ type: Type.Literal('pong'), requestId: RequestId, serverTime: IsoTime });
/** Answer to ping. */
export type PongMessage = Static<typeof PongMessage>;

/** Someone entered the room (sent to everyone already in it). */
export const ParticipantJoinedMessage = Type.Object({
  type: Type.Literal('participant-joined'),
  participant: ParticipantInfo,
  seq: Type.Integer({ minimum: 1 }),
});
/** Someone entered the room. */
export type ParticipantJoinedMessage = Static<typeof ParticipantJoinedMessage>;

/** Why a participant is no longer in the room. */
export const LeaveReason = Type.Union([
  /** They sent leave or closed the connection. */
  Type.Literal('left'),
  /** Their connection stopped answering heartbeats or broke. */
  Type.Literal('timeout'),
  /** The server dropped them (limits, shutdown). */
  Type.Literal('dropped'),
  /** A host removed or banned them, or the event ended. */
  Type.Literal('removed'),
]);
/** Why a participant is no longer in the room. */
export type LeaveReason = Static<typeof LeaveReason>;

/** Someone left the room. */
export const ParticipantLeftMessage = Type.Object({
  type: Type.Literal('participant-left'),
  participantId: ParticipantIdSchema,
  reason: LeaveReason,
  seq: Type.Integer({ minimum: 1 }),
});
/** Someone left the room. */
export type ParticipantLeftMessage = Static<typeof ParticipantLeftMessage>;

/** A code of the error registry on the wire: any UPPER_SNAKE code, so older clients accept newer codes. */
const WireErrorCode = Type.Unsafe<ErrorCode>(Type.String({ pattern: '^[A-Z][A-Z0-9_]*$', maxLength: 64 }));

/**
 * A request failed, or a frame could not be read. `requestId` is present when the failed frame
 * carried a readable one. Codes come from the error registry (packages/protocol/src/errors.ts).
 */
export const ErrorMessage = Type.Object({
  type: Type.Literal('error'),
  requestId: Type.Optional(RequestId),
  code: WireErrorCode,
  message: Type.String(),
  details: Type.Optional(Type.Unknown()),
});
/** A request failed, or a frame could not be read. */
export type ErrorMessage = Static<typeof ErrorMessage>;
