import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  BlobNotFoundError, BlobTooLargeError, assertBlobKey, assertBlobPrefix, assertByteRange,
  type BlobInfo, type BlobStore, type ByteRange, type PutOptions, type PutResult,
} from './blob-store';

/** Temporary files of puts that never finished (a crash) are removed once they are this old. */
const STALE_TEMP_MS = 3_600_000;
const READ_CHUNK = 64 * 1024;

function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Objects as files under `<root>/objects/<key>`. A put writes `<root>/tmp/<uuid>.part`, fsyncs
 * it, renames it over the final name and fsyncs the directory: a reader sees the old object or
 * the complete new one, never a partial file, and a crash leaves at most a stale temporary file,
 * which the first put (or `open()`) sweeps. Both folders live on one file system, so the rename is
 * atomic. The folders are created on the first put: a server that never stores a file never
 * touches the disk.
 */
export class LocalBlobStore implements BlobStore {
  private readonly objects: string;
  private readonly tmp: string;
  private prepared: Promise<void> | undefined;

  /** A store under `root` (nothing is created until it is written to). */
  constructor(readonly root: string) {
    this.objects = join(root, 'objects');
    this.tmp = join(root, 'tmp');
  }

  /** A store under `root`, created now, with temporary files left by a crash removed. */
  static async open(root: string): Promise<LocalBlobStore> {
    const store = new LocalBlobStore(root);
    await store.prepare();
    return store;
  }

  /** Creates the folders and sweeps stale temporary files, once. */
  private prepare(): Promise<void> {
    this.prepared ??= (async () => {
      await mkdir(this.objects, { recursive: true, mode: 0o700 });
      await mkdir(this.tmp, { recursive: true, mode: 0o700 });
      await this.sweepTemp(STALE_TEMP_MS);
    })().catch((err: unknown) => {
      this.prepared = undefined;
      throw err;
    });
    return this.prepared;
  }

  /** Removes temporary files older than `olderThanMs`; returns how many. */
  async sweepTemp(olderThanMs: number): Promise<number> {
    let removed = 0;
    const cutoff = Date.now() - olderThanMs;
    const names = await readdir(this.tmp).catch((err: unknown) => {
      if (isNotFound(err)) return [];
      throw err;
    });
    for (const name of names) {
      const path = join(this.tmp, name);
      const s = await stat(path).catch(() => null);
      if (s && s.mtimeMs <= cutoff) {
        await rm(path, { force: true });
        removed++;
      }
    }
    return removed;
  }

  /** Names of the temporary files of puts in progress (tests check that none is left behind). */
  async tempFiles(): Promise<string[]> {
    return readdir(this.tmp).catch((err: unknown) => {
      if (isNotFound(err)) return [];
      throw err;
    });
  }

  async put(key: string, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, opts: PutOptions): Promise<PutResult> {
    assertBlobKey(key);
    await this.prepare();
    const final = this.pathOf(key);
    const temp = join(this.tmp, `${randomUUID()}.part`);
    const file = await open(temp, 'wx', 0o600);
    const hash = createHash('sha256');
    let size = 0;
    try {
      for await (const chunk of source) {
        size += chunk.byteLength;
        if (size > opts.maxBytes) throw new BlobTooLargeError(opts.maxBytes);
        hash.update(chunk);
        let offset = 0;
        while (offset < chunk.byteLength) {
          const { bytesWritten } = await file.write(chunk, offset, chunk.byteLength - offset);
          offset += bytesWritten;
        }
      }
      await file.sync();
      await file.close();
      await mkdir(dirname(final), { recursive: true, mode: 0o700 });
      await rename(temp, final);
      await syncDirectory(dirname(final));
    } catch (err) {
      await file.close().catch(() => undefined);
      await rm(temp, { force: true });
      throw err;
    }
    return { size, sha256: hash.digest('hex') };
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    assertBlobKey(key);
    if (range) assertByteRange(range);
    let file;
    try {
      file = await open(this.pathOf(key), 'r');
    } catch (err) {
      if (isNotFound(err)) throw new BlobNotFoundError(key);
      throw err;
    }
    // The open handle keeps the bytes readable even if the object is deleted meanwhile.
    return file.createReadStream({ start: range?.start, end: range?.end, highWaterMark: READ_CHUNK, autoClose: true });
  }

  async stat(key: string): Promise<BlobInfo | null> {
    assertBlobKey(key);
    try {
      const s = await stat(this.pathOf(key));
      return s.isFile() ? { key, size: s.size, modifiedAt: s.mtime } : null;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    await rm(this.pathOf(key), { force: true });
  }

  async *list(prefix: string): AsyncIterable<BlobInfo> {
    assertBlobPrefix(prefix);
    // Iterative walk: key depth is bounded by the key rules, but a stack costs nothing.
    const stack = [prefix.replace(/\/$/, '')];
    while (stack.length) {
      const dir = stack.pop()!;
      let entries;
      try {
        entries = await readdir(dir ? join(this.objects, dir) : this.objects, { withFileTypes: true });
      } catch (err) {
        if (isNotFound(err)) continue;
        throw err;
      }
      for (const e of entries) {
        const key = dir ? `${dir}/${e.name}` : e.name;
        if (e.isDirectory()) stack.push(key);
        else if (e.isFile()) {
          const info = await this.stat(key);
          if (info) yield info;
        }
      }
    }
  }

  private pathOf(key: string): string {
    return join(this.objects, ...key.split('/'));
  }
}

/** Makes a rename inside `dir` durable. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
