/**
 * The timers of one router, counted in one place: every periodic job of the router and its
 * transports is registered here, so tests and health checks can see that closing an object really
 * stopped its timers.
 */

/** A set of intervals that can be counted and cleared together. */
export class TimerSet {
  private readonly handles = new Set<NodeJS.Timeout>();

  /** Starts an interval; returns its stop function (idempotent). */
  every(intervalMs: number, fn: () => void): () => void {
    const handle = setInterval(fn, intervalMs);
    handle.unref?.();
    this.handles.add(handle);
    return () => {
      if (!this.handles.delete(handle)) return;
      clearInterval(handle);
    };
  }

  /** Number of running intervals. */
  get size(): number {
    return this.handles.size;
  }

  /** Stops every interval. */
  clear(): void {
    for (const h of this.handles) clearInterval(h);
    this.handles.clear();
  }
}
