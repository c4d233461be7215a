/**
 * Delay-gradient overuse detector of GCC (as libwebrtc's InterArrival + TrendlineEstimator): packets
 * are grouped in 5 ms send bursts; the change of one-way delay between groups is accumulated,
 * smoothed, and a least-squares slope over the last 20 groups, compared with an adaptive threshold,
 * says whether the bottleneck queue is growing (overuse), draining (underuse) or steady (normal).
 */

/** Detector verdict. */
export type BandwidthUsage = 'normal' | 'overusing' | 'underusing';

const BURST_MS = 5;
const WINDOW = 20;
const SMOOTHING = 0.9;
const GAIN = 4;
const MAX_DELTAS = 60;
const OVERUSE_TIME_MS = 10;
const K_UP = 0.0087;
const K_DOWN = 0.039;

/** Trendline delay-gradient estimator fed with (send time, arrival time) of acknowledged packets. */
export class TrendlineEstimator {
  /** Latest verdict. */
  state: BandwidthUsage = 'normal';
  /** Current adaptive threshold (ms of modified trend). */
  threshold = 12.5;

  private groupFirstSend = Number.NaN;
  private groupLastSend = 0;
  private groupLastArrival = 0;
  private prevLastSend = Number.NaN;
  private prevLastArrival = 0;

  private firstArrival = Number.NaN;
  private accumulated = 0;
  private smoothed = 0;
  private numDeltas = 0;
  private readonly xs = new Float64Array(WINDOW);
  private readonly ys = new Float64Array(WINDOW);
  private count = 0;
  private head = 0;
  private prevTrend = 0;
  private timeOverUsing = -1;
  private overuseCounter = 0;
  private lastThresholdUpdate = Number.NaN;

  /** Feeds one acknowledged packet, in send order. Times in ms (sender clock / receiver clock). */
  onPacket(sendMs: number, arrivalMs: number): void {
    if (Number.isNaN(this.groupFirstSend)) {
      this.startGroup(sendMs, arrivalMs);
      return;
    }
    if (sendMs < this.groupFirstSend) return; // sent before the current group: reordered, ignore
    if (sendMs - this.groupFirstSend <= BURST_MS) {
      this.groupLastSend = Math.max(this.groupLastSend, sendMs);
      this.groupLastArrival = Math.max(this.groupLastArrival, arrivalMs);
      return;
    }
    // The current group is complete: compare it with the previous one.
    if (!Number.isNaN(this.prevLastSend)) {
      const sendDelta = this.groupLastSend - this.prevLastSend;
      const arrivalDelta = this.groupLastArrival - this.prevLastArrival;
      this.update(arrivalDelta - sendDelta, sendDelta, this.groupLastArrival);
    }
    this.prevLastSend = this.groupLastSend;
    this.prevLastArrival = this.groupLastArrival;
    this.startGroup(sendMs, arrivalMs);
  }

  private startGroup(sendMs: number, arrivalMs: number): void {
    this.groupFirstSend = sendMs;
    this.groupLastSend = sendMs;
    this.groupLastArrival = arrivalMs;
  }

  private update(delayDeltaMs: number, sendDeltaMs: number, arrivalMs: number): void {
    this.numDeltas = Math.min(this.numDeltas + 1, 1000);
    if (Number.isNaN(this.firstArrival)) this.firstArrival = arrivalMs;
    this.accumulated += delayDeltaMs;
    this.smoothed = SMOOTHING * this.smoothed + (1 - SMOOTHING) * this.accumulated;
    this.xs[this.head] = arrivalMs - this.firstArrival;
    this.ys[this.head] = this.smoothed;
    this.head = (this.head + 1) % WINDOW;
    if (this.count < WINDOW) this.count++;
    let trend = this.prevTrend;
    if (this.count === WINDOW) trend = this.slope();
    this.detect(trend, sendDeltaMs, arrivalMs);
  }

  private slope(): number {
    let sx = 0;
    let sy = 0;
    for (let i = 0; i < WINDOW; i++) {
      sx += this.xs[i];
      sy += this.ys[i];
    }
    const mx = sx / WINDOW;
    const my = sy / WINDOW;
    let num = 0;
    let den = 0;
    for (let i = 0; i < WINDOW; i++) {
      const dx = this.xs[i] - mx;
      num += dx * (this.ys[i] - my);
      den += dx * dx;
    }
    return den === 0 ? 0 : num / den;
  }

  private detect(trend: number, sendDeltaMs: number, nowMs: number): void {
    if (this.numDeltas < 2) return;
    const modified = Math.min(this.numDeltas, MAX_DELTAS) * trend * GAIN;
    if (modified > this.threshold) {
      this.timeOverUsing = this.timeOverUsing < 0 ? sendDeltaMs / 2 : this.timeOverUsing + sendDeltaMs;
      this.overuseCounter++;
      if (this.timeOverUsing > OVERUSE_TIME_MS && this.overuseCounter > 1 && trend >= this.prevTrend) {
        this.timeOverUsing = 0;
        this.overuseCounter = 0;
        this.state = 'overusing';
      }
    } else if (modified < -this.threshold) {
      this.timeOverUsing = -1;
      this.overuseCounter = 0;
      this.state = 'underusing';
    } else {
      this.timeOverUsing = -1;
      this.overuseCounter = 0;
      this.state = 'normal';
    }
    this.prevTrend = trend;
    this.updateThreshold(modified, nowMs);
  }

  private updateThreshold(modified: number, nowMs: number): void {
    if (Number.isNaN(this.lastThresholdUpdate)) this.lastThresholdUpdate = nowMs;
    const abs = Math.abs(modified);
    if (abs > this.threshold + 15) {
      // A spike (e.g. a route change) must not drag the threshold along.
      this.lastThresholdUpdate = nowMs;
      return;
    }
    const k = abs < this.threshold ? K_DOWN : K_UP;
    const dt = Math.min(Math.max(nowMs - this.lastThresholdUpdate, 0), 100);
    this.threshold = Math.min(600, Math.max(6, this.threshold + k * (abs - this.threshold) * dt));
    this.lastThresholdUpdate = nowMs;
  }
}
