/**
 * Measures the memory a streaming operation keeps alive: ArrayBuffers (Buffers live there) plus the
 * JS heap, sampled right after a full garbage collection. RSS is not used: it counts pages the
 * allocator has not returned yet and garbage the collector has not reached, so it grows under load
 * whatever the code holds.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
/** The engine's collector, reachable without starting Node with --expose-gc. */
const collect = runInNewContext('gc') as () => void;

/**
 * Live bytes (ArrayBuffers + heap) after a full collection. The engine frees the memory of dead
 * ArrayBuffers on a background thread after the collection, so it collects, lets that finish (one
 * turn of the event loop), and collects again before reading.
 */
async function liveBytes(): Promise<number> {
  collect();
  await new Promise((resolve) => setImmediate(resolve));
  collect();
  const m = process.memoryUsage();
  return m.arrayBuffers + m.heapUsed;
}

/** Samples live memory during an operation; `growth` is the highest sample above the baseline. */
export class MemoryProbe {
  private constructor(private readonly baseline: number, private peak = baseline) {}

  /** A probe whose baseline is the live memory now. */
  static async start(): Promise<MemoryProbe> {
    return new MemoryProbe(await liveBytes());
  }

  /** Takes a sample (two full collections: call it every few MB, not per chunk). */
  async sample(): Promise<void> {
    this.peak = Math.max(this.peak, await liveBytes());
  }

  /** Highest live memory seen above the baseline, bytes. */
  get growth(): number {
    return this.peak - this.baseline;
  }
}
