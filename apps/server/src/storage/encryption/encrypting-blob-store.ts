import { createHash } from 'node:crypto';
import { PassThrough, Transform, pipeline, type Readable, type TransformCallback } from 'node:stream';
import {
  BlobIntegrityError, BlobNotFoundError, BlobTooLargeError, assertBlobKey, assertByteRange,
  type BlobInfo, type BlobStore, type ByteRange, type PutOptions, type PutResult,
} from '../blob-store';
import type { MasterKeyring } from './master-keys';
import {
  HEADER_SIZE, SEGMENT_SIZE, TAG_SIZE, newHeader, openHeader, openSegment, plainLayout, sealSegment, storedSize, type ObjectKey,
} from './segment-format';

const SEALED = SEGMENT_SIZE + TAG_SIZE;

/**
 * Encryption at rest around any BlobStore (segment-format.ts has the layout): every object under
 * its own random data key, wrapped by the active master key; content sealed in 64 KiB segments,
 * so a ranged read fetches and opens only the segments it covers, and every byte read is
 * authenticated (a changed, moved or cut-off segment fails with BlobIntegrityError). Sizes, SHA-256
 * and ranges are those of the plaintext; the store below only ever sees ciphertext.
 */
export class EncryptingBlobStore implements BlobStore {
  /** Encrypts into `inner` under the keys of `keys`. */
  constructor(private readonly inner: BlobStore, private readonly keys: MasterKeyring) {}

  async put(key: string, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, opts: PutOptions): Promise<PutResult> {
    assertBlobKey(key);
    const hash = createHash('sha256');
    let size = 0;
    const { header, key: objectKey } = newHeader(this.keys);
    const maxBytes = opts.maxBytes;
    async function* sealed(): AsyncGenerator<Uint8Array> {
      yield header;
      const segment = Buffer.allocUnsafe(SEGMENT_SIZE);
      let fill = 0;
      let index = 0;
      for await (const chunk of source) {
        size += chunk.byteLength;
        if (size > maxBytes) throw new BlobTooLargeError(maxBytes);
        hash.update(chunk);
        for (let off = 0; off < chunk.byteLength; ) {
          if (fill === SEGMENT_SIZE) {
            // More bytes follow, so this full segment is not the last.
            yield sealSegment(objectKey, index++, false, segment);
            fill = 0;
          }
          const n = Math.min(SEGMENT_SIZE - fill, chunk.byteLength - off);
          segment.set(chunk.subarray(off, off + n), fill);
          fill += n;
          off += n;
        }
      }
      yield sealSegment(objectKey, index, true, segment.subarray(0, fill));
    }
    await this.inner.put(key, sealed(), { maxBytes: storedSize(maxBytes) });
    return { size, sha256: hash.digest('hex') };
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    assertBlobKey(key);
    if (range) assertByteRange(range);
    const info = await this.inner.stat(key);
    if (!info) throw new BlobNotFoundError(key);
    const layout = plainLayout(info.size);
    if (!layout) throw new BlobIntegrityError(key, 'the stored size fits no encrypted object (truncated)');
    const objectKey = openHeader(await readAll(await this.inner.get(key, { start: 0, end: HEADER_SIZE - 1 })), this.keys, key);
    const start = range?.start ?? 0;
    const end = Math.min(range?.end ?? layout.plainSize - 1, layout.plainSize - 1);
    const first = Math.floor(start / SEGMENT_SIZE);
    if (start > end) {
      // Nothing to return, but an empty object's one segment still proves the object is intact.
      if (layout.plainSize === 0 && !range) {
        const sealed = await this.inner.get(key, { start: HEADER_SIZE, end: info.size - 1 });
        await readAll(pipeline(sealed, new SegmentOpener(key, objectKey, 0, 0, 0, 0), () => undefined) as Readable);
      }
      const empty = new PassThrough();
      empty.end();
      return empty;
    }
    const last = Math.floor(end / SEGMENT_SIZE);
    const sealedRange = { start: HEADER_SIZE + first * SEALED, end: Math.min(HEADER_SIZE + (last + 1) * SEALED, info.size) - 1 };
    const opener = new SegmentOpener(key, objectKey, first, layout.segments - 1, start - first * SEGMENT_SIZE, end - start + 1);
    return pipeline(await this.inner.get(key, sealedRange), opener, () => undefined) as Readable;
  }

  async stat(key: string): Promise<BlobInfo | null> {
    const info = await this.inner.stat(key);
    return info && { ...info, size: plainLayout(info.size)?.plainSize ?? 0 };
  }

  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }

  async *list(prefix: string): AsyncIterable<BlobInfo> {
    for await (const info of this.inner.list(prefix)) yield { ...info, size: plainLayout(info.size)?.plainSize ?? 0 };
  }

  sweepIncomplete(olderThanMs: number): Promise<number> {
    return this.inner.sweepIncomplete(olderThanMs);
  }
}

/** Opens sealed segments from `first` on, passing on `length` plaintext bytes after skipping `skip`. */
class SegmentOpener extends Transform {
  private readonly queue: Buffer[] = [];
  private queued = 0;
  private index: number;

  constructor(
    private readonly blobKey: string, private readonly objectKey: ObjectKey, first: number,
    private readonly finalIndex: number, private skip: number, private left: number,
  ) {
    super();
    this.index = first;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.queue.push(chunk);
    this.queued += chunk.length;
    try {
      // A whole sealed segment with bytes after it is not the object's last one.
      while (this.queued > SEALED) this.openNext(this.takeBytes(SEALED), false);
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      if (this.queued > 0 || this.index <= this.finalIndex) this.openNext(this.takeBytes(this.queued), this.index === this.finalIndex);
      if (this.left > 0) throw new BlobIntegrityError(this.blobKey, 'the object is truncated');
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  private openNext(sealed: Buffer, final: boolean): void {
    if (this.index > this.finalIndex) throw new BlobIntegrityError(this.blobKey, 'the object is longer than its segments');
    let plain = openSegment(this.objectKey, this.index++, final, sealed, this.blobKey);
    if (this.skip > 0) {
      plain = plain.subarray(Math.min(this.skip, plain.length));
      this.skip = 0;
    }
    if (this.left <= 0 || plain.length === 0) return;
    if (plain.length > this.left) plain = plain.subarray(0, this.left);
    this.left -= plain.length;
    this.push(plain);
  }

  private takeBytes(n: number): Buffer {
    const all = this.queue.length === 1 ? this.queue[0] : Buffer.concat(this.queue, this.queued);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.queue.length = 0;
    this.queued = rest.length;
    if (rest.length) this.queue.push(rest);
    return out;
  }
}

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}
