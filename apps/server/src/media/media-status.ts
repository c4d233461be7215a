/**
 * What the operator's media page and GET /api/v1/admin/media show: each SFU worker's load (from
 * `worker.stats`; CPU and packet rates over the time since the previous reading) and where
 * clients send media. Reading it costs one request per worker.
 */
import type { MediaStatus, MediaWorkerStatus } from '@podium/protocol';
import type { SfuWorker, WorkerLoad } from '@podium/sfu';
import type { Config } from '../config/schema';
import type { MediaPlacement } from './placement';

/** Where clients reach this server's media (from configuration). */
export type MediaEndpoints = Pick<MediaStatus, 'announcedIp' | 'udp' | 'tcpPort'>;

/** The UDP side of the endpoints: a range (a port per connection) or a shared port per worker. */
export function udpEndpoint(config: Pick<Config, 'mediaUdpPort' | 'mediaPortMin' | 'mediaPortMax'>): MediaStatus['udp'] {
  return config.mediaUdpPort > 0 ? { mode: 'shared', firstPort: config.mediaUdpPort } : { mode: 'range', min: config.mediaPortMin, max: config.mediaPortMax };
}

/** Reads the media plane's status (see file comment). */
export class MediaStatusReader {
  private readonly previous = new WeakMap<SfuWorker, { atMs: number; cpuUs: number; rtpSent: number }>();

  constructor(
    private readonly placement: MediaPlacement,
    private readonly endpoints: MediaEndpoints,
  ) {}

  /** The status now. */
  async read(): Promise<MediaStatus> {
    const workers = this.placement.workers();
    const [loads, counts] = await Promise.all([
      Promise.all(workers.map((w) => w.request('worker.stats', {}).catch(() => null))),
      this.placement.stats(),
    ]);
    const nowMs = performance.now();
    const out: MediaWorkerStatus[] = [];
    workers.forEach((w, index) => {
      const load = loads[index];
      if (load) out.push(this.workerStatus(w, index, load, nowMs));
    });
    return { enabled: true, workers: out, events: counts.events, routers: counts.routers, ...this.endpoints };
  }

  private workerStatus(w: SfuWorker, index: number, load: WorkerLoad, nowMs: number): MediaWorkerStatus {
    const before = this.previous.get(w);
    this.previous.set(w, { atMs: nowMs, cpuUs: load.threadCpuUs, rtpSent: load.rtpSent });
    const seconds = before ? (nowMs - before.atMs) / 1000 : 0;
    const rate = (now: number, then: number | undefined) => (then !== undefined && seconds > 0 && now >= then ? (now - then) / seconds : null);
    const cpuUsPerS = load.threadCpuUs >= 0 ? rate(load.threadCpuUs, before?.cpuUs) : null;
    const packetsPerS = rate(load.rtpSent, before?.rtpSent);
    const native = load.nativeSend;
    return {
      index,
      routers: load.routers,
      transports: load.transports,
      cpuPercent: cpuUsPerS === null ? null : Math.round(cpuUsPerS / 1e4 * 10) / 10,
      packetsPerSecond: packetsPerS === null ? null : Math.round(packetsPerS),
      eventLoopDelayP99Ms: Math.round(load.eventLoopDelayP99Ms * 10) / 10,
      nativeSend: !('unavailable' in native),
      ...('unavailable' in native ? { nativeSendUnavailable: native.unavailable } : {}),
      overflowedPackets: load.deferredPackets.overflowed,
    };
  }
}
