import { newId, type JobId } from '@podium/protocol';
import type { Logger } from 'pino';
import type { Sql, SqlRunner } from '../storage/sql';
import type { EnqueueOptions, JobHandler, JobQueue } from './queue';

/** Options of the SQL job queue. */
export interface SqlJobQueueOptions {
  sql: Sql;
  log: Logger;
  now: () => Date;
  /** How often to look for due jobs (ms). */
  pollMs?: number;
  /** How long a claimed job is leased before another runner may retry it (ms). */
  leaseMs?: number;
  /** Jobs claimed per poll. */
  batch?: number;
}

interface JobRow {
  id: JobId;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
}

/** Delay before retry `attempt` (1-based): 10 s, 40 s, 160 s, … capped at one hour. */
export function retryDelayMs(attempt: number): number {
  return Math.min(3_600_000, 10_000 * 4 ** (attempt - 1));
}

/** Durable job queue in the `jobs` table; several processes may run it (claims use SKIP LOCKED and a lease). */
export class SqlJobQueue implements JobQueue {
  private readonly handlers = new Map<string, JobHandler>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private stopped = true;
  private readonly pollMs: number;
  private readonly leaseMs: number;
  private readonly batch: number;

  constructor(private readonly opts: SqlJobQueueOptions) {
    this.pollMs = opts.pollMs ?? 1000;
    this.leaseMs = opts.leaseMs ?? 5 * 60_000;
    this.batch = opts.batch ?? 20;
  }

  async enqueue(kind: string, payload: Record<string, unknown>, o: EnqueueOptions = {}, tx?: SqlRunner): Promise<JobId | null> {
    const rows = await (tx ?? this.opts.sql).query<{ id: JobId }>(
      `insert into jobs (id, kind, payload, dedupe_key, run_at, max_attempts)
       values ($1, $2, $3, $4, $5, $6) on conflict (dedupe_key) do nothing returning id`,
      [newId('job'), kind, JSON.stringify(payload), o.dedupeKey ?? null, o.runAt ?? this.opts.now(), o.maxAttempts ?? 5],
    );
    return rows[0]?.id ?? null;
  }

  async cancelByKeyPrefix(prefix: string, tx?: SqlRunner): Promise<number> {
    const escaped = prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
    const rows = await (tx ?? this.opts.sql).query(
      `delete from jobs where done_at is null and dedupe_key like $1 returning id`,
      [`${escaped}%`],
    );
    return rows.length;
  }

  handle(kind: string, handler: JobHandler): void {
    if (this.handlers.has(kind)) throw new Error(`job kind ${kind} already has a handler`);
    this.handlers.set(kind, handler);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.running) await this.running.catch(() => 0);
  }

  /** Runs every due job (in batches) and returns how many ran. */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const ran = await this.runBatch();
      total += ran;
      if (ran < this.batch) return total;
    }
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runDue().catch((err) => {
        this.opts.log.error({ err }, 'job poll failed');
        return 0;
      });
      void this.running.finally(() => {
        this.running = null;
        this.schedule(this.pollMs);
      });
    }, delay);
  }

  private async runBatch(): Promise<number> {
    const now = this.opts.now();
    const jobs = await this.opts.sql.query<JobRow>(
      `update jobs set locked_until = $2, attempts = attempts + 1
        where id in (select id from jobs
                      where done_at is null and run_at <= $1 and attempts < max_attempts
                        and (locked_until is null or locked_until < $1)
                      order by run_at limit $3 for update skip locked)
        returning id, kind, payload, attempts, max_attempts`,
      [now, new Date(now.getTime() + this.leaseMs), this.batch],
    );
    for (const job of jobs) await this.runOne(job);
    return jobs.length;
  }

  private async runOne(job: JobRow): Promise<void> {
    const handler = this.handlers.get(job.kind);
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler(job.payload, { id: job.id, attempt: job.attempts });
      await this.opts.sql.query('update jobs set done_at = $2, locked_until = null, last_error = null where id = $1', [job.id, this.opts.now()]);
    } catch (err) {
      const message = (err as Error).message?.slice(0, 500) ?? String(err);
      const retryAt = new Date(this.opts.now().getTime() + retryDelayMs(job.attempts));
      await this.opts.sql.query('update jobs set last_error = $2, run_at = $3, locked_until = null where id = $1', [job.id, message, retryAt]);
      this.opts.log.warn({ jobId: job.id, kind: job.kind, attempt: job.attempts, maxAttempts: job.max_attempts, error: message }, 'job failed');
    }
  }
}
