import type {
  EventId, EventType, JoinRole, MediaClientMessage, MediaKind, ParticipantId, ServerMessage, SignalCapability, StageGrant,
} from '@podium/protocol';

/** What the media plane knows about the participant a media message came from. */
export interface MediaSession {
  readonly participantId: ParticipantId;
  readonly eventId: EventId;
  /** The role the join token granted; the media plane decides from it (and room state) who may publish. */
  readonly role: JoinRole;
  /** The event's type (webinar, meeting, training): with the role it decides who may publish. */
  readonly eventType: EventType;
  /** What a host granted this attendee (speaker, camera); kept current by the connection from room events. */
  grant: StageGrant;
  /** Capabilities the client announced in hello (e.g. whether it can publish simulcast). */
  readonly capabilities: readonly string[];
  /** Sends a message to this participant (server SDP offers, ICE candidates, producer events). */
  send(msg: ServerMessage): void;
}

/**
 * The seam between signaling and the media plane. The media step implements it (SFU routers,
 * transports, producers, consumers) and hands it to `installSignaling`; until then the endpoint
 * has none and answers every media message with MEDIA_UNAVAILABLE ("media plane not connected").
 *
 * The endpoint has already checked, before calling it, that the frame is valid against its
 * schema, that the connection said hello and joined a room, and the connection's rate limit.
 * Messages of one connection are handed over one at a time, in arrival order.
 */
export interface MediaSignalingHandler {
  /** Capabilities announced in welcome when this handler is connected (at least 'media'). */
  readonly capabilities: readonly SignalCapability[];
  /**
   * Handles one media message and resolves with its reply (published, subscribed, sdp-answer,
   * ice-restarted or ack, carrying the message's requestId); rejects with a PodiumError for a
   * typed error (e.g. FORBIDDEN when an attendee may not publish).
   */
  handle(session: MediaSession, msg: MediaClientMessage): Promise<ServerMessage>;
  /**
   * The participant left the room or its connection is gone: close everything it owns (transports,
   * producers, consumers). Called once per join; must not throw.
   */
  release(session: MediaSession): Promise<void> | void;
  /**
   * Carries out what the room decided about a participant's tracks: pause the tracks of some kinds
   * (a host muted the microphone), or close them (a camera stopped, a grant taken away). Tracks the
   * participant does not have are ignored.
   */
  restrict(session: MediaSession, what: { pause?: readonly MediaKind[]; close?: readonly MediaKind[] }): Promise<void>;
}
