/**
 * A RecordingWriter on a local file (the worker writes tracks to the recording spool; the control
 * plane moves finished files to the BlobStore). Writes are asynchronous: the SFU thread never waits on disk.
 */
import { mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RecordingWriter } from './recording-sink';

/** Opens (creates or truncates) `path` for a recording; its folder is made when missing. */
export async function openFileWriter(path: string): Promise<RecordingWriter> {
  await mkdir(dirname(path), { recursive: true });
  const fh = await open(path, 'w');
  let position = 0;
  let closed = false;
  return {
    async write(bytes) {
      let done = 0;
      while (done < bytes.length) {
        const { bytesWritten } = await fh.write(bytes, done, bytes.length - done, position);
        done += bytesWritten;
        position += bytesWritten;
      }
    },
    async writeAt(bytes, at) {
      let done = 0;
      while (done < bytes.length) {
        const { bytesWritten } = await fh.write(bytes, done, bytes.length - done, at + done);
        done += bytesWritten;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await fh.close();
    },
  };
}

/** A writer that collects the bytes in memory (tests and benchmarks). */
export class MemoryWriter implements RecordingWriter {
  private chunks: Buffer[] = [];
  private length = 0;
  /** While true, writes do not complete (a stalled disk). */
  stalled = false;
  private waiters: (() => void)[] = [];

  /** See RecordingWriter. */
  async write(bytes: Buffer): Promise<void> {
    if (this.stalled) await new Promise<void>((r) => this.waiters.push(r));
    this.chunks.push(Buffer.from(bytes));
    this.length += bytes.length;
  }

  /** See RecordingWriter. */
  async writeAt(bytes: Buffer, position: number): Promise<void> {
    const all = this.bytes();
    bytes.copy(all, position);
    this.chunks = [all];
  }

  /** See RecordingWriter. */
  async close(): Promise<void> {}

  /** Lets stalled writes complete. */
  release(): void {
    this.stalled = false;
    for (const w of this.waiters.splice(0)) w();
  }

  /** Everything written. */
  bytes(): Buffer {
    const all = Buffer.concat(this.chunks);
    this.chunks = [all];
    return all;
  }

  /** Bytes written. */
  get size(): number {
    return this.length;
  }
}
