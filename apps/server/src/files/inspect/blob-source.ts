import type { Readable } from 'node:stream';
import type { BlobStore } from '../../storage/blob-store';

/** A stored object as format checks read it: its size, a stream of it, and bounded byte ranges. */
export interface BlobSource {
  size: number;
  /** The whole object, as a stream. */
  stream(): Promise<Readable>;
  /** Bytes `start..end` inclusive, in memory: callers keep ranges small. */
  range(start: number, end: number): Promise<Buffer>;
}

/** The object `key` of a BlobStore, `size` bytes long, as a BlobSource. */
export function blobSource(blobs: BlobStore, key: string, size: number): BlobSource {
  return {
    size,
    stream: () => blobs.get(key),
    async range(start, end) {
      const parts: Buffer[] = [];
      for await (const c of await blobs.get(key, { start, end })) parts.push(c as Buffer);
      return Buffer.concat(parts);
    },
  };
}
