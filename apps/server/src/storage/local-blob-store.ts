import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import {
  BlobIntegrityError, BlobNotFoundError, BlobTooLargeError, assertBlobKey, assertBlobPrefix, assertByteRange,
  type BlobInfo, type BlobStore, type ByteRange, type PutOptions, type PutResult,
} from './blob-store';
import { Sha256Verifier } from './sha256-verifier';

/** Temporary files of puts that never finished (a crash) are removed once they are this old. */
const STALE_TEMP_MS = 3_600_000;
const READ_CHUNK = 64 * 1024;
/** Every object file ends with this marker and the SHA-256 of the bytes before it. */
const TRAILER_MAGIC = Buffer.from('PODIUM-SHA256\n\0\0', 'latin1');
const TRAILER_SIZE = TRAILER_MAGIC.length + 32;

function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * Objects as files under `<root>/objects/<key>`, each followed by a trailer holding the SHA-256
 * of its bytes, which a whole-object get verifies (ranged gets are not verified: the encryption
 * wrapper authenticates every segment it reads). A put writes `<root>/tmp/<uuid>.part`, fsyncs
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
      // 0 means every temporary file: file times and Date.now() come from clocks that may differ by a few ms.
      if (s && (olderThanMs <= 0 || Math.floor(s.mtimeMs) <= cutoff)) {
        await rm(path, { force: true });
        removed++;
      }
    }
    return removed;
  }

  /** The BlobStore sweep: stale temporary files of puts a crash cut off. */
  sweepIncomplete(olderThanMs: number): Promise<number> {
    return this.sweepTemp(olderThanMs);
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
    let sha256: Buffer;
    try {
      for await (const chunk of source) {
        size += chunk.byteLength;
        if (size > opts.maxBytes) throw new BlobTooLargeError(opts.maxBytes);
        hash.update(chunk);
        await writeAll(file, chunk);
      }
      sha256 = hash.digest();
      await writeAll(file, Buffer.concat([TRAILER_MAGIC, sha256]));
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
    return { size, sha256: sha256.toString('hex') };
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    assertBlobKey(key);
    if (range) assertByteRange(range);
    let file: FileHandle;
    try {
      file = await open(this.pathOf(key), 'r');
    } catch (err) {
      if (isNotFound(err)) throw new BlobNotFoundError(key);
      throw err;
    }
    try {
      // The open handle keeps the bytes readable even if the object is deleted or replaced meanwhile.
      const { size, sha256 } = await readTrailer(file, key);
      const end = Math.min(range?.end ?? size - 1, size - 1);
      const start = range?.start ?? 0;
      if (start > end) {
        await file.close();
        const empty = new PassThrough();
        empty.end();
        return empty;
      }
      const bytes = file.createReadStream({ start, end, highWaterMark: READ_CHUNK, autoClose: true });
      if (range) return bytes;
      return pipeline(bytes, new Sha256Verifier(key, sha256, size), () => undefined);
    } catch (err) {
      await file.close().catch(() => undefined);
      throw err;
    }
  }

  async stat(key: string): Promise<BlobInfo | null> {
    assertBlobKey(key);
    try {
      const s = await stat(this.pathOf(key));
      return s.isFile() ? { key, size: Math.max(0, s.size - TRAILER_SIZE), modifiedAt: s.mtime } : null;
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

/** Writes the whole of `bytes` at the file's position. */
async function writeAll(file: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await file.write(bytes, offset, bytes.byteLength - offset);
    offset += bytesWritten;
  }
}

/** The size and SHA-256 (hex) an object file's trailer records; BlobIntegrityError when it has none. */
async function readTrailer(file: FileHandle, key: string): Promise<{ size: number; sha256: string }> {
  const total = (await file.stat()).size;
  if (total < TRAILER_SIZE) throw new BlobIntegrityError(key, 'the object is truncated');
  const trailer = Buffer.alloc(TRAILER_SIZE);
  const { bytesRead } = await file.read(trailer, 0, TRAILER_SIZE, total - TRAILER_SIZE);
  if (bytesRead !== TRAILER_SIZE || !trailer.subarray(0, TRAILER_MAGIC.length).equals(TRAILER_MAGIC)) {
    throw new BlobIntegrityError(key, 'the object has no checksum trailer');
  }
  return { size: total - TRAILER_SIZE, sha256: trailer.subarray(TRAILER_MAGIC.length).toString('hex') };
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
