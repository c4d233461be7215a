/**
 * The bitrate a probe cluster demonstrated (as libwebrtc's ProbeBitrateEstimator): the cluster's
 * packets were paced at a target rate; transport-cc feedback gives their arrival times. The link
 * carried at least min(send rate, receive rate); when the receiver got them clearly slower than
 * they were sent, the link is saturated and 95 % of the receive rate is what it carries.
 */

/** Options of a ProbeEstimator. */
export interface ProbeEstimatorOptions {
  /** Share of the cluster's packets that must arrive for a valid result. Default 0.8. */
  minReceivedRatio?: number;
  /** Fewest packets that must arrive. Default 5. */
  minPackets?: number;
  /** How long after its last packet a cluster waits for feedback before it is judged. Default 600 ms. */
  feedbackWaitMs?: number;
}

/** A judged cluster: the bitrate it showed (0 when it failed: lost packets, no feedback). */
export interface ProbeResult {
  /** Cluster id. */
  cluster: number;
  /** Demonstrated bitrate, bps; 0 when the probe failed. */
  bitrateBps: number;
}

interface ClusterStats {
  id: number;
  sent: number;
  acked: number;
  ackedBytes: number;
  firstSendMs: number;
  lastSendMs: number;
  lastSendSize: number;
  firstArrivalMs: number;
  firstArrivalSize: number;
  lastArrivalMs: number;
  /** When the sender finished the cluster (NaN while sending). */
  endedMs: number;
}

const MAX_CLUSTERS = 8;
/** Returned when nothing was judged (no array per call: this runs on every feedback and tick). */
const NONE: readonly ProbeResult[] = Object.freeze([]);

/** Per-connection probe result computation (see file comment). */
export class ProbeEstimator {
  private readonly minReceivedRatio: number;
  private readonly minPackets: number;
  private readonly feedbackWaitMs: number;
  private readonly clusters: ClusterStats[] = [];
  private readonly results: ProbeResult[] = [];

  constructor(options: ProbeEstimatorOptions = {}) {
    this.minReceivedRatio = options.minReceivedRatio ?? 0.8;
    this.minPackets = options.minPackets ?? 5;
    this.feedbackWaitMs = options.feedbackWaitMs ?? 600;
  }

  /** A probe packet of `cluster` was sent. */
  onSent(cluster: number): void {
    let c = this.find(cluster);
    if (!c) {
      if (this.clusters.length >= MAX_CLUSTERS) this.clusters.shift();
      c = {
        id: cluster,
        sent: 0,
        acked: 0,
        ackedBytes: 0,
        firstSendMs: Number.POSITIVE_INFINITY,
        lastSendMs: Number.NEGATIVE_INFINITY,
        lastSendSize: 0,
        firstArrivalMs: Number.POSITIVE_INFINITY,
        firstArrivalSize: 0,
        lastArrivalMs: Number.NEGATIVE_INFINITY,
        endedMs: Number.NaN,
      };
      this.clusters.push(c);
    }
    c.sent++;
  }

  /** The sender sent the last packet of `cluster`. */
  onEnded(cluster: number, nowMs: number): void {
    const c = this.find(cluster);
    if (c) c.endedMs = nowMs;
  }

  /** Feedback reported a packet of `cluster` received. */
  onAcked(cluster: number, size: number, sendTimeMs: number, arrivalMs: number): void {
    const c = this.find(cluster);
    if (!c) return;
    c.acked++;
    c.ackedBytes += size;
    if (sendTimeMs < c.firstSendMs) c.firstSendMs = sendTimeMs;
    if (sendTimeMs >= c.lastSendMs) {
      c.lastSendMs = sendTimeMs;
      c.lastSendSize = size;
    }
    if (arrivalMs < c.firstArrivalMs) {
      c.firstArrivalMs = arrivalMs;
      c.firstArrivalSize = size;
    }
    if (arrivalMs > c.lastArrivalMs) c.lastArrivalMs = arrivalMs;
  }

  /** Judges the clusters that are complete (every packet acked) or waited long enough; returns and forgets them. */
  collect(nowMs: number): readonly ProbeResult[] {
    if (this.clusters.length === 0) return NONE;
    for (let i = 0; i < this.clusters.length; ) {
      const c = this.clusters[i];
      const ended = !Number.isNaN(c.endedMs);
      if (ended && (c.acked >= c.sent || nowMs - c.endedMs >= this.feedbackWaitMs)) {
        this.results.push({ cluster: c.id, bitrateBps: this.judge(c) });
        this.clusters.splice(i, 1);
      } else i++;
    }
    return this.results.length === 0 ? NONE : this.results.splice(0);
  }

  private judge(c: ClusterStats): number {
    if (c.acked < this.minPackets || c.acked < this.minReceivedRatio * c.sent) return 0;
    const sendInterval = c.lastSendMs - c.firstSendMs;
    const receiveInterval = c.lastArrivalMs - c.firstArrivalMs;
    if (!(sendInterval > 0) || sendInterval > 1000 || receiveInterval > 1000) return 0;
    const sendRate = ((c.ackedBytes - c.lastSendSize) * 8000) / sendInterval;
    // All in one arrival tick (a fast link, coarse clock): the send rate is what it showed.
    const receiveRate = receiveInterval > 0 ? ((c.ackedBytes - c.firstArrivalSize) * 8000) / receiveInterval : Number.POSITIVE_INFINITY;
    if (receiveRate < 0.9 * sendRate) return 0.95 * receiveRate;
    return Math.min(sendRate, receiveRate);
  }

  private find(id: number): ClusterStats | undefined {
    for (const c of this.clusters) if (c.id === id) return c;
    return undefined;
  }
}
