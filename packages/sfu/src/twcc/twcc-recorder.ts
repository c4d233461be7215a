/**
 * Receive side of transport-wide congestion control: ONE recorder per receiving connection (the
 * transport-wide sequence number spans every stream of the connection, including RTX and probe
 * packets on SSRCs we do not know). It records (transport seq, arrival time) per packet and, on the
 * caller's timer tick (50–100 ms), produces correct transport-cc feedback for what arrived since.
 */
import { SeqUnwrapper } from '../util/seq';
import { serializeTransportCc, TWCC_DELTA_TICK_US, TWCC_REFERENCE_TICK_US } from '../rtcp/transport-cc';

/** Options of a TwccRecorder. */
export interface TwccRecorderOptions {
  /** SSRC we send RTCP with on this connection. */
  senderSsrc: number;
  /** Packets of history kept (power of two). Default 4096: seconds of video at any realistic rate. */
  historySize?: number;
  /** Upper bound of one feedback packet's size; more statuses go into further packets. Default 1200. */
  maxFeedbackBytes?: number;
}

const MAX_DELTA_TICKS = 0x7fff;
const MIN_DELTA_TICKS = -0x8000;

/** Per-connection transport-wide CC feedback generator (see file comment). */
export class TwccRecorder {
  private readonly senderSsrc: number;
  private readonly size: number;
  private readonly mask: number;
  private readonly maxBytes: number;
  private readonly arrivals: Float64Array;
  private readonly unwrapper = new SeqUnwrapper();
  private maxSeq = -1;
  private windowStart = -1;
  private feedbackCount = 0;
  private mediaSsrc = 0;

  /** Allocates the fixed history once. */
  constructor(options: TwccRecorderOptions) {
    const size = options.historySize ?? 4096;
    if (size < 16 || (size & (size - 1)) !== 0) throw new RangeError('historySize must be a power of two ≥ 16');
    this.senderSsrc = options.senderSsrc >>> 0;
    this.size = size;
    this.mask = size - 1;
    this.maxBytes = Math.max(64, options.maxFeedbackBytes ?? 1200);
    this.arrivals = new Float64Array(size).fill(Number.NaN);
  }

  /**
   * Records one incoming RTP packet. `arrivalUs` is the local receive time in µs (any monotonic
   * epoch); `ssrc` only fills the informational media-SSRC field of the feedback.
   */
  record(transportSeq: number, arrivalUs: number, ssrc?: number): void {
    const ext = this.unwrapper.unwrap(transportSeq);
    if (ssrc !== undefined) this.mediaSsrc = ssrc >>> 0;
    if (this.maxSeq >= 0 && ext <= this.maxSeq - this.size) return; // older than the history
    if (ext > this.maxSeq) {
      if (this.maxSeq < 0 || ext - this.maxSeq >= this.size) this.arrivals.fill(Number.NaN);
      else for (let s = this.maxSeq + 1; s < ext; s++) this.arrivals[s & this.mask] = Number.NaN;
      this.maxSeq = ext;
    }
    this.arrivals[ext & this.mask] = arrivalUs;
    // A late packet moves the window back so the next feedback reports it (as libwebrtc does), but
    // never by more than an eighth of the history: a very late packet is not worth a huge re-report.
    if (this.windowStart < 0) this.windowStart = ext;
    else if (ext < this.windowStart && ext > this.maxSeq - (this.size >> 3)) this.windowStart = ext;
  }

  /** True when packets arrived since the last feedback. */
  get hasPending(): boolean {
    return this.windowStart >= 0 && this.windowStart <= this.maxSeq;
  }

  /**
   * Serialized transport-cc packets for everything recorded since the last call (empty when
   * nothing new). Call from the connection's feedback timer, then send them as RTCP.
   */
  buildFeedback(): Buffer[] {
    const out: Buffer[] = [];
    if (!this.hasPending) return out;
    let seq = Math.max(this.windowStart, this.maxSeq - this.size + 1);
    while (seq <= this.maxSeq) seq = this.buildOne(seq, out);
    this.windowStart = this.maxSeq + 1;
    return out;
  }

  /**
   * Builds one feedback packet starting at `base` (leading losses allowed: the reference time comes
   * from the first received packet); returns the next seq to report.
   */
  private buildOne(base: number, out: Buffer[]): number {
    let first = base;
    while (first <= this.maxSeq && Number.isNaN(this.arrivals[first & this.mask])) first++;
    if (first > this.maxSeq) return first;
    const referenceTime = Math.floor(this.arrivals[first & this.mask] / TWCC_REFERENCE_TICK_US);
    const referenceUs = referenceTime * TWCC_REFERENCE_TICK_US;
    const deltas: Array<number | null> = [];
    let prevTicks = 0;
    let bytes = 20;
    let seq = base;
    let lastReceived = first;
    for (; seq <= this.maxSeq && seq - base < 0xffff; seq++) {
      const t = this.arrivals[seq & this.mask];
      if (Number.isNaN(t)) {
        deltas.push(null);
        bytes += 2 / 7;
        continue;
      }
      const ticks = Math.round((t - referenceUs) / TWCC_DELTA_TICK_US);
      const delta = ticks - prevTicks;
      if (delta > MAX_DELTA_TICKS || delta < MIN_DELTA_TICKS) break;
      const cost = (delta >= 0 && delta <= 0xff ? 1 : 2) + 2 / 7;
      if (seq !== first && bytes + cost + 2 > this.maxBytes) break;
      bytes += cost;
      deltas.push(delta);
      prevTicks = ticks;
      lastReceived = seq;
    }
    // Never end a feedback on losses: they are reported with the next received packet.
    deltas.length = lastReceived - base + 1;
    out.push(
      serializeTransportCc({
        senderSsrc: this.senderSsrc,
        mediaSsrc: this.mediaSsrc,
        baseSequence: base & 0xffff,
        referenceTime: referenceTime & 0xffffff,
        feedbackPacketCount: this.feedbackCount,
        deltas,
      }),
    );
    this.feedbackCount = (this.feedbackCount + 1) & 0xff;
    return lastReceived + 1;
  }
}
