import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobNotFoundError } from '../blob-store';
import { byteSource, checkStream } from '../testing/byte-source';
import { describeBlobStoreContract } from '../testing/blob-store-contract';
import { S3BlobStore } from './s3-blob-store';
import { startS3TestServer, type S3TestServer } from './testing/s3-test-server';
import { s3StoreUnderTest } from './testing/s3-under-test';

const MB = 1024 ** 2;
const PART = 5 * MB;

// Memory is bounded by the parts held (one filling, one sending at concurrency 1), whatever the size.
describeBlobStoreContract('S3BlobStore on s3rver', () => s3StoreUnderTest(), {
  bigBytes: 1024 * MB, memoryBoundBytes: 2 * PART + 6 * MB, encrypted: false,
});

describe('S3BlobStore on s3rver', () => {
  let server: S3TestServer;
  beforeAll(async () => {
    server = await startS3TestServer(['podium-a', 'podium-b']);
  });
  afterAll(async () => server?.stop());

  it('works virtual-host style too (bucket in the host name), with a prefix keeping stores apart in one bucket', async () => {
    const a = new S3BlobStore(server.virtualHostOptions('podium-a', { prefix: 'one/' }));
    const b = new S3BlobStore(server.options('podium-a', { prefix: 'two/' }));
    await a.put('k/x', [Buffer.from('from a')], { maxBytes: 100 });
    expect(await b.stat('k/x')).toBeNull();
    expect(await a.stat('k/x')).toMatchObject({ size: 6 });
    a.close();
    b.close();
  });

  it('a multipart put is invisible until CompleteMultipartUpload: during the upload neither key nor listing shows it', async () => {
    const store = new S3BlobStore(server.options('podium-b', { partSize: PART, concurrency: 1 }));
    let seenDuring: unknown = 'not checked';
    async function* watched() {
      let sent = 0;
      for await (const c of byteSource(3 * PART + 100)) {
        sent += c.length;
        if (sent === 2 * PART + 65_536) {
          seenDuring = { stat: await store.stat('v/obj'), listed: (await collect(store.list('v/'))).length, pending: (await store.pendingUploads()).length };
        }
        yield c;
      }
    }
    await store.put('v/obj', watched(), { maxBytes: 10 * PART });
    expect(seenDuring).toEqual({ stat: null, listed: 0, pending: 1 });
    expect(await checkStream(await store.get('v/obj'), 0)).toBe(3 * PART + 100);
    expect(await store.pendingUploads()).toEqual([]);
    store.close();
  }, 60_000);

  it('sweepIncomplete() aborts multipart uploads a crash left behind once stale, and keeps fresh ones and complete objects', async () => {
    const store = new S3BlobStore(server.options('podium-b', { prefix: 'sweep/', partSize: PART }));
    await store.put('keep/me', [Buffer.from('complete')], { maxBytes: 100 });
    // A put cut off by a crash: an upload started, a part sent, never completed or aborted.
    const raw = (store as unknown as { client: import('./s3-client').S3Client }).client;
    const { text } = await raw.sendForText({ method: 'POST', key: 'sweep/staging/crashed', query: { uploads: '' } });
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(text)![1];
    (await raw.send({ method: 'PUT', key: 'sweep/staging/crashed', query: { partNumber: '1', uploadId }, body: Buffer.alloc(1000, 7) })).body.resume();
    expect(await store.pendingUploads()).toEqual(['sweep/staging/crashed']);
    expect(await store.sweepIncomplete(3_600_000)).toBe(0);
    expect(await store.pendingUploads()).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 20));
    expect(await store.sweepIncomplete(0)).toBe(1);
    expect(await store.pendingUploads()).toEqual([]);
    expect((await collect(store.list('keep/'))).map((b) => b.key)).toEqual(['keep/me']);
    store.close();
  });

  it('a part that fails (the service went away mid-upload) stops the put at once instead of streaming the rest', async () => {
    const dying = await startS3TestServer(['dying']);
    const store = new S3BlobStore(dying.options('dying', { partSize: PART, concurrency: 2 }));
    let pulled = 0;
    async function* source() {
      for await (const c of byteSource(200 * MB)) {
        pulled += c.length;
        if (pulled === 12 * MB) await dying.stop();
        yield c;
      }
    }
    await expect(store.put('d/obj', source(), { maxBytes: 300 * MB })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(pulled).toBeLessThan(30 * MB);
    store.close();
  }, 60_000);

  it('an unreachable service fails loudly (no silent empty answer)', async () => {
    const down = await startS3TestServer(['gone']);
    const store = new S3BlobStore(down.options('gone'));
    await down.stop();
    await expect(store.put('a/b', [Buffer.from('x')], { maxBytes: 10 })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(store.get('a/b')).rejects.not.toBeInstanceOf(BlobNotFoundError);
    store.close();
  });
});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
