import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BlobSource } from '../inspect/blob-source';
import type { PdfLimits, PdfMainMessage, PdfVerdict, PdfWorkerMessage } from './pdf-protocol';

/** How a check ended when the thread did not give a verdict. */
export type PdfThreadFailure = 'timeout' | 'memory' | 'crashed' | 'boot-timeout';

/** Limits the main thread enforces on one check. */
export interface PdfJobBudget {
  timeoutMs: number;
  /** Growth of the process's resident memory during the check that stops it (bytes). */
  memoryLimitBytes: number;
}

const BOOT_TIMEOUT_MS = 30_000;
const MEMORY_POLL_MS = 100;

let bootstrap: string | undefined;
/** The thread's code: tsx loads the TypeScript entry (Node 20 starts a worker before --import hooks are ready). */
function bootstrapSource(): string {
  if (bootstrap) return bootstrap;
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import?: { default?: string } }> };
  const tsx = pathToFileURL(join(dirname(pkgPath), pkg.exports['./esm/api']?.import?.default ?? './dist/esm/api/index.mjs')).href;
  const entry = new URL('./pdf-worker.ts', import.meta.url).href;
  bootstrap = `import(${JSON.stringify(tsx)}).then((api) => api.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
  return bootstrap;
}

/**
 * One worker thread running pdf-worker.ts, reused for check after check while it behaves. A check
 * that runs out of time or memory terminates the thread (it is then `dead`, and a new one is
 * started for the next check): termination stops even a synchronous loop inside pdf.js.
 */
export class PdfThread {
  private readonly worker: Worker;
  private readonly ready: Promise<boolean>;
  private nextJob = 1;
  private onMessage: ((m: PdfWorkerMessage) => void) | null = null;
  private onGone: (() => void) | null = null;
  /** True once the thread exited or was terminated. */
  dead = false;

  constructor() {
    this.worker = new Worker(bootstrapSource(), {
      eval: true, stdout: true, stderr: true,
      resourceLimits: { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 64, stackSizeMb: 4 },
    });
    this.worker.stdout.resume();
    this.worker.stderr.resume();
    this.worker.unref();
    this.ready = new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), BOOT_TIMEOUT_MS);
      this.onMessage = (m) => {
        if (m.type !== 'ready') return;
        clearTimeout(timer);
        resolve(true);
      };
      this.onGone = () => {
        clearTimeout(timer);
        resolve(false);
      };
    });
    this.worker.on('message', (m: PdfWorkerMessage) => this.onMessage?.(m));
    this.worker.on('error', () => undefined);
    this.worker.on('exit', () => {
      this.dead = true;
      this.onGone?.();
    });
  }

  /** Checks the PDF in `src`: a verdict, or why the thread failed to give one (it is then terminated). */
  async check(src: BlobSource, limits: PdfLimits, budget: PdfJobBudget): Promise<PdfVerdict | PdfThreadFailure> {
    if (!(await this.ready) || this.dead) {
      await this.terminate();
      return this.dead ? 'crashed' : 'boot-timeout';
    }
    const job = this.nextJob++;
    const rssAtStart = process.memoryUsage.rss();
    return new Promise((resolve) => {
      let settled = false;
      const settle = (outcome: PdfVerdict | PdfThreadFailure) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearInterval(watchdog);
        this.onMessage = null;
        this.onGone = null;
        if (typeof outcome === 'string') void this.terminate();
        resolve(outcome);
      };
      const timer = setTimeout(() => settle('timeout'), budget.timeoutMs);
      const watchdog = setInterval(() => {
        if (process.memoryUsage.rss() - rssAtStart > budget.memoryLimitBytes) settle('memory');
      }, MEMORY_POLL_MS);
      const send = (m: PdfMainMessage, transfer?: ArrayBuffer[]) => {
        if (!settled) this.worker.postMessage(m, transfer);
      };
      this.onGone = () => settle('crashed');
      this.onMessage = (m) => {
        if (m.type === 'result' && m.job === job) settle(m.verdict);
        if (m.type !== 'range' || m.job !== job) return;
        const end = Math.min(m.end, src.size) - 1;
        if (!(m.begin >= 0 && m.begin <= end)) return send({ type: 'range-failed', job });
        src.range(m.begin, end).then((buf) => {
          // A buffer of its own: transferring a pooled Buffer's memory would detach the pool.
          const bytes = new Uint8Array(buf.length);
          bytes.set(buf);
          send({ type: 'range', job, begin: m.begin, bytes }, [bytes.buffer]);
        }, () => send({ type: 'range-failed', job }));
      };
      send({ type: 'check', job, size: src.size, limits });
    });
  }

  /** Stops the thread. */
  async terminate(): Promise<void> {
    this.dead = true;
    await this.worker.terminate();
  }
}
