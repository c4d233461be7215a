import { Readable } from 'node:stream';
import type { BlobSource } from '../inspect/blob-source';

/** A BlobSource over bytes in memory, streamed in `chunk`-sized pieces (so checks meet chunk boundaries). */
export function memorySource(bytes: Buffer, chunk = 7): BlobSource {
  return {
    size: bytes.length,
    async stream() {
      const pieces: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += chunk) pieces.push(bytes.subarray(i, i + chunk));
      return Readable.from(pieces);
    },
    async range(start, end) {
      return Buffer.from(bytes.subarray(start, end + 1));
    },
  };
}
