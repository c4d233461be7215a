import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { BlobIntegrityError } from './blob-store';

/**
 * Passes an object's bytes through and fails the stream at its end with BlobIntegrityError when
 * they are not `size` long or do not hash to `sha256` (hex). A reader sees the error instead of a
 * clean end, so it must discard what it streamed (an HTTP response is cut, not completed).
 */
export class Sha256Verifier extends Transform {
  private readonly hash = createHash('sha256');
  private seen = 0;

  /** A verifier for the object `key`. */
  constructor(private readonly key: string, private readonly sha256: string, private readonly size: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.seen += chunk.length;
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (this.seen !== this.size) done(new BlobIntegrityError(this.key, `expected ${this.size} bytes, got ${this.seen}`));
    else if (this.hash.digest('hex') !== this.sha256) done(new BlobIntegrityError(this.key, 'SHA-256 mismatch'));
    else done();
  }
}
