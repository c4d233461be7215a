/**
 * When and how hard to probe one subscriber connection (like libwebrtc's ProbeController and
 * mediasoup's probation). The estimate only climbs to about 1.5× what the subscriber receives, so
 * a viewer held on a low simulcast layer by a cautious start would stay there. When its consumers
 * want more than the estimate allows (a bigger layer for their viewport), a short cluster of
 * padding (RTX copies of recent packets, counted in transport-cc) is paced at the wanted rate; the
 * rate the receiver got them at (probe-estimator.ts) then lifts the estimate.
 *
 * Cost bound: a cluster lasts ~40 ms at the target rate; after a failed probe the next waits
 * 2 s, growing 1.5× per further failure up to 15 s, so a link that cannot carry more costs at most
 * ~2 % of the target rate at first and ~0.3 % later. After a success (or a result clearly above
 * the estimate) the next probe may follow after 1 s.
 */

/** Options of a ProbeController. */
export interface ProbeControllerOptions {
  /** Length of a cluster at its target rate, ms. Default 40. */
  clusterMs?: number;
  /** Fewest packets in a cluster. Default 6. */
  minPackets?: number;
  /** Target rate over the wanted rate. Default 1.2. */
  overshoot?: number;
  /** Wait after a failed probe (×1.5 per further failure), ms. Default 2000. */
  failureBackoffMs?: number;
  /** Longest wait between probes while more is wanted, ms. Default 15000. */
  maxBackoffMs?: number;
  /** Wait after a successful probe before the next one, ms. Default 1000. */
  successIntervalMs?: number;
  /** Highest target, bps. Default 20 Mbps. */
  maxBitrate?: number;
}

/** A cluster being sent. */
export interface ProbeCluster {
  /** Id (written into the send history of its packets). */
  id: number;
  /** Paced rate, bps. */
  targetBps: number;
  /** The rate that, if shown, is enough. */
  wantedBps: number;
  /** The estimate when the cluster started. */
  estimateBps: number;
  /** Start time, ms. */
  startMs: number;
  /** Bytes to send in all. */
  bytes: number;
  /** Packets to send at least. */
  minPackets: number;
  /** Bytes sent so far. */
  bytesSent: number;
  /** Packets sent so far. */
  packetsSent: number;
}

/** Per-connection probing policy (see file comment). */
export class ProbeController {
  /** Clusters started (inspection, tests). */
  clustersStarted = 0;
  /** Clusters that showed the wanted rate. */
  clustersSucceeded = 0;
  private readonly clusterMs: number;
  private readonly minPackets: number;
  private readonly overshoot: number;
  private readonly failureBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly successIntervalMs: number;
  private readonly maxBitrate: number;
  private nextId = 0;
  private nextAllowedMs = Number.NEGATIVE_INFINITY;
  private backoffMs: number;
  private active: ProbeCluster | null = null;
  /** Clusters sent and waiting for their result. */
  private readonly waiting = new Map<number, { wantedBps: number; estimateBps: number }>();

  constructor(options: ProbeControllerOptions = {}) {
    this.clusterMs = options.clusterMs ?? 40;
    this.minPackets = options.minPackets ?? 6;
    this.overshoot = options.overshoot ?? 1.2;
    this.failureBackoffMs = options.failureBackoffMs ?? 2000;
    this.maxBackoffMs = options.maxBackoffMs ?? 15_000;
    this.successIntervalMs = options.successIntervalMs ?? 1000;
    this.maxBitrate = options.maxBitrate ?? 20_000_000;
    this.backoffMs = this.failureBackoffMs;
  }

  /** The cluster being sent, if any. */
  get current(): ProbeCluster | null {
    return this.active;
  }

  /**
   * Called periodically: starts a cluster when the consumers want more than the estimate
   * (`wantedBps` > `estimateBps`), nothing is being probed, the wait is over and the link is not
   * congested now.
   */
  maybeStart(nowMs: number, estimateBps: number, wantedBps: number, congested: boolean): ProbeCluster | null {
    if (this.active || this.waiting.size > 0 || congested || nowMs < this.nextAllowedMs) return null;
    if (!(wantedBps > estimateBps)) {
      this.backoffMs = this.failureBackoffMs; // nothing wanted: the next want probes soon
      return null;
    }
    const targetBps = Math.min(wantedBps * this.overshoot, this.maxBitrate);
    this.active = {
      id: this.nextId++ & 0x7fffffff,
      targetBps,
      wantedBps,
      estimateBps,
      startMs: nowMs,
      bytes: Math.ceil((targetBps * this.clusterMs) / 8000),
      minPackets: this.minPackets,
      bytesSent: 0,
      packetsSent: 0,
    };
    this.clustersStarted++;
    return this.active;
  }

  /** Bytes the current cluster should have sent by `nowMs` (pacing at its target rate, one packet ahead). */
  dueBytes(nowMs: number): number {
    const c = this.active;
    if (!c) return 0;
    return Math.min(c.bytes, (c.targetBps * Math.max(0, nowMs - c.startMs)) / 8000) + 1;
  }

  /** Records a probe packet of the current cluster; true when the cluster is complete. */
  onPacketSent(bytes: number): boolean {
    const c = this.active;
    if (!c) return true;
    c.bytesSent += bytes;
    c.packetsSent++;
    return c.bytesSent >= c.bytes && c.packetsSent >= c.minPackets;
  }

  /** The current cluster is over (complete, or nothing could be sent); its result is awaited. */
  endCluster(nowMs: number): void {
    const c = this.active;
    if (!c) return;
    this.active = null;
    // Nothing to send yet (no packet in the consumers' retransmission buffers): try again soon.
    if (c.packetsSent === 0) this.nextAllowedMs = nowMs + 500;
    else this.waiting.set(c.id, { wantedBps: c.wantedBps, estimateBps: c.estimateBps });
  }

  /** The estimator judged cluster `id` (0 bps: failed). */
  onResult(id: number, bitrateBps: number, nowMs: number): void {
    const w = this.waiting.get(id);
    if (w === undefined) return;
    this.waiting.delete(id);
    if (bitrateBps >= 0.95 * w.wantedBps) {
      this.clustersSucceeded++;
      this.backoffMs = this.failureBackoffMs;
      this.nextAllowedMs = nowMs + this.successIntervalMs;
    } else if (bitrateBps >= 1.2 * w.estimateBps) {
      // Not all that was wanted, but clearly more than the estimate (which now follows it): probe
      // again soon from there rather than backing off.
      this.nextAllowedMs = nowMs + this.successIntervalMs;
    } else this.fail(nowMs);
  }

  private fail(nowMs: number): void {
    this.nextAllowedMs = nowMs + this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 1.5, this.maxBackoffMs);
  }
}
