import { createHash, randomUUID } from 'node:crypto';
import { PassThrough, Transform, pipeline, type Readable, type TransformCallback } from 'node:stream';
import {
  BlobIntegrityError, BlobNotFoundError, BlobTooLargeError, assertBlobKey, assertBlobPrefix, assertByteRange,
  type BlobInfo, type BlobStore, type ByteRange, type PutOptions, type PutResult,
} from '../blob-store';
import { Sha256Verifier } from '../sha256-verifier';
import { S3Client, S3RequestError, type S3ClientOptions } from './s3-client';
import { encodeKeyPath } from './sigv4';
import { xmlBlocks, xmlEscape, xmlText } from './xml';

/** S3's smallest part (except the last one of an upload). */
const MIN_PART_SIZE = 5 * 1024 ** 2;
/** Most bytes S3 copies in one CopyObject request. */
const MAX_SINGLE_COPY = 5 * 1024 ** 3;
/** Size of the first part buffer of a put; it grows up to a part as bytes arrive. */
const FIRST_BUFFER = 256 * 1024;
/** The object metadata holding the SHA-256 of the bytes (hex). */
const SHA256_META = 'x-amz-meta-podium-sha256';

/** How an S3BlobStore reaches its bucket and how it uploads. */
export interface S3BlobStoreOptions extends S3ClientOptions {
  /** Prefix of everything the store writes in the bucket, e.g. `podium/` ('' or ending in `/`). */
  prefix?: string;
  /** Bytes per multipart part (at least 5 MiB); one object smaller than this is sent in one request. */
  partSize?: number;
  /** Parts sent at once per upload; memory per upload is about partSize × (concurrency + 1). */
  concurrency?: number;
  /** Objects larger than this are copied part by part (S3's limit for one copy is 5 GiB). */
  maxSingleCopyBytes?: number;
  /** Bytes per part of such a copy. */
  copyPartSize?: number;
}

/** Passes exactly `length` bytes on and stops (a server that sends more than the range asked is cut). */
class Limit extends Transform {
  constructor(private left: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (this.left <= 0) return done();
    const part = chunk.length > this.left ? chunk.subarray(0, this.left) : chunk;
    this.left -= part.length;
    this.push(part);
    if (this.left === 0) this.push(null);
    done();
  }
}

function isNotFound(err: unknown): boolean {
  return err instanceof S3RequestError && err.status === 404;
}

/** An error S3 reports inside a 200 answer (CompleteMultipartUpload and copies do that). */
function embeddedError(text: string): S3RequestError | null {
  if (!/<Error>/.test(text)) return null;
  return new S3RequestError(200, xmlText(text, 'Code') ?? 'InternalError', xmlText(text, 'Message') ?? 'no message');
}

/**
 * Objects in an S3-compatible bucket under `<prefix>objects/<key>`. A put buffers at most one part
 * per sending slot: an object smaller than a part goes in one PutObject carrying its SHA-256 as
 * metadata; a larger one goes as a multipart upload to `<prefix>staging/<uuid>` (invisible until
 * completed, aborted on failure), is then copied server-side to its key with the SHA-256 as metadata
 * (so the key only ever shows a complete object with its checksum) and the staging object removed.
 * What a crash leaves (unfinished uploads, staging objects) is removed by sweepIncomplete(). Every
 * request body is signed with its SHA-256, so the service verifies what it receives; a complete get
 * verifies the bytes against the stored SHA-256.
 */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  private readonly prefix: string;
  private readonly partSize: number;
  private readonly concurrency: number;
  private readonly maxSingleCopy: number;
  private readonly copyPartSize: number;

  /** A store in `opts.bucket`; nothing is sent until it is used. */
  constructor(private readonly opts: S3BlobStoreOptions) {
    this.client = new S3Client(opts);
    this.prefix = opts.prefix ?? '';
    if (this.prefix !== '') assertBlobPrefix(this.prefix);
    this.partSize = Math.max(MIN_PART_SIZE, opts.partSize ?? 8 * 1024 ** 2);
    this.concurrency = Math.max(1, opts.concurrency ?? 2);
    this.maxSingleCopy = Math.min(MAX_SINGLE_COPY, opts.maxSingleCopyBytes ?? MAX_SINGLE_COPY);
    this.copyPartSize = Math.max(MIN_PART_SIZE, Math.min(opts.copyPartSize ?? 1024 ** 3, MAX_SINGLE_COPY));
  }

  /** The bucket key of an object. */
  private objectKey(key: string): string {
    return `${this.prefix}objects/${key}`;
  }

  async put(key: string, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, opts: PutOptions): Promise<PutResult> {
    assertBlobKey(key);
    const hash = createHash('sha256');
    const free: Buffer[] = [];
    const take = () => free.pop() ?? Buffer.allocUnsafeSlow(this.partSize);
    // The first part grows with what arrives, so a small file costs its size, not a whole part.
    let part: Buffer = Buffer.allocUnsafeSlow(Math.min(this.partSize, FIRST_BUFFER));
    let fill = 0;
    let size = 0;
    let upload: MultipartUpload | undefined;
    try {
      for await (const chunk of source) {
        size += chunk.byteLength;
        if (size > opts.maxBytes) throw new BlobTooLargeError(opts.maxBytes);
        hash.update(chunk);
        let offset = 0;
        while (offset < chunk.byteLength) {
          if (fill === this.partSize) {
            // A full part with more bytes after it: the object needs a multipart upload.
            upload ??= await MultipartUpload.start(this.client, `${this.prefix}staging/${randomUUID()}`, {}, this.concurrency);
            const full = part;
            await upload.send(full, fill, () => free.push(full));
            part = take();
            fill = 0;
          }
          if (fill === part.length) {
            const grown = Buffer.allocUnsafeSlow(Math.min(this.partSize, part.length * 4));
            part.copy(grown, 0, 0, fill);
            part = grown;
          }
          const n = Math.min(part.length - fill, chunk.byteLength - offset);
          part.set(chunk.subarray(offset, offset + n), fill);
          fill += n;
          offset += n;
        }
      }
      const sha256 = hash.digest('hex');
      if (!upload) {
        const res = await this.client.send({
          method: 'PUT', key: this.objectKey(key), body: part.subarray(0, fill),
          headers: { 'content-type': 'application/octet-stream', [SHA256_META]: sha256 },
        });
        res.body.resume();
        return { size, sha256 };
      }
      await upload.send(part, fill, () => undefined);
      await upload.complete();
      await this.copyInto(upload.key, this.objectKey(key), size, sha256);
      // The object is complete at its key: a staging object that cannot be removed now is swept later.
      await this.deleteBucketKey(upload.key).catch(() => undefined);
      return { size, sha256 };
    } catch (err) {
      if (upload) await upload.discard().catch(() => undefined);
      throw err;
    }
  }

  /** Copies the staging object to its key with the SHA-256 as metadata: atomically visible, as a whole. */
  private async copyInto(from: string, to: string, size: number, sha256: string): Promise<void> {
    const source = `/${this.opts.bucket}/${encodeKeyPath(from)}`;
    const meta = { 'content-type': 'application/octet-stream', [SHA256_META]: sha256 };
    if (size <= this.maxSingleCopy) {
      const { text } = await this.client.sendForText({
        method: 'PUT', key: to, headers: { ...meta, 'x-amz-copy-source': source, 'x-amz-metadata-directive': 'REPLACE' },
      });
      const err = embeddedError(text);
      if (err) throw err;
      return;
    }
    // Past S3's single-copy limit: a multipart upload of copied ranges, at the key itself (invisible until complete).
    const copy = await MultipartUpload.start(this.client, to, meta, this.concurrency);
    try {
      for (let start = 0; start < size; start += this.copyPartSize) {
        await copy.copyPart(source, start, Math.min(size, start + this.copyPartSize) - 1);
      }
      await copy.complete();
    } catch (err) {
      await copy.discard().catch(() => undefined);
      throw err;
    }
  }

  private async deleteBucketKey(bucketKey: string): Promise<void> {
    const res = await this.client.send({ method: 'DELETE', key: bucketKey }, [404]);
    res.body.resume();
  }

  async get(key: string, range?: ByteRange): Promise<Readable> {
    assertBlobKey(key);
    if (range) assertByteRange(range);
    let res;
    try {
      res = await this.client.send({ method: 'GET', key: this.objectKey(key), headers: range ? { range: `bytes=${range.start}-${range.end}` } : {} }, [416]);
    } catch (err) {
      if (isNotFound(err)) throw new BlobNotFoundError(key);
      throw err;
    }
    const size = Number(res.headers['content-length']);
    if (res.status === 416) {
      // The range starts past the end: like reading past the end of a file, nothing.
      res.body.resume();
      const empty = new PassThrough();
      empty.end();
      return empty;
    }
    if (range) {
      const m = /^bytes (\d+)-(\d+)\/\d+$/.exec(String(res.headers['content-range'] ?? ''));
      if (res.status !== 206 || !m || Number(m[1]) !== range.start) {
        res.body.destroy();
        throw new S3RequestError(res.status, 'BadRange', 'the service did not answer the requested range');
      }
      return pipeline(res.body, new Limit(Math.min(range.end, Number(m[2])) - range.start + 1), () => undefined);
    }
    const sha256 = res.headers[SHA256_META];
    if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) {
      res.body.destroy();
      throw new BlobIntegrityError(key, 'the object carries no SHA-256');
    }
    return pipeline(res.body, new Sha256Verifier(key, sha256, size), () => undefined);
  }

  async stat(key: string): Promise<BlobInfo | null> {
    assertBlobKey(key);
    try {
      const res = await this.client.send({ method: 'HEAD', key: this.objectKey(key) });
      res.body.resume();
      return { key, size: Number(res.headers['content-length']), modifiedAt: new Date(String(res.headers['last-modified'])) };
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    await this.deleteBucketKey(this.objectKey(key));
  }

  async *list(prefix: string): AsyncIterable<BlobInfo> {
    assertBlobPrefix(prefix);
    const base = this.objectKey('');
    for await (const o of this.listBucket(base + prefix)) {
      const key = o.key.slice(base.length);
      yield { key, size: o.size, modifiedAt: o.modifiedAt };
    }
  }

  /** Objects of the bucket under a bucket-key prefix, page by page. */
  private async *listBucket(prefix: string): AsyncIterable<BlobInfo> {
    let token: string | undefined;
    do {
      const query: Record<string, string> = { 'list-type': '2', prefix };
      if (token) query['continuation-token'] = token;
      const { text } = await this.client.sendForText({ method: 'GET', query });
      for (const c of xmlBlocks(text, 'Contents')) {
        const key = xmlText(c, 'Key');
        if (key === undefined) continue;
        yield { key, size: Number(xmlText(c, 'Size') ?? 0), modifiedAt: new Date(xmlText(c, 'LastModified') ?? 0) };
      }
      token = xmlText(text, 'IsTruncated') === 'true' ? xmlText(text, 'NextContinuationToken') : undefined;
    } while (token);
  }

  /** Aborts multipart uploads and removes staging objects older than `olderThanMs` (left by crashed puts). */
  async sweepIncomplete(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    let keyMarker: string | undefined;
    let idMarker: string | undefined;
    do {
      const query: Record<string, string> = { uploads: '', prefix: this.prefix };
      if (keyMarker !== undefined) query['key-marker'] = keyMarker;
      if (idMarker !== undefined) query['upload-id-marker'] = idMarker;
      const { text } = await this.client.sendForText({ method: 'GET', query });
      for (const u of xmlBlocks(text, 'Upload')) {
        const key = xmlText(u, 'Key');
        const id = xmlText(u, 'UploadId');
        const initiated = Date.parse(xmlText(u, 'Initiated') ?? '');
        if (key === undefined || id === undefined || !(olderThanMs <= 0 || initiated <= cutoff)) continue;
        // Only uploads this store starts (staging objects, large copies into objects/), never someone else's in a shared bucket.
        if (!key.startsWith(`${this.prefix}staging/`) && !key.startsWith(`${this.prefix}objects/`)) continue;
        const res = await this.client.send({ method: 'DELETE', key, query: { uploadId: id } }, [404]);
        res.body.resume();
        removed++;
      }
      const truncated = xmlText(text, 'IsTruncated') === 'true';
      keyMarker = truncated ? xmlText(text, 'NextKeyMarker') : undefined;
      idMarker = truncated ? xmlText(text, 'NextUploadIdMarker') : undefined;
    } while (keyMarker !== undefined);
    for await (const o of this.listBucket(`${this.prefix}staging/`)) {
      if (olderThanMs > 0 && o.modifiedAt.getTime() > cutoff) continue;
      await this.deleteBucketKey(o.key);
      removed++;
    }
    return removed;
  }

  /** Multipart uploads under this store's prefix that are not finished (tests check none is left behind). */
  async pendingUploads(): Promise<string[]> {
    const { text } = await this.client.sendForText({ method: 'GET', query: { uploads: '', prefix: this.prefix } });
    return xmlBlocks(text, 'Upload').map((u) => xmlText(u, 'Key') ?? '');
  }

  /** Staging objects of unfinished puts (tests check none is left behind). */
  async stagingObjects(): Promise<string[]> {
    const out: string[] = [];
    for await (const o of this.listBucket(`${this.prefix}staging/`)) out.push(o.key);
    return out;
  }

  /** Closes pooled connections. */
  close(): void {
    this.client.close();
  }
}

/** One multipart upload in progress: parts sent with bounded concurrency, then completed or aborted. */
class MultipartUpload {
  private readonly etags: string[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly all: Promise<void>[] = [];
  private completed = false;
  /** The first part that failed: the put stops at its next part instead of streaming the rest for nothing. */
  private failure: unknown;

  private constructor(private readonly client: S3Client, readonly key: string, private readonly id: string, private readonly concurrency: number) {}

  /** Starts an upload to the bucket key `key` with `headers` (metadata) for the object it makes. */
  static async start(client: S3Client, key: string, headers: Record<string, string>, concurrency: number): Promise<MultipartUpload> {
    const { text } = await client.sendForText({ method: 'POST', key, query: { uploads: '' }, headers });
    const id = xmlText(text, 'UploadId');
    if (!id) throw new S3RequestError(200, 'MalformedResponse', 'no UploadId in the answer');
    return new MultipartUpload(client, key, id, concurrency);
  }

  /** Sends `buffer[0, length)` as the next part once a slot is free; `release` is called when the buffer may be reused. */
  async send(buffer: Buffer, length: number, release: () => void): Promise<void> {
    while (this.inFlight.size >= this.concurrency) await Promise.race(this.inFlight);
    if (this.failure !== undefined) {
      release();
      throw this.failure;
    }
    const n = this.all.length + 1;
    const p = this.client
      .send({ method: 'PUT', key: this.key, query: { partNumber: String(n), uploadId: this.id }, body: buffer.subarray(0, length) })
      .then((res) => {
        res.body.resume();
        this.etags[n - 1] = String(res.headers.etag ?? '');
      })
      .finally(() => {
        this.inFlight.delete(p);
        release();
      });
    p.catch((err: unknown) => {
      this.failure ??= err;
    });
    this.inFlight.add(p);
    this.all.push(p);
  }

  /** Copies bytes `start..end` of `source` (`/bucket/key`) as the next part. */
  async copyPart(source: string, start: number, end: number): Promise<void> {
    const n = this.all.length + 1;
    const p = this.client
      .sendForText({ method: 'PUT', key: this.key, query: { partNumber: String(n), uploadId: this.id }, headers: { 'x-amz-copy-source': source, 'x-amz-copy-source-range': `bytes=${start}-${end}` } })
      .then(({ text }) => {
        const err = embeddedError(text);
        if (err) throw err;
        this.etags[n - 1] = xmlText(text, 'ETag') ?? '';
      });
    this.all.push(p);
    await p;
  }

  /** Waits for every part and completes the upload: the object appears, whole. */
  async complete(): Promise<void> {
    await Promise.all(this.all);
    const parts = this.etags.map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${xmlEscape(etag)}</ETag></Part>`).join('');
    const { text } = await this.client.sendForText({
      method: 'POST', key: this.key, query: { uploadId: this.id },
      headers: { 'content-type': 'application/xml' },
      body: Buffer.from(`<CompleteMultipartUpload>${parts}</CompleteMultipartUpload>`),
    });
    const err = embeddedError(text);
    if (err) throw err;
    this.completed = true;
  }

  /** Undoes the upload: aborts it (its parts are dropped) or, once completed, deletes what it made. */
  async discard(): Promise<void> {
    await Promise.allSettled(this.all);
    const res = this.completed
      ? await this.client.send({ method: 'DELETE', key: this.key }, [404])
      : await this.client.send({ method: 'DELETE', key: this.key, query: { uploadId: this.id } }, [404]);
    res.body.resume();
  }
}
