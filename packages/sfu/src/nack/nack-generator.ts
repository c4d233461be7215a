/**
 * Receive side NACK generation for one incoming stream: notices sequence gaps, asks for the missing
 * packets (RFC 4585 generic NACK) on the caller's timer, retries a bounded number of times spaced by
 * the RTT, and gives up on packets that are too old or too many (a keyframe is then the cure).
 */
import { SeqUnwrapper } from '../util/seq';

/** Options of a NackGenerator. */
export interface NackGeneratorOptions {
  /** Requests per missing packet before giving up. Default 10. */
  maxRetries?: number;
  /** A missing packet older than this (since its gap was seen) is abandoned. Default 1000 ms. */
  maxAgeMs?: number;
  /** Most packets tracked as missing; a bigger gap clears the list. Default 500. */
  maxMissing?: number;
  /** Lower bound of the spacing between retries of one packet, whatever the RTT. Default 20 ms. */
  minRetryIntervalMs?: number;
  /** Wait before the first request, to let slightly reordered packets arrive. Default 0 ms. */
  reorderDelayMs?: number;
  /** Called when losses can no longer be repaired by retransmission (request a keyframe). */
  onKeyframeRequired?: () => void;
}

interface Missing {
  seenAtMs: number;
  sentAtMs: number;
  retries: number;
}

/** Per-stream NACK list generator (see file comment). */
export class NackGenerator {
  private readonly maxRetries: number;
  private readonly maxAgeMs: number;
  private readonly maxMissing: number;
  private readonly minInterval: number;
  private readonly reorderDelayMs: number;
  private readonly onKeyframeRequired: (() => void) | undefined;
  private readonly unwrapper = new SeqUnwrapper();
  private readonly missing = new Map<number, Missing>();
  private highest = -1;

  /** Creates an empty generator. */
  constructor(options: NackGeneratorOptions = {}) {
    this.maxRetries = options.maxRetries ?? 10;
    this.maxAgeMs = options.maxAgeMs ?? 1000;
    this.maxMissing = options.maxMissing ?? 500;
    this.minInterval = options.minRetryIntervalMs ?? 20;
    this.reorderDelayMs = options.reorderDelayMs ?? 0;
    this.onKeyframeRequired = options.onKeyframeRequired;
  }

  /** Packets currently considered missing. */
  get missingCount(): number {
    return this.missing.size;
  }

  /** Records a received packet (original or retransmitted). */
  onPacket(seq: number, nowMs: number): void {
    const ext = this.unwrapper.unwrap(seq);
    if (this.highest < 0) {
      this.highest = ext;
      return;
    }
    if (ext <= this.highest) {
      this.missing.delete(ext); // reordered or repaired
      return;
    }
    const gap = ext - this.highest - 1;
    if (gap > this.maxMissing) {
      this.missing.clear();
      this.onKeyframeRequired?.();
    } else {
      for (let s = this.highest + 1; s < ext; s++) this.missing.set(s, { seenAtMs: nowMs, sentAtMs: Number.NEGATIVE_INFINITY, retries: 0 });
      if (this.missing.size > this.maxMissing) {
        for (const s of this.missing.keys()) {
          this.missing.delete(s);
          if (this.missing.size <= this.maxMissing) break;
        }
        this.onKeyframeRequired?.();
      }
    }
    this.highest = ext;
  }

  /**
   * Sequence numbers to request now (call from the stream's timer, e.g. every 10–20 ms). Each is
   * re-requested at most every max(rtt, minRetryInterval) and at most maxRetries times.
   */
  getNackList(nowMs: number, rttMs = 100): number[] {
    const out: number[] = [];
    const interval = Math.max(rttMs, this.minInterval);
    let gaveUp = false;
    for (const [s, m] of this.missing) {
      if (nowMs - m.seenAtMs > this.maxAgeMs || m.retries >= this.maxRetries) {
        this.missing.delete(s);
        gaveUp = true;
        continue;
      }
      if (nowMs - m.seenAtMs < this.reorderDelayMs) continue;
      if (nowMs - m.sentAtMs < interval) continue;
      m.sentAtMs = nowMs;
      m.retries++;
      out.push(s & 0xffff);
    }
    if (gaveUp) this.onKeyframeRequired?.();
    return out;
  }

  /** Forgets everything (stream restart). */
  reset(): void {
    this.missing.clear();
    this.unwrapper.reset();
    this.highest = -1;
  }
}
