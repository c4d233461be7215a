/**
 * The control plane ↔ SFU worker protocol: every request with its response, and every event the
 * worker sends. Plain, structured-cloneable data only (ids, SDP strings, numbers).
 */
import type { ActiveSpeakerOptions } from '../audio/active-speaker';
import type { RouterCounts } from '../router/router';
import type { DtlsState } from '../transport/dtls-session';
import type { IceState } from '../transport/ice-lite';
import type { PipeOffer } from '../transport/pipe-transport';
import type { MediaKind } from '../transport/rtp-capabilities';
import type { RecordingStats } from '../recording/recording-sink';

/** Serializable transport settings (WebRtcTransportOptions without the test-only function). */
export interface TransportSettings {
  /** IP to bind. */
  listenIp: string;
  /** IP announced in candidates. */
  announcedIp?: string;
  /** UDP port range. */
  portRange?: [number, number];
  /** The worker thread's shared UDP port for every transport (0 or absent: a port of its own from portRange each). */
  udpPort?: number;
  /** ICE-TCP: the worker thread's shared TCP port (0 or absent: no TCP candidate). */
  tcpPort?: number;
  /** ICE consent timeout, ms. */
  consentTimeoutMs?: number;
  /** RTCP timer period, ms. */
  rtcpIntervalMs?: number;
  /** Preferred video codecs. */
  preferredVideoCodecs?: string[];
  /** Most consumers per transport. */
  maxConsumers?: number;
  /** Initial bandwidth estimate, bps. */
  initialAvailableBitrate?: number;
}

/** Serializable router settings. */
export interface RouterSettings {
  /** Transport defaults. */
  transport: TransportSettings;
  /** Most transports. */
  maxTransports?: number;
  /** Active-speaker tuning. */
  activeSpeaker?: ActiveSpeakerOptions;
}

/** A producer as the control plane sees it. */
export interface ProducerInfo {
  /** Id (the same in every router it is piped to). */
  id: string;
  /** Kind. */
  kind: MediaKind;
  /** mid on its transport. */
  mid: string;
  /** Has simulcast layers. */
  simulcast: boolean;
  /** Paused. */
  paused: boolean;
}

/** A consumer as the control plane sees it. */
export interface ConsumerInfo {
  /** Id. */
  id: string;
  /** Producer id. */
  producerId: string;
  /** Kind. */
  kind: MediaKind;
  /** mid on the subscriber's transport. */
  mid: string;
  /** SSRC the subscriber receives. */
  ssrc: number;
  /** Paused. */
  paused: boolean;
}

/** Load of one worker thread, for health checks and benchmarks. */
export interface WorkerLoad {
  /** Routers open. */
  routers: number;
  /** WebRTC transports open. */
  transports: number;
  /** RTP packets sent by the open transports since they were created. */
  rtpSent: number;
  /** RTP packets received by the open transports since they were created. */
  rtpReceived: number;
  /** Datagrams received by the open transports (every kind). */
  datagramsReceived: number;
  /** Datagrams the open transports dropped (bad SRTP, unknown SSRC, unverified source…). */
  dropped: number;
  /** CPU time of this thread, µs (user + system; -1 where the OS does not say). */
  threadCpuUs: number;
  /**
   * The native protect-and-send step of this thread (transport/send-batch.ts) since it started:
   * why it is not in use, or its batches, rows sent, rows retried through node:dgram (kernel
   * buffer full) and rows the kernel refused.
   */
  nativeSend: { flushes: number; sent: number; retried: number; failed: number } | { unavailable: string };
  /**
   * Media packets this thread handled in a later event-loop turn because fanning them out at once
   * would have held the thread past its per-turn budget (util/turn-budget.ts), since it started;
   * overflowed: dropped with the queue full (overloaded); queued: waiting now.
   */
  deferredPackets: { deferred: number; overflowed: number; failed: number; queued: number };
  /** Event-loop delay of this thread since the previous worker.stats: 99th percentile and max, ms. */
  eventLoopDelayP99Ms: number;
  /** See eventLoopDelayP99Ms. */
  eventLoopDelayMaxMs: number;
}

/** Every request of the protocol. */
export interface SfuRequests {
  'worker.counts': { req: Record<string, never>; res: { routers: number } };
  /** Load of this worker; the first call starts measuring event-loop delay. */
  'worker.stats': { req: Record<string, never>; res: WorkerLoad };
  /**
   * Before the thread is stopped: closes every router (its transports and pipes, so no socket is
   * left that a datagram could arrive on while the thread is torn down) and waits until every
   * recorder's file is finished (a recording running at shutdown keeps its tail and plays).
   */
  'worker.close': { req: Record<string, never>; res: { recordersFinished: number } };
  'router.create': { req: { settings: RouterSettings }; res: { routerId: string } };
  'router.counts': { req: { routerId: string }; res: RouterCounts };
  'router.close': { req: { routerId: string }; res: Record<string, never> };
  'transport.create': { req: { routerId: string; settings?: Partial<TransportSettings> }; res: { transportId: string; port: number } };
  'transport.processOffer': { req: { transportId: string; sdp: string }; res: { answer: string; producers: ProducerInfo[] } };
  'transport.createOffer': { req: { transportId: string }; res: { sdp: string } };
  'transport.processAnswer': { req: { transportId: string; sdp: string }; res: Record<string, never> };
  /** ICE restart: new local credentials, carried by the transport's next offer or answer. */
  'transport.restartIce': { req: { transportId: string }; res: { iceUfrag: string; icePwd: string } };
  'transport.consume': {
    req: { transportId: string; producerId: string; paused?: boolean; viewport?: { width: number; height: number } };
    res: ConsumerInfo;
  };
  'transport.close': { req: { transportId: string }; res: Record<string, never> };
  'producer.pause': { req: { producerId: string }; res: Record<string, never> };
  'producer.resume': { req: { producerId: string }; res: Record<string, never> };
  'producer.close': { req: { producerId: string }; res: Record<string, never> };
  'consumer.pause': { req: { consumerId: string }; res: Record<string, never> };
  'consumer.resume': { req: { consumerId: string }; res: Record<string, never> };
  'consumer.setViewport': { req: { consumerId: string; width: number; height: number }; res: Record<string, never> };
  'consumer.close': { req: { consumerId: string }; res: Record<string, never> };
  'pipe.create': { req: { routerId: string; listenIp: string; portRange?: [number, number] }; res: { pipeId: string; port: number } };
  'pipe.connect': { req: { pipeId: string; ip: string; port: number }; res: Record<string, never> };
  'pipe.consume': { req: { pipeId: string; producerId: string }; res: PipeOffer };
  'pipe.produce': { req: { pipeId: string; offer: PipeOffer }; res: ProducerInfo };
  'pipe.close': { req: { pipeId: string }; res: Record<string, never> };
  /**
   * Taps producer `producerId` of router `routerId` (its original, not a piped copy) and writes it
   * as WebM to `path` (a file of the recording spool). VP8 and Opus; other codecs are refused.
   */
  'recorder.start': {
    req: { routerId: string; producerId: string; path: string; maxQueuedBytes?: number };
    res: { recorderId: string; kind: MediaKind; codec: string };
  };
  /** Ends the file and returns what was recorded (also after the producer closed by itself). */
  'recorder.stop': { req: { recorderId: string }; res: RecordingStats };
  /** Counts of a running recorder. */
  'recorder.stats': { req: { recorderId: string }; res: RecordingStats & { pendingBytes: number } };
}

/** Every event of the protocol (one payload object each). */
export type SfuEvents = {
  'transport.negotiationneeded': [{ transportId: string }];
  'transport.icestatechange': [{ transportId: string; state: IceState }];
  'transport.dtlsstatechange': [{ transportId: string; state: DtlsState }];
  'producer.close': [{ producerId: string; routerId: string }];
  'consumer.close': [{ consumerId: string }];
  'consumer.layerschange': [{ consumerId: string; layer: number }];
  'router.dominantspeaker': [{ routerId: string; producerId: string | null }];
  /** A recorder's producer closed: its file is finished (recorder.stop still returns the stats). */
  'recorder.ended': [{ recorderId: string; stats: RecordingStats }];
};
