/**
 * Media signaling messages: publish, subscribe, layer preference, SDP, ICE, pause/resume.
 *
 * These are the contract of the media step (issue "Real-time media"). The signaling endpoint
 * validates them today, and answers them with MEDIA_UNAVAILABLE until a media handler
 * (`MediaSignalingHandler` in apps/server/src/signaling) is connected; the handlers come with the
 * media step.
 */
import { Type, type Static } from '@sinclair/typebox';
import { ParticipantIdSchema, RequestId } from './common';

/** An id of an SFU object (transport `trp_…`, producer `prd_…`, consumer `csm_…`). */
export const MediaObjectId = Type.String({ minLength: 3, maxLength: 72, pattern: '^[a-z]{2,4}_[0-9A-Za-z]{1,64}$' });

/** What a published track carries; screen share is its own kind so layouts and rights can tell it apart. */
export const MediaKind = Type.Union([Type.Literal('audio'), Type.Literal('video'), Type.Literal('screen')]);
/** What a published track carries. */
export type MediaKind = Static<typeof MediaKind>;

/** One simulcast encoding of a published video track (as in RTCRtpEncodingParameters). */
export const SimulcastEncoding = Type.Object({
  rid: Type.String({ minLength: 1, maxLength: 16, pattern: '^[A-Za-z0-9_-]+$' }),
  maxBitrate: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000 })),
  scaleResolutionDownBy: Type.Optional(Type.Number({ minimum: 1, maximum: 64 })),
  maxFramerate: Type.Optional(Type.Number({ minimum: 1, maximum: 120 })),
});
/** One simulcast encoding of a published video track. */
export type SimulcastEncoding = Static<typeof SimulcastEncoding>;

/** An SDP document (offer or answer); size-capped well below the frame limit. */
const Sdp = Type.String({ minLength: 1, maxLength: 48_000 });

/** An ICE candidate as the browser gives it (RTCIceCandidateInit). */
export const IceCandidateInit = Type.Object({
  candidate: Type.String({ maxLength: 1024 }),
  sdpMid: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
  sdpMLineIndex: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 1024 }), Type.Null()])),
  usernameFragment: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Null()])),
});
/** An ICE candidate as the browser gives it. */
export type IceCandidateInit = Static<typeof IceCandidateInit>;

/** What pause/resume applies to: one of my producers, or one of my consumers. */
const PauseTarget = Type.Union([Type.Literal('producer'), Type.Literal('consumer')]);

// ---- client → server ------------------------------------------------------------------------

/** Start sending a track; the reply names the producer and the transport to negotiate. */
export const PublishMessage = Type.Object({
  type: Type.Literal('publish'),
  requestId: RequestId,
  kind: MediaKind,
  /** Simulcast encodings of a video or screen track, lowest first (at most 3). */
  encodings: Type.Optional(Type.Array(SimulcastEncoding, { minItems: 1, maxItems: 3 })),
  /** Start paused (e.g. camera off until the presenter is on stage). */
  paused: Type.Optional(Type.Boolean()),
  /**
   * The client's SDP offer for its sending transport with this track's new m-section (required by
   * the media plane: the server answers it in `published.sdp`). Publish one track per offer.
   */
  sdp: Type.Optional(Sdp),
});
/** Start sending a track. */
export type PublishMessage = Static<typeof PublishMessage>;

/** Stop sending a track. */
export const UnpublishMessage = Type.Object({ type: Type.Literal('unpublish'), requestId: RequestId, producerId: MediaObjectId });
/** Stop sending a track. */
export type UnpublishMessage = Static<typeof UnpublishMessage>;

/** Receive someone's track. */
export const SubscribeMessage = Type.Object({ type: Type.Literal('subscribe'), requestId: RequestId, producerId: MediaObjectId });
/** Receive someone's track. */
export type SubscribeMessage = Static<typeof SubscribeMessage>;

/** Stop receiving a track. */
export const UnsubscribeMessage = Type.Object({ type: Type.Literal('unsubscribe'), requestId: RequestId, producerId: MediaObjectId });
/** Stop receiving a track. */
export type UnsubscribeMessage = Static<typeof UnsubscribeMessage>;

/** Which simulcast layer a consumer should get at most: by rendered size, or by layer index. */
export const SetLayerPreferenceMessage = Type.Object({
  type: Type.Literal('set-layer-preference'),
  requestId: RequestId,
  consumerId: MediaObjectId,
  maxWidth: Type.Optional(Type.Integer({ minimum: 0, maximum: 16_384 })),
  maxHeight: Type.Optional(Type.Integer({ minimum: 0, maximum: 16_384 })),
  spatialLayer: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 })),
  temporalLayer: Type.Optional(Type.Integer({ minimum: 0, maximum: 3 })),
});
/** Which simulcast layer a consumer should get at most. */
export type SetLayerPreferenceMessage = Static<typeof SetLayerPreferenceMessage>;

/** An SDP offer for a transport (client → server when publishing, server → client when subscribing). */
export const SdpOfferMessage = Type.Object({
  type: Type.Literal('sdp-offer'),
  requestId: RequestId,
  transportId: MediaObjectId,
  sdp: Sdp,
});
/** An SDP offer from the client. */
export type SdpOfferMessage = Static<typeof SdpOfferMessage>;

/** An SDP answer to the server's offer. */
export const SdpAnswerMessage = Type.Object({
  type: Type.Literal('sdp-answer'),
  requestId: RequestId,
  transportId: MediaObjectId,
  sdp: Sdp,
});
/** An SDP answer from the client. */
export type SdpAnswerMessage = Static<typeof SdpAnswerMessage>;

/** A trickled ICE candidate; `candidate: null` means end of candidates. */
export const IceCandidateMessage = Type.Object({
  type: Type.Literal('ice-candidate'),
  requestId: RequestId,
  transportId: MediaObjectId,
  candidate: Type.Union([IceCandidateInit, Type.Null()]),
});
/** A trickled ICE candidate from the client. */
export type IceCandidateMessage = Static<typeof IceCandidateMessage>;

/** Ask for new ICE credentials on a transport after a network change. */
export const IceRestartMessage = Type.Object({ type: Type.Literal('ice-restart'), requestId: RequestId, transportId: MediaObjectId });
/** Ask for new ICE credentials on a transport. */
export type IceRestartMessage = Static<typeof IceRestartMessage>;

/** Pause one of my producers (mute) or consumers (stop receiving without unsubscribing). */
export const PauseMessage = Type.Object({ type: Type.Literal('pause'), requestId: RequestId, target: PauseTarget, id: MediaObjectId });
/** Pause a producer or consumer. */
export type PauseMessage = Static<typeof PauseMessage>;

/** Resume a paused producer or consumer. */
export const ResumeMessage = Type.Object({ type: Type.Literal('resume'), requestId: RequestId, target: PauseTarget, id: MediaObjectId });
/** Resume a producer or consumer. */
export type ResumeMessage = Static<typeof ResumeMessage>;

// ---- server → client ------------------------------------------------------------------------

/** Answer to publish. */
export const PublishedMessage = Type.Object({
  type: Type.Literal('published'),
  requestId: RequestId,
  producerId: MediaObjectId,
  transportId: MediaObjectId,
  /** The server's SDP answer to the offer sent in publish. */
  sdp: Type.Optional(Sdp),
  /** The m-section (mid) of the offer that became this producer. */
  mid: Type.Optional(Type.String({ maxLength: 64 })),
});
/** Answer to publish. */
export type PublishedMessage = Static<typeof PublishedMessage>;

/** Answer to subscribe; an sdp-offer for the transport follows. */
export const SubscribedMessage = Type.Object({
  type: Type.Literal('subscribed'),
  requestId: RequestId,
  producerId: MediaObjectId,
  consumerId: MediaObjectId,
  transportId: MediaObjectId,
  /** The m-section (mid) of the receiving transport that will carry the track (names it in the server's offer). */
  mid: Type.Optional(Type.String({ maxLength: 64 })),
  /** audio, video or screen, as published. */
  kind: Type.Optional(MediaKind),
});
/** Answer to subscribe. */
export type SubscribedMessage = Static<typeof SubscribedMessage>;

/** Answer to requests that return nothing else (unpublish, layer preference, ICE candidate, pause…). */
export const AckMessage = Type.Object({ type: Type.Literal('ack'), requestId: RequestId });
/** Answer to requests that return nothing else. */
export type AckMessage = Static<typeof AckMessage>;

/** The server's SDP offer for a receiving transport (new or changed consumers). */
export const ServerSdpOfferMessage = Type.Object({
  type: Type.Literal('sdp-offer'),
  transportId: MediaObjectId,
  sdp: Sdp,
});
/** The server's SDP offer. */
export type ServerSdpOfferMessage = Static<typeof ServerSdpOfferMessage>;

/** The server's SDP answer to the client's offer. */
export const ServerSdpAnswerMessage = Type.Object({
  type: Type.Literal('sdp-answer'),
  requestId: RequestId,
  transportId: MediaObjectId,
  sdp: Sdp,
});
/** The server's SDP answer. */
export type ServerSdpAnswerMessage = Static<typeof ServerSdpAnswerMessage>;

/** A candidate of the server's side of a transport. */
export const ServerIceCandidateMessage = Type.Object({
  type: Type.Literal('ice-candidate'),
  transportId: MediaObjectId,
  candidate: Type.Union([IceCandidateInit, Type.Null()]),
});
/** A candidate of the server's side of a transport. */
export type ServerIceCandidateMessage = Static<typeof ServerIceCandidateMessage>;

/** Answer to ice-restart: the transport's new ICE credentials. */
export const IceRestartedMessage = Type.Object({
  type: Type.Literal('ice-restarted'),
  requestId: RequestId,
  transportId: MediaObjectId,
  iceParameters: Type.Object({
    usernameFragment: Type.String({ maxLength: 256 }),
    password: Type.String({ maxLength: 256 }),
    iceLite: Type.Optional(Type.Boolean()),
  }),
  /** A receiving transport's new offer with the new credentials (answer it with sdp-answer). */
  sdp: Type.Optional(Sdp),
});
/** Answer to ice-restart. */
export type IceRestartedMessage = Static<typeof IceRestartedMessage>;

/** A participant started publishing a track anyone in the room may subscribe to. */
export const ProducerAddedMessage = Type.Object({
  type: Type.Literal('producer-added'),
  producerId: MediaObjectId,
  participantId: ParticipantIdSchema,
  kind: MediaKind,
  simulcast: Type.Boolean(),
  paused: Type.Boolean(),
});
/** A participant started publishing a track. */
export type ProducerAddedMessage = Static<typeof ProducerAddedMessage>;

/** A track is no longer published. */
export const ProducerRemovedMessage = Type.Object({
  type: Type.Literal('producer-removed'),
  producerId: MediaObjectId,
  participantId: ParticipantIdSchema,
});
/** A track is no longer published. */
export type ProducerRemovedMessage = Static<typeof ProducerRemovedMessage>;

/** A producer was paused or resumed by its publisher (mute state for everyone's UI). */
export const ProducerPausedMessage = Type.Object({
  type: Type.Literal('producer-paused'),
  producerId: MediaObjectId,
  paused: Type.Boolean(),
});
/** A producer was paused or resumed. */
export type ProducerPausedMessage = Static<typeof ProducerPausedMessage>;
