/**
 * The BlobStore seam (DESIGN.md §1): where uploaded files, recordings and exports keep their bytes.
 * Local disk in the embedded default (LocalBlobStore); S3-compatible object storage in the cluster.
 * Every implementation streams (no whole object in memory), writes atomically (an object is
 * either absent or complete, also after a crash), and serves byte ranges. Wrappers that add
 * encryption at rest or a jurisdiction check implement the same interface around another store.
 *
 * Keys are made by the server, never taken from user input: `/`-separated segments of
 * `[A-Za-z0-9._-]` (no empty, `.` or `..` segment), e.g. `orgs/org_…/files/fil_…`. Stores refuse
 * any other key anyway, so a bug upstream cannot turn into a path traversal.
 */
import type { Readable } from 'node:stream';

/** Limits of one put. */
export interface PutOptions {
  /** Largest object accepted; the put fails with BlobTooLargeError as soon as the source passes it. */
  maxBytes: number;
}

/** What a put learned while streaming the bytes. */
export interface PutResult {
  size: number;
  /** SHA-256 of the bytes, hex. */
  sha256: string;
}

/** An inclusive byte range, as in HTTP `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

/** What a store knows about one object. */
export interface BlobInfo {
  key: string;
  size: number;
  modifiedAt: Date;
}

/** Streaming, atomic object storage under server-made keys. */
export interface BlobStore {
  /**
   * Streams `source` into the object `key`, computing size and SHA-256 on the way. The object
   * becomes visible only once complete; a failed, aborted or oversized put leaves nothing behind.
   * Replaces an existing object of the same key.
   */
  put(key: string, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, opts: PutOptions): Promise<PutResult>;
  /** A stream of the object's bytes (or of `range`); BlobNotFoundError when there is no such object. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** The object's size and time, or null when there is none. */
  stat(key: string): Promise<BlobInfo | null>;
  /** Deletes the object; deleting an absent object is not an error. */
  delete(key: string): Promise<void>;
  /** Every object whose key starts with `prefix` (a whole number of segments ending in `/`, or ''). */
  list(prefix: string): AsyncIterable<BlobInfo>;
  /**
   * Removes what puts cut off by a crash left behind and older than `olderThanMs` (temporary
   * files, unfinished multipart uploads); 0 removes them all (also those of puts in progress: for
   * tests and a stopped server). Returns how many. Never touches a complete object.
   */
  sweepIncomplete(olderThanMs: number): Promise<number>;
}

/** A put's source passed `maxBytes`. */
export class BlobTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the object is larger than ${maxBytes} bytes`);
    this.name = 'BlobTooLargeError';
  }
}

/**
 * The stored bytes are not what was written: a checksum or an authentication tag does not match,
 * or the object is truncated. Raised by get() or by the stream it returned; the bytes already
 * streamed must be discarded.
 */
export class BlobIntegrityError extends Error {
  constructor(readonly key: string, readonly reason: string) {
    super(`stored object failed its integrity check: ${reason}`);
    this.name = 'BlobIntegrityError';
  }
}

/** No object under this key. */
export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super('no such object');
    this.name = 'BlobNotFoundError';
  }
}

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const MAX_KEY_LENGTH = 512;

/** True for a well-formed key (see the file comment). */
export function isBlobKey(key: string): boolean {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) return false;
  return key.split('/').every((s) => SEGMENT.test(s) && s !== '.' && s !== '..');
}

/** Throws unless `key` is well formed: the last guard against traversal whatever the caller did. */
export function assertBlobKey(key: string): void {
  if (!isBlobKey(key)) throw new TypeError('invalid blob key');
}

/** Throws unless `prefix` is '' or whole key segments followed by `/`. */
export function assertBlobPrefix(prefix: string): void {
  if (prefix === '') return;
  if (!prefix.endsWith('/') || !isBlobKey(prefix.slice(0, -1))) throw new TypeError('invalid blob prefix');
}

/** Throws unless `range` is a well-formed inclusive range. */
export function assertByteRange(range: ByteRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start) throw new RangeError('invalid byte range');
}
