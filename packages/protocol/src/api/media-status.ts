import { Type, type Static } from '@sinclair/typebox';
import { defineRoute } from './route';

/** One SFU worker thread of this server. */
export const MediaWorkerStatus = Type.Object({
  /** Position in the pool (its shared ports are the configured ones + this). */
  index: Type.Integer({ minimum: 0 }),
  routers: Type.Integer({ minimum: 0 }),
  /** WebRTC connections (one per participant and direction). */
  transports: Type.Integer({ minimum: 0 }),
  /** Share of one core the thread used since the previous status request (null on the first). */
  cpuPercent: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
  /** RTP packets sent per second since the previous status request (null on the first). */
  packetsPerSecond: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
  /** 99th percentile of the thread's event-loop delay since the previous status request, ms. */
  eventLoopDelayP99Ms: Type.Number({ minimum: 0 }),
  /** The native protect-and-send step is in use; else `nativeSendUnavailable` says why. */
  nativeSend: Type.Boolean(),
  nativeSendUnavailable: Type.Optional(Type.String()),
  /** Media packets the thread dropped since it started, its queue full (it was overloaded). */
  overflowedPackets: Type.Integer({ minimum: 0 }),
});
export type MediaWorkerStatus = Static<typeof MediaWorkerStatus>;

/** This server's media plane as its operator sees it. */
export const MediaStatus = Type.Object({
  /** Media is on (mediaEnabled); workers start with the first participant who needs them. */
  enabled: Type.Boolean(),
  workers: Type.Array(MediaWorkerStatus),
  /** Live events with media on this server, and their routers (an event spreads over several workers). */
  events: Type.Integer({ minimum: 0 }),
  routers: Type.Integer({ minimum: 0 }),
  /** Where clients send media: the announced address, the UDP ports (a range, one per connection, or one shared port per worker), ICE-TCP. */
  announcedIp: Type.String(),
  udp: Type.Union([
    Type.Object({ mode: Type.Literal('range'), min: Type.Integer(), max: Type.Integer() }),
    Type.Object({ mode: Type.Literal('shared'), firstPort: Type.Integer() }),
  ]),
  /** First ICE-TCP port (worker i: + i), or 0 when off. */
  tcpPort: Type.Integer({ minimum: 0 }),
});
export type MediaStatus = Static<typeof MediaStatus>;

export const mediaStatus = defineRoute({
  id: 'admin.mediaStatus', method: 'GET', path: '/api/v1/admin/media', tag: 'System', access: 'instance-admin',
  summary: "This server's SFU workers: load, connections, where clients send media", response: MediaStatus,
});
