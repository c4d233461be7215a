/**
 * @podium/client — Podium's client library: a typed signaling client and a media session that
 * publishes and subscribes through it, with the WebRTC implementation passed in (browser or werift);
 * the live room's model (room-store), a stay in a room across reconnects (RoomConnection) and its
 * media (RoomMedia).
 */
export {
  SignalError, SignalingClient, type ClientRequest, type PushType, type RoomPushType, type SignalingClientOptions, type SignalingEvents,
  type WebSocketConstructor, type WebSocketLike,
} from './signaling-client';
export {
  MediaSession, type LocalPublication, type RemoteSubscription, type RtcPeer, type RtcPeerFactory, type RtcSendHandle,
} from './media-session';
export { browserPeer, type BrowserRtcPeer } from './browser-peer';
export * from './room-store';
export * from './room-connection';
export * from './room-media';
export * from './media-stats';
export { RoomDocSync, REMOTE_ORIGIN, type DocSignal, type DocSyncError, type RoomDocSyncEvents, type RoomDocSyncOptions } from './room-doc-sync';
export { base64ToBytes, bytesToBase64 } from './base64';
