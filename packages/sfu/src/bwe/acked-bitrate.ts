/**
 * Throughput the receiver actually got (bytes of acknowledged packets over a sliding window of
 * arrival time). GCC decreases to a fraction of it on overuse and never increases far beyond it.
 */

/** Sliding-window receive-rate estimator with a fixed ring (no allocation per sample). */
export class AckedBitrate {
  private readonly times: Float64Array;
  private readonly sizes: Float64Array;
  private head = 0;
  private tail = 0;
  private count = 0;
  private bytes = 0;
  private latest = Number.NEGATIVE_INFINITY;

  /** `windowMs` of arrival time are averaged; `capacity` bounds the samples kept. */
  constructor(
    private readonly windowMs = 500,
    capacity = 4096,
  ) {
    this.times = new Float64Array(capacity);
    this.sizes = new Float64Array(capacity);
  }

  /** Adds an acknowledged packet of `size` bytes that arrived at `arrivalMs` (receiver clock). */
  add(arrivalMs: number, size: number): void {
    if (arrivalMs > this.latest) this.latest = arrivalMs;
    if (this.count === this.times.length) this.dropOldest();
    this.times[this.head] = arrivalMs;
    this.sizes[this.head] = size;
    this.head = (this.head + 1) % this.times.length;
    this.count++;
    this.bytes += size;
    while (this.count > 0 && this.times[this.tail] < this.latest - this.windowMs) this.dropOldest();
  }

  /** Bits per second over the window, or 0 until at least 100 ms of arrivals are known. */
  get bitrate(): number {
    if (this.count < 2) return 0;
    const span = Math.max(this.latest - this.times[this.tail], 0);
    if (span < 100) return 0;
    // n packets span n-1 intervals: leave the oldest out so a steady stream measures exactly.
    return ((this.bytes - this.sizes[this.tail]) * 8 * 1000) / span;
  }

  private dropOldest(): void {
    this.bytes -= this.sizes[this.tail];
    this.tail = (this.tail + 1) % this.times.length;
    this.count--;
  }
}
