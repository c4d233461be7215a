import { PodiumError } from '@podium/protocol';
import type { BlobSource } from '../inspect/blob-source';
import { MAX_IMAGE_PIXELS } from '../inspect/image-limits';
import { fileInvalid, truncated } from '../inspect/invalid';
import { PdfThread } from './pdf-thread';

/** Longest page side accepted: 14,400 points (200 inches), the PDF specification's own limit. */
export const MAX_PAGE_POINTS = 14_400;
/** Bytes at the end of a PDF searched for `%%EOF`. */
const TAIL_BYTES = 1024;
/** An idle thread is stopped after this long, giving its memory back. */
const IDLE_MS = 60_000;

/** Limits and resources of the PDF checker. */
export interface PdfCheckerOptions {
  maxPages: number;
  /** Time budget of one check (ms). */
  timeoutMs: number;
  /** Checks running at once (each in its own thread); more wait in line. */
  maxConcurrent?: number;
  /** Checks waiting for a turn; beyond it SERVER_BUSY. */
  maxQueued?: number;
  /** Growth of the process's resident memory during one check that stops it (bytes, default 1 GiB). */
  memoryLimitBytes?: number;
}

/** What a valid PDF is like. */
export interface PdfInfo {
  pageCount: number;
}

/** The header and the `%%EOF` marker: a PDF cut short has no end marker. */
async function checkEnvelope(src: BlobSource): Promise<void> {
  const head = await src.range(0, Math.min(src.size, 16) - 1);
  if (!/^%PDF-[12]\.\d/.test(head.toString('latin1'))) throw fileInvalid('broken', 'The PDF is damaged: its header is wrong.');
  const tail = await src.range(Math.max(0, src.size - TAIL_BYTES), src.size - 1);
  if (!tail.toString('latin1').includes('%%EOF')) throw truncated('PDF');
}

/**
 * Checks PDFs with pdf.js in worker threads, so a hostile PDF cannot stall the server: each check
 * has a time budget and a memory bound, and its thread is terminated when it exceeds either; the
 * thread reads the file through bounded byte ranges. Threads are kept warm between checks (loading
 * pdf.js costs about half a second) and stopped when idle. Checks beyond `maxConcurrent` queue;
 * beyond `maxQueued` they are refused with SERVER_BUSY.
 */
export class PdfChecker {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly idle: { thread: PdfThread; timer: NodeJS.Timeout }[] = [];
  private readonly busy = new Set<PdfThread>();
  private closed = false;

  constructor(private readonly opts: PdfCheckerOptions) {}

  /** Checks the PDF in `src`; FILE_INVALID with a reason when it is not acceptable. */
  async check(src: BlobSource): Promise<PdfInfo> {
    await checkEnvelope(src);
    await this.turn();
    const thread = this.takeThread();
    try {
      const outcome = await thread.check(
        src,
        { maxPages: this.opts.maxPages, maxPagePoints: MAX_PAGE_POINTS, maxImagePixels: MAX_IMAGE_PIXELS },
        { timeoutMs: this.opts.timeoutMs, memoryLimitBytes: this.opts.memoryLimitBytes ?? 1024 ** 3 },
      );
      if (outcome === 'timeout') throw fileInvalid('too-complex', `The PDF takes too long to open (more than ${Math.round(this.opts.timeoutMs / 1000)} s).`);
      if (outcome === 'memory') throw fileInvalid('too-complex', 'The PDF needs too much memory to open.');
      if (outcome === 'crashed') throw fileInvalid('too-complex', 'The PDF could not be checked.');
      if (outcome === 'boot-timeout') throw new PodiumError('SERVER_BUSY', 'The server is too busy to check the PDF; try again in a minute.');
      if (!outcome.ok) throw fileInvalid(outcome.reason, outcome.message);
      return { pageCount: outcome.pageCount };
    } finally {
      this.giveBack(thread);
      this.running--;
      this.waiting.shift()?.();
    }
  }

  /** Stops every thread (server shutdown); later checks get SERVER_BUSY. */
  async close(): Promise<void> {
    this.closed = true;
    const threads = [...this.busy, ...this.idle.splice(0).map((i) => (clearTimeout(i.timer), i.thread))];
    await Promise.all(threads.map((t) => t.terminate()));
  }

  private async turn(): Promise<void> {
    if (this.closed) throw new PodiumError('SERVER_BUSY');
    if (this.running < (this.opts.maxConcurrent ?? 1)) {
      this.running++;
      return;
    }
    if (this.waiting.length >= (this.opts.maxQueued ?? 8)) throw new PodiumError('SERVER_BUSY', 'Too many PDFs are being checked right now; try again in a minute.');
    await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
  }

  private takeThread(): PdfThread {
    let thread: PdfThread | undefined;
    while (!thread && this.idle.length) {
      const i = this.idle.pop()!;
      clearTimeout(i.timer);
      if (!i.thread.dead) thread = i.thread;
    }
    thread ??= new PdfThread();
    this.busy.add(thread);
    return thread;
  }

  private giveBack(thread: PdfThread): void {
    this.busy.delete(thread);
    if (thread.dead) return;
    if (this.closed) {
      void thread.terminate();
      return;
    }
    const timer = setTimeout(() => {
      const at = this.idle.findIndex((i) => i.thread === thread);
      if (at >= 0) this.idle.splice(at, 1);
      void thread.terminate();
    }, IDLE_MS);
    timer.unref();
    this.idle.push({ thread, timer });
  }
}
