/**
 * Send-side bandwidth estimation for one subscriber connection: a simplified Google Congestion
 * Control. We write transport-wide sequence numbers and record their send times; the subscriber's
 * transport-cc feedback gives arrival times and losses. Two controllers run side by side:
 *  - delay-based: trendline delay gradient → AIMD (multiplicative increase ~8 %/s, additive near the
 *    last known link capacity, decrease to 85 % of the acknowledged rate on overuse);
 *  - loss-based: over 10 % loss cuts by half the loss fraction, under 2 % lets the limit recover.
 * The estimate is the minimum of both and of the subscriber's REMB when it sends one.
 *
 * The delay-based estimate never runs far ahead of what the receiver demonstrably gets (1.5× the
 * acknowledged rate), so a subscriber on a low simulcast layer could never afford a higher one.
 * Probing (probe-controller.ts) sends short paced clusters above that rate; a cluster the receiver
 * got at rate R (probe-estimator.ts) lifts the estimate to R and holds that ceiling for a while, so
 * the layer selector can go up and the higher layer's own rate takes over.
 */
import type { TransportCcFeedback } from '../rtcp/rtcp-packets';
import { TWCC_DELTA_TICK_US, TWCC_REFERENCE_TICK_US } from '../rtcp/transport-cc';
import { AckedBitrate } from './acked-bitrate';
import { type ProbeResult, ProbeEstimator } from './probe-estimator';
import { SendHistory } from './send-history';
import { type BandwidthUsage, TrendlineEstimator } from './trendline';

/** Options of a SendSideBwe. */
export interface SendSideBweOptions {
  /** Estimate before any feedback, bps. Default 1 Mbps. */
  initialBitrate?: number;
  /** Floor of the estimate, bps. Default 50 kbps. */
  minBitrate?: number;
  /** Ceiling of the estimate, bps. Default 20 Mbps. */
  maxBitrate?: number;
  /** Transport-wide sequence numbers remembered (power of two). Default 4096. */
  historySize?: number;
}

const BETA = 0.85;
const INCREASE_PER_SECOND = 1.08;
const LOSS_LOW = 0.02;
const LOSS_HIGH = 0.1;
const LOSS_MIN_PACKETS = 20;
const LOSS_DECREASE_INTERVAL_MS = 300;
const RTT_DEFAULT_MS = 100;
/** How long a probe result keeps the estimate's ceiling up (layer hold time + a keyframe). */
const PROBE_HOLD_MS = 6000;
const NO_PROBE_RESULTS: readonly ProbeResult[] = Object.freeze([]);

/** Per-subscriber send-side bandwidth estimator (see file comment). */
export class SendSideBwe {
  private readonly min: number;
  private readonly max: number;
  private readonly history: SendHistory;
  private readonly trendline = new TrendlineEstimator();
  private readonly acked = new AckedBitrate();
  private readonly probes = new ProbeEstimator();
  private readonly probeResults: ProbeResult[] = [];
  private probedBps = 0;
  private probedAtMs = Number.NEGATIVE_INFINITY;

  private delayBased: number;
  private lossLimit = Number.POSITIVE_INFINITY;
  private remb = Number.POSITIVE_INFINITY;
  private rttMs = RTT_DEFAULT_MS;
  private rateState: 'hold' | 'increase' = 'increase';
  private lastRateUpdateMs = Number.NaN;
  private lastDecreaseMs = Number.NEGATIVE_INFINITY;
  private linkCapacity = Number.NaN;

  private lossReceived = 0;
  private lossLost = 0;
  private lastLossRate = 0;
  private lastLossDecreaseMs = Number.NEGATIVE_INFINITY;
  private lastLossUpdateMs = Number.NaN;

  private lastReferenceRaw = -1;
  private referenceUs = 0;

  /** Starts at `initialBitrate`. */
  constructor(options: SendSideBweOptions = {}) {
    this.min = options.minBitrate ?? 50_000;
    this.max = options.maxBitrate ?? 20_000_000;
    this.delayBased = clamp(options.initialBitrate ?? 1_000_000, this.min, this.max);
    this.history = new SendHistory(options.historySize ?? 4096);
  }

  /** Current estimate in bits per second: what this subscriber can take. */
  get estimate(): number {
    return clamp(Math.min(this.delayBased, this.lossLimit, this.remb), this.min, this.max);
  }

  /** Delay-based part of the estimate, bps. */
  get delayBasedEstimate(): number {
    return this.delayBased;
  }

  /** Loss fraction of the last completed loss window (0..1). */
  get lossRate(): number {
    return this.lastLossRate;
  }

  /** Latest delay-gradient verdict. */
  get usage(): BandwidthUsage {
    return this.trendline.state;
  }

  /** Acknowledged receive rate, bps (0 until known). */
  get ackedBitrate(): number {
    return this.acked.bitrate;
  }

  /** Records a packet we sent with transport-wide sequence number `transportSeq` (of probe `cluster`, or -1). */
  onPacketSent(transportSeq: number, size: number, sendTimeMs: number, cluster = -1): void {
    this.history.onPacketSent(transportSeq, size, sendTimeMs, cluster);
    if (cluster >= 0) this.probes.onSent(cluster);
  }

  /** The last packet of probe `cluster` was sent. */
  onProbeClusterEnded(cluster: number, nowMs: number): void {
    this.probes.onEnded(cluster, nowMs);
  }

  /** Probe clusters judged since the last call (0 bps: failed), already applied to the estimate. */
  takeProbeResults(nowMs: number): readonly ProbeResult[] {
    this.collectProbes(nowMs);
    return this.probeResults.length === 0 ? NO_PROBE_RESULTS : this.probeResults.splice(0);
  }

  /** Ceiling a successful probe holds up, bps (0 when none is in force). */
  probedBitrate(nowMs: number): number {
    return nowMs - this.probedAtMs < PROBE_HOLD_MS ? this.probedBps : 0;
  }

  /** Round-trip time from RTCP receiver reports (LSR/DLSR); spaces the loss-based decreases. */
  setRtt(rttMs: number): void {
    if (rttMs > 0 && Number.isFinite(rttMs)) this.rttMs = rttMs;
  }

  /** A REMB from the subscriber caps the estimate until a newer one arrives. */
  onRemb(bitrate: number): void {
    if (bitrate > 0) this.remb = bitrate;
  }

  /** Processes one transport-cc feedback from the subscriber, received at `nowMs` (sender clock). */
  onTransportFeedback(fb: TransportCcFeedback, nowMs: number): void {
    // Unwrap the 24-bit reference time across feedbacks (signed distance to the previous one).
    if (this.lastReferenceRaw < 0) this.referenceUs = fb.referenceTime * TWCC_REFERENCE_TICK_US;
    else this.referenceUs += ((((fb.referenceTime - this.lastReferenceRaw) & 0xffffff) << 8) >> 8) * TWCC_REFERENCE_TICK_US;
    this.lastReferenceRaw = fb.referenceTime;

    let ticks = 0;
    for (let k = 0; k < fb.deltas.length; k++) {
      const seq = (fb.baseSequence + k) & 0xffff;
      const d = fb.deltas[k];
      if (d !== null) ticks += d;
      const sent = this.history.lookup(seq);
      if (!sent || sent.alreadyAcked) continue;
      if (d === null) {
        this.lossLost++;
        continue;
      }
      this.lossReceived++;
      this.history.markAcked(seq);
      const arrivalMs = (this.referenceUs + ticks * TWCC_DELTA_TICK_US) / 1000;
      this.acked.add(arrivalMs, sent.size);
      this.trendline.onPacket(sent.sendTimeMs, arrivalMs);
      if (sent.cluster >= 0) this.probes.onAcked(sent.cluster, sent.size, sent.sendTimeMs, arrivalMs);
    }
    this.updateDelayBased(nowMs);
    this.updateLossBased(nowMs);
    this.collectProbes(nowMs);
  }

  private collectProbes(nowMs: number): void {
    for (const r of this.probes.collect(nowMs)) {
      this.probeResults.push(r);
      // A probe does not override congestion the delay or loss controller sees right now.
      if (r.bitrateBps <= 0 || this.trendline.state === 'overusing' || this.lastLossRate > LOSS_HIGH) continue;
      this.probedBps = Math.min(r.bitrateBps, this.max);
      this.probedAtMs = nowMs;
      if (this.probedBps > this.delayBased) this.delayBased = this.probedBps;
      if (!Number.isNaN(this.linkCapacity) && this.probedBps > this.linkCapacity) this.linkCapacity = Number.NaN;
    }
  }

  private updateDelayBased(nowMs: number): void {
    const acked = this.acked.bitrate;
    const dtMs = Number.isNaN(this.lastRateUpdateMs) ? 0 : Math.min(Math.max(nowMs - this.lastRateUpdateMs, 0), 1000);
    this.lastRateUpdateMs = nowMs;
    switch (this.trendline.state) {
      case 'overusing':
        // At most one decrease per RTT: the queue needs that long to show the effect.
        if (nowMs - this.lastDecreaseMs >= this.rttMs) {
          const base = acked > 0 ? acked : this.delayBased;
          this.delayBased = Math.min(this.delayBased, BETA * base);
          this.linkCapacity = Number.isNaN(this.linkCapacity) ? base : 0.8 * this.linkCapacity + 0.2 * base;
          this.lastDecreaseMs = nowMs;
        }
        this.rateState = 'hold';
        break;
      case 'underusing':
        this.rateState = 'hold'; // the queue drains; do not add to it
        break;
      case 'normal':
        if (this.rateState === 'hold') this.rateState = 'increase';
        else this.increase(dtMs, acked, nowMs);
        break;
    }
    this.delayBased = clamp(this.delayBased, this.min, this.max);
  }

  private increase(dtMs: number, acked: number, nowMs: number): void {
    const nearCapacity = !Number.isNaN(this.linkCapacity) && this.delayBased > 0.9 * this.linkCapacity;
    if (nearCapacity) {
      // About one packet per response time: probe gently where the link broke down last time.
      this.delayBased += ((1200 * 8 * 1000) / (this.rttMs + 100)) * (dtMs / 1000);
    } else {
      this.delayBased *= INCREASE_PER_SECOND ** (dtMs / 1000);
    }
    // Never run far ahead of what the receiver demonstrably gets: its acknowledged rate, or what a
    // recent probe showed it can get.
    if (acked > 0) this.delayBased = Math.min(this.delayBased, Math.max(1.5 * acked + 10_000, this.probedBitrate(nowMs)));
    if (!Number.isNaN(this.linkCapacity) && this.delayBased > 1.5 * this.linkCapacity) this.linkCapacity = Number.NaN;
  }

  private updateLossBased(nowMs: number): void {
    const total = this.lossReceived + this.lossLost;
    if (total < LOSS_MIN_PACKETS) return;
    const loss = this.lossLost / total;
    this.lastLossRate = loss;
    this.lossReceived = 0;
    this.lossLost = 0;
    const dtMs = Number.isNaN(this.lastLossUpdateMs) ? 0 : Math.min(Math.max(nowMs - this.lastLossUpdateMs, 0), 1000);
    this.lastLossUpdateMs = nowMs;
    if (loss > LOSS_HIGH) {
      if (nowMs - this.lastLossDecreaseMs >= LOSS_DECREASE_INTERVAL_MS + this.rttMs) {
        this.lossLimit = this.estimate * (1 - 0.5 * loss);
        this.lastLossDecreaseMs = nowMs;
      }
    } else if (loss < LOSS_LOW && Number.isFinite(this.lossLimit)) {
      this.lossLimit *= INCREASE_PER_SECOND ** (dtMs / 1000);
      if (this.lossLimit >= this.delayBased) this.lossLimit = Number.POSITIVE_INFINITY;
    }
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
