/**
 * 16-bit RTP sequence-number arithmetic (RFC 3550 §A.1 style): everything that compares sequence
 * numbers goes through here so wrap-around is handled in one place.
 */

/** Signed distance from `b` to `a` in 16-bit sequence space, in [-32768, 32767]. */
export function seqDiff(a: number, b: number): number {
  return (((a - b) & 0xffff) << 16) >> 16;
}

/** True when `a` comes strictly after `b` (wrap-aware). */
export function seqIsNewer(a: number, b: number): boolean {
  return seqDiff(a, b) > 0;
}

/** Adds `delta` (may be negative) to a 16-bit sequence number. */
export function seqAdd(seq: number, delta: number): number {
  return (seq + delta) & 0xffff;
}

/**
 * Turns a stream of 16-bit sequence numbers into monotonic extended numbers (cycles * 65536 + seq,
 * starting at cycle 1), relative to the highest one seen so far. Reordered packets map below the highest, never to a
 * future cycle.
 */
export class SeqUnwrapper {
  private highest = -1;

  /** Extended number of `seq`; updates the highest seen when `seq` is newer. */
  unwrap(seq: number): number {
    if (this.highest < 0) {
      // Start one cycle up so packets reordered before the first one stay non-negative.
      this.highest = (seq & 0xffff) + 0x10000;
      return this.highest;
    }
    const ext = this.highest + seqDiff(seq, this.highest & 0xffff);
    if (ext > this.highest) this.highest = ext;
    return ext;
  }

  /** Extended number of `seq` without recording it (for look-ups). */
  peek(seq: number): number {
    if (this.highest < 0) return (seq & 0xffff) + 0x10000;
    return this.highest + seqDiff(seq, this.highest & 0xffff);
  }

  /** Highest extended number seen, or -1 before the first. */
  get highestSeen(): number {
    return this.highest;
  }

  /** Forgets all history (stream restart). */
  reset(): void {
    this.highest = -1;
  }
}
