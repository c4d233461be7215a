import type { JobId } from '@podium/protocol';
import type { SqlRunner } from '../storage/sql';

/** Options of a new job. */
export interface EnqueueOptions {
  /** When to run (default now). */
  runAt?: Date;
  /** A job with the same key is not added twice (e.g. `reminder:evt_…:60`). */
  dedupeKey?: string;
  /** Attempts before giving up (default 5); retries back off exponentially. */
  maxAttempts?: number;
}

/** Handles one kind of job; throwing schedules a retry. */
export type JobHandler = (payload: Record<string, unknown>, job: { id: JobId; attempt: number }) => Promise<void>;

/** Durable background jobs in the SQL store: they survive restarts and run once each (lease + retry). */
export interface JobQueue {
  /** Adds a job, in the caller's transaction when given. Returns null when the dedupe key exists. */
  enqueue(kind: string, payload: Record<string, unknown>, opts?: EnqueueOptions, tx?: SqlRunner): Promise<JobId | null>;
  /** Removes pending jobs whose dedupe key starts with `prefix` (e.g. an event's reminders when it moves). */
  cancelByKeyPrefix(prefix: string, tx?: SqlRunner): Promise<number>;
  /** Registers the handler of a job kind. */
  handle(kind: string, handler: JobHandler): void;
  /** Starts polling for due jobs. */
  start(): void;
  /** Stops polling and waits for running jobs. */
  stop(): Promise<void>;
  /** Runs every job due now and returns how many ran (tests and the CLI). */
  runDue(): Promise<number>;
}
