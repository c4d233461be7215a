/**
 * A token bucket: `ratePerSecond` tokens flow in continuously up to `burst`; each message takes
 * one. Lets a client send short bursts (a join followed by several media requests) while capping
 * its sustained rate. Time comes from the caller (monotonic milliseconds), so it is testable.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly ratePerSecond: number, private readonly burst: number, now: number) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes one token at time `now`; false when the bucket is empty. */
  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.ratePerSecond) / 1000);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
