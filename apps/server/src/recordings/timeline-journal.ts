/**
 * The timeline of a running recording, also on disk: one JSON line per entry in the recording's
 * spool folder (`timeline.jsonl`), appended about once a second. The recorder keeps the timeline
 * in memory and stores it on stop; the journal is what survives when the server does not get to
 * stop (a crash, a kill), so the recording can be salvaged with its slides, chat and speakers up
 * to the last second or so. It holds what the timeline holds (public chat, names) and goes with
 * the spool folder.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { TimelineEntry } from '@podium/protocol';

/** File name of the journal in a recording's spool folder. */
export const JOURNAL_FILE = 'timeline.jsonl';
const FLUSH_EVERY_MS = 1000;

/** Appends a recording's timeline entries to its journal file (see file comment). */
export class TimelineJournal {
  private pending: string[] = [];
  private writing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  /** The last write's error, if any (the in-memory timeline is unaffected). */
  error: Error | null = null;

  constructor(private readonly path: string) {
    this.writing = mkdir(dirname(path), { recursive: true }).then(() => undefined, (err: Error) => void (this.error = err));
    this.timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  /** Queues an entry (written with the next flush). */
  push(entry: TimelineEntry): void {
    if (!this.closed) this.pending.push(JSON.stringify(entry));
  }

  /** Writes what is queued, after any write in progress. */
  flush(): Promise<void> {
    if (this.pending.length > 0) {
      const lines = `${this.pending.join('\n')}\n`;
      this.pending = [];
      this.writing = this.writing.then(() => appendFile(this.path, lines)).catch((err: Error) => void (this.error = err));
    }
    return this.writing;
  }

  /** Writes what is queued and stops. */
  async close(): Promise<void> {
    if (this.closed) return this.writing;
    clearInterval(this.timer);
    const done = this.flush();
    this.closed = true;
    return done;
  }
}

/**
 * The entries of a journal, in order; a line that is not a whole valid entry (the last one, cut by
 * the crash) ends the read. Null when there is no journal.
 */
export async function readTimelineJournal(path: string): Promise<TimelineEntry[] | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  const entries: TimelineEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      break;
    }
    if (!Value.Check(TimelineEntry, value)) break;
    entries.push(value);
  }
  return entries;
}
