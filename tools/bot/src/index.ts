/** @podium/bot — synthetic Podium participants (Node, werift) for tests, load and benchmarks. */
export { Bot, waitUntil, type BotOptions, type SentStats, type TrackStats } from './bot';
export { weriftConnection, weriftPeer, type WeriftPeerOptions } from './werift-peer';
export { encodeTestMedia, packetizeVp8, parseIvf, parseOggOpus, type EncodedMedia } from './encoded-media';
