/**
 * @podium/client — Podium's client library: a typed signaling client and a media session that
 * publishes and subscribes through it, with the WebRTC implementation passed in (browser or werift).
 */
export {
  SignalError, SignalingClient, type ClientRequest, type PushType, type SignalingClientOptions, type SignalingEvents,
  type WebSocketConstructor, type WebSocketLike,
} from './signaling-client';
export { MediaSession, type LocalPublication, type RemoteSubscription, type RtcPeer, type RtcPeerFactory } from './media-session';
export { browserPeer } from './browser-peer';
