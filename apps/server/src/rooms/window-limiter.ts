/**
 * Sliding-window rate limits per bucket for one person (chat messages, questions, reactions):
 * at most `count` events in any `windowMs`. Memory is bounded by the counts.
 */
export class WindowLimiter<B extends string> {
  private readonly hits = new Map<B, number[]>();

  constructor(private readonly limits: Record<B, { count: number; windowMs: number }>) {}

  /** Records an event at `now` (ms) and returns true, or returns false when over the limit. */
  take(bucket: B, now: number): boolean {
    const { count, windowMs } = this.limits[bucket];
    let list = this.hits.get(bucket);
    if (!list) {
      list = [];
      this.hits.set(bucket, list);
    }
    while (list.length && list[0] <= now - windowMs) list.shift();
    if (list.length >= count) return false;
    list.push(now);
    return true;
  }
}
