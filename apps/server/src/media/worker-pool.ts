/**
 * The SFU worker threads of this process. They start on first use (a server that never carries
 * media never pays for them). A thread that fails to start (seen under heavy load: loading the
 * SFU's modules outlasted the ready timeout) is retried a few times with a pause; only when none
 * starts is the failure remembered for a while (so every media message does not retry it) and
 * answered MEDIA_UNAVAILABLE, naming the reason, while the rest of the server keeps running.
 */
import { availableParallelism } from 'node:os';
import { SfuWorker } from '@podium/sfu';
import { PodiumError } from '@podium/protocol';
import type { Logger } from 'pino';

/** Options of the pool. */
export interface WorkerPoolOptions {
  /** Threads; 0 = one per core. */
  count: number;
  log: Logger;
  /** How long a failed start is remembered before the next attempt (ms). Default 10 s. */
  retryAfterMs?: number;
  /** Attempts per thread before it counts as failed. Default 3. */
  startAttempts?: number;
  /** Pause before a retry (doubled per attempt), ms. Default 500. */
  startRetryDelayMs?: number;
  /** Called when a running worker exits (crash), after it left the pool. */
  onExit?: (worker: SfuWorker) => void;
  /** Starts one worker (tests may run them in-thread); default SfuWorker.start(). */
  start?: () => Promise<SfuWorker>;
}

/** Lazily started SFU worker threads (see file comment). */
export class WorkerPool {
  private running: SfuWorker[] = [];
  private starting: Promise<SfuWorker[]> | undefined;
  private failedAt = -Infinity;
  private failure = '';
  private closed = false;

  constructor(private readonly opts: WorkerPoolOptions) {}

  /** Workers running now (none before first use). */
  get started(): readonly SfuWorker[] {
    return this.running;
  }

  /** The running workers, starting them on first use; MEDIA_UNAVAILABLE when they cannot start. */
  async workers(): Promise<readonly SfuWorker[]> {
    if (this.closed) throw new PodiumError('MEDIA_UNAVAILABLE');
    if (this.running.length > 0) return this.running;
    if (!this.starting) {
      if (Date.now() - this.failedAt < (this.opts.retryAfterMs ?? 10_000)) throw new PodiumError('MEDIA_UNAVAILABLE', `The media workers failed to start${this.failure ? ` (${this.failure})` : ''}.`);
      this.starting = this.startAll().finally(() => {
        this.starting = undefined;
      });
    }
    return this.starting;
  }

  /** Stops every worker. */
  async close(): Promise<void> {
    this.closed = true;
    const all = this.running;
    this.running = [];
    await this.starting?.catch(() => undefined);
    await Promise.all([...all, ...this.running].map((w) => w.close().catch(() => undefined)));
    this.running = [];
  }

  private async startAll(): Promise<SfuWorker[]> {
    const count = this.opts.count > 0 ? this.opts.count : availableParallelism();
    const start = this.opts.start ?? (() => SfuWorker.start());
    const attempts = Math.max(1, this.opts.startAttempts ?? 3);
    const startOne = async (): Promise<SfuWorker> => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await start();
        } catch (err) {
          if (attempt >= attempts || this.closed) throw err;
          this.opts.log.warn({ attempt, err: { name: (err as Error).name, message: (err as Error).message } }, 'media: an SFU worker failed to start; retrying');
          await new Promise((r) => setTimeout(r, (this.opts.startRetryDelayMs ?? 500) * 2 ** (attempt - 1)));
        }
      }
    };
    const results = await Promise.allSettled(Array.from({ length: count }, () => startOne()));
    const ok = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    if (this.closed) {
      await Promise.all(ok.map((w) => w.close()));
      throw new PodiumError('MEDIA_UNAVAILABLE');
    }
    if (ok.length === 0) {
      this.failedAt = Date.now();
      const reason = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
      const err = reason?.reason as Error | undefined;
      this.failure = err?.message ?? '';
      this.opts.log.error({ attempts, err: { name: err?.name, message: err?.message } }, 'media: SFU workers failed to start');
      throw new PodiumError('MEDIA_UNAVAILABLE', `The media workers failed to start${this.failure ? ` (${this.failure})` : ''}.`);
    }
    if (ok.length < count) this.opts.log.warn({ started: ok.length, wanted: count }, 'media: some SFU workers failed to start');
    for (const w of ok) {
      w.once('exit', (code) => {
        if (!this.running.includes(w)) return;
        this.running = this.running.filter((x) => x !== w);
        this.opts.log.error({ code }, 'media: SFU worker exited');
        this.opts.onExit?.(w);
      });
    }
    this.running = ok;
    this.opts.log.info({ workers: ok.length }, 'media: SFU workers started');
    return ok;
  }
}
