import { Type, type Static, type TSchema } from '@sinclair/typebox';
import {
  ErrorMessage, HelloMessage, JoinedMessage, JoinMessage, LeaveMessage, LeftMessage, ParticipantJoinedMessage,
  ParticipantLeftMessage, PingMessage, PongMessage, WelcomeMessage,
} from './session';
import {
  AckMessage, IceCandidateMessage, IceRestartedMessage, IceRestartMessage, PauseMessage, ProducerAddedMessage,
  ProducerPausedMessage, ProducerRemovedMessage, PublishedMessage, PublishMessage, ResumeMessage, SdpAnswerMessage,
  SdpOfferMessage, ServerIceCandidateMessage, ServerSdpAnswerMessage, ServerSdpOfferMessage, SetLayerPreferenceMessage,
  SubscribedMessage, SubscribeMessage, UnpublishMessage, UnsubscribeMessage,
} from './media';
import { ROOM_CLIENT_SCHEMAS, type RoomClientMessage } from './room-messages';
import { ROOM_SERVER_SCHEMAS } from './room-events';

/** Client → server messages of the media step, by type (answered with MEDIA_UNAVAILABLE until media is connected). */
export const MEDIA_CLIENT_SCHEMAS = {
  publish: PublishMessage,
  unpublish: UnpublishMessage,
  subscribe: SubscribeMessage,
  unsubscribe: UnsubscribeMessage,
  'set-layer-preference': SetLayerPreferenceMessage,
  'sdp-offer': SdpOfferMessage,
  'sdp-answer': SdpAnswerMessage,
  'ice-candidate': IceCandidateMessage,
  'ice-restart': IceRestartMessage,
  pause: PauseMessage,
  resume: ResumeMessage,
} as const;

/** Every client → server message, by its `type` tag. Each carries a `requestId`. */
export const CLIENT_MESSAGE_SCHEMAS = {
  hello: HelloMessage,
  join: JoinMessage,
  leave: LeaveMessage,
  ping: PingMessage,
  ...MEDIA_CLIENT_SCHEMAS,
  ...ROOM_CLIENT_SCHEMAS,
} as const;

/** Every server → client message, by its `type` tag. */
export const SERVER_MESSAGE_SCHEMAS = {
  welcome: WelcomeMessage,
  joined: JoinedMessage,
  left: LeftMessage,
  pong: PongMessage,
  'participant-joined': ParticipantJoinedMessage,
  'participant-left': ParticipantLeftMessage,
  error: ErrorMessage,
  published: PublishedMessage,
  subscribed: SubscribedMessage,
  ack: AckMessage,
  'sdp-offer': ServerSdpOfferMessage,
  'sdp-answer': ServerSdpAnswerMessage,
  'ice-candidate': ServerIceCandidateMessage,
  'ice-restarted': IceRestartedMessage,
  'producer-added': ProducerAddedMessage,
  'producer-removed': ProducerRemovedMessage,
  'producer-paused': ProducerPausedMessage,
  ...ROOM_SERVER_SCHEMAS,
} as const;

/** The `type` of a client → server message. */
export type ClientMessageType = keyof typeof CLIENT_MESSAGE_SCHEMAS;
/** The `type` of a media message from the client. */
export type MediaClientMessageType = keyof typeof MEDIA_CLIENT_SCHEMAS;
/** The `type` of a server → client message. */
export type ServerMessageType = keyof typeof SERVER_MESSAGE_SCHEMAS;

/** Client → server message types, for docs and tests. */
export const CLIENT_MESSAGE_TYPES = Object.keys(CLIENT_MESSAGE_SCHEMAS) as ClientMessageType[];
/** Media message types from the client. */
export const MEDIA_CLIENT_MESSAGE_TYPES = Object.keys(MEDIA_CLIENT_SCHEMAS) as MediaClientMessageType[];
/** Server → client message types, for docs and tests. */
export const SERVER_MESSAGE_TYPES = Object.keys(SERVER_MESSAGE_SCHEMAS) as ServerMessageType[];

type ValuesOf<T> = T[keyof T];
type UnionOf<T extends Record<string, TSchema>> = Static<ValuesOf<T>>;

/** Any client → server message: a discriminated union on `type`. */
export const ClientMessage = Type.Union(Object.values(CLIENT_MESSAGE_SCHEMAS) as TSchema[]);
/** Any client → server message. */
export type ClientMessage = UnionOf<typeof CLIENT_MESSAGE_SCHEMAS>;
/** A client → server message of the media step. */
export type MediaClientMessage = UnionOf<typeof MEDIA_CLIENT_SCHEMAS>;

/** Any server → client message: a discriminated union on `type`. */
export const ServerMessage = Type.Union(Object.values(SERVER_MESSAGE_SCHEMAS) as TSchema[]);
/** Any server → client message. */
export type ServerMessage = UnionOf<typeof SERVER_MESSAGE_SCHEMAS>;

/** The client → server message with this `type`. */
export type ClientMessageOf<K extends ClientMessageType> = Static<(typeof CLIENT_MESSAGE_SCHEMAS)[K]>;
/** The server → client message with this `type`. */
export type ServerMessageOf<K extends ServerMessageType> = Static<(typeof SERVER_MESSAGE_SCHEMAS)[K]>;

/** True when `type` names a media message from the client. */
export function isMediaClientMessage(m: ClientMessage): m is MediaClientMessage {
  return Object.prototype.hasOwnProperty.call(MEDIA_CLIENT_SCHEMAS, m.type);
}

/** True when `type` names a room message from the client (lobby, chat, Q&A, polls, stage, moderation…). */
export function isRoomClientMessage(m: ClientMessage): m is RoomClientMessage {
  return Object.prototype.hasOwnProperty.call(ROOM_CLIENT_SCHEMAS, m.type);
}
