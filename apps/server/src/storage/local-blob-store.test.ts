import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobIntegrityError, BlobNotFoundError, BlobTooLargeError, isBlobKey } from './blob-store';
import { LocalBlobStore } from './local-blob-store';
import { describeBlobStoreContract } from './testing/blob-store-contract';
import { localStoreUnderTest } from './testing/local-under-test';

const CHILD = fileURLToPath(new URL('./testing/put-until-killed.ts', import.meta.url));

async function* chunks(count: number, size: number, fill = (i: number) => i % 251): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < count; i++) yield Buffer.alloc(size, fill(i));
}

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

describe('LocalBlobStore', () => {
  let root: string;
  let store: LocalBlobStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'podium-blobs-'));
    store = await LocalBlobStore.open(root);
  });
  afterEach(async () => rm(root, { recursive: true, force: true }));

  it('put() streams an object in, reporting its size and SHA-256; get() streams it back', async () => {
    const data = Buffer.from('hello, podium');
    const res = await store.put('orgs/org_a/files/fil_1', [data], { maxBytes: 100 });
    expect(res).toEqual({ size: data.length, sha256: createHash('sha256').update(data).digest('hex') });
    expect(await readAll(await store.get('orgs/org_a/files/fil_1'))).toEqual(data);
    expect(await store.stat('orgs/org_a/files/fil_1')).toMatchObject({ key: 'orgs/org_a/files/fil_1', size: data.length });
  });

  it('get() with a range returns exactly the inclusive byte range', async () => {
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));
    await store.put('a/b', [data.subarray(0, 300), data.subarray(300)], { maxBytes: 1000 });
    expect(await readAll(await store.get('a/b', { start: 0, end: 0 }))).toEqual(data.subarray(0, 1));
    expect(await readAll(await store.get('a/b', { start: 10, end: 99 }))).toEqual(data.subarray(10, 100));
    expect(await readAll(await store.get('a/b', { start: 900, end: 999 }))).toEqual(data.subarray(900));
    await expect(store.get('a/b', { start: 5, end: 4 })).rejects.toThrow(RangeError);
  });

  it('a put past maxBytes fails with BlobTooLargeError and leaves neither object nor temporary file', async () => {
    await expect(store.put('x/too-big', chunks(10, 1024), { maxBytes: 5000 })).rejects.toBeInstanceOf(BlobTooLargeError);
    expect(await store.stat('x/too-big')).toBeNull();
    expect(await store.tempFiles()).toEqual([]);
  });

  it('a source that fails mid-stream leaves nothing visible, and an existing object under the key stays intact', async () => {
    await store.put('x/doc', [Buffer.from('old version')], { maxBytes: 100 });
    async function* broken() {
      yield Buffer.alloc(4096, 1);
      throw new Error('client went away');
    }
    await expect(store.put('x/doc', broken(), { maxBytes: 1e6 })).rejects.toThrow('client went away');
    expect((await readAll(await store.get('x/doc'))).toString()).toBe('old version');
    expect(await store.tempFiles()).toEqual([]);
  });

  it('get() of an absent object is BlobNotFoundError, stat() is null, delete() is idempotent', async () => {
    await expect(store.get('no/such')).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(await store.stat('no/such')).toBeNull();
    await store.put('gone/soon', [Buffer.from('x')], { maxBytes: 10 });
    await store.delete('gone/soon');
    await store.delete('gone/soon');
    expect(await store.stat('gone/soon')).toBeNull();
  });

  it('refuses keys that could leave the store: traversal, absolute paths, empty segments, odd characters', async () => {
    for (const key of ['../etc/passwd', 'a/../../b', '/abs', 'a//b', 'a/./b', '', 'a\\b', 'a/b\u0000', 'ä', 'a b', '.hidden/x', 'x'.repeat(600)]) {
      expect(isBlobKey(key), key).toBe(false);
      await expect(store.put(key, [Buffer.from('x')], { maxBytes: 10 }), key).rejects.toThrow(TypeError);
      await expect(store.get(key), key).rejects.toThrow(TypeError);
      await expect(store.delete(key), key).rejects.toThrow(TypeError);
    }
    expect(await readdir(join(root, 'objects'))).toEqual([]);
  });

  it('list() walks the objects under a prefix', async () => {
    for (const k of ['orgs/o1/files/f1', 'orgs/o1/files/f2', 'orgs/o2/files/f3']) await store.put(k, [Buffer.from(k)], { maxBytes: 100 });
    const keys = async (p: string) => {
      const out: string[] = [];
      for await (const b of store.list(p)) out.push(b.key);
      return out.sort();
    };
    expect(await keys('orgs/o1/')).toEqual(['orgs/o1/files/f1', 'orgs/o1/files/f2']);
    expect(await keys('')).toEqual(['orgs/o1/files/f1', 'orgs/o1/files/f2', 'orgs/o2/files/f3']);
    expect(await keys('orgs/none/')).toEqual([]);
    await expect(store.list('orgs/o1')[Symbol.asyncIterator]().next()).rejects.toThrow(TypeError);
  });

  it('open() sweeps temporary files a crash left behind, once they are stale', async () => {
    const stale = join(root, 'tmp', 'crashed.part');
    const fresh = join(root, 'tmp', 'in-progress.part');
    await writeFile(stale, 'half an upload');
    await writeFile(fresh, 'another upload');
    const old = new Date(Date.now() - 2 * 3_600_000);
    await utimes(stale, old, old);
    await LocalBlobStore.open(root);
    expect(await store.tempFiles()).toEqual(['in-progress.part']);
    expect(await store.sweepTemp(0)).toBe(1);
    expect(await store.tempFiles()).toEqual([]);
  });

  it('a put cut off by a crash (the writing process killed) leaves no object, only a temporary file that sweepIncomplete() removes', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, root, 'crash/obj'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.once('data', () => resolve());
      child.once('exit', (code) => reject(new Error(`the writer exited early with ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(await store.stat('crash/obj')).toBeNull();
    await expect(store.get('crash/obj')).rejects.toBeInstanceOf(BlobNotFoundError);
    expect(await store.tempFiles()).toHaveLength(1);
    expect(await store.sweepIncomplete(3_600_000)).toBe(0);
    expect(await store.sweepIncomplete(0)).toBe(1);
    expect(await store.tempFiles()).toEqual([]);
  }, 60_000);

  it('an object file without its checksum trailer (written by something else) fails with BlobIntegrityError', async () => {
    await mkdir(join(root, 'objects', 'foreign'), { recursive: true });
    await writeFile(join(root, 'objects', 'foreign', 'file'), 'some bytes that are long enough to hold a trailer but do not');
    await expect(store.get('foreign/file')).rejects.toBeInstanceOf(BlobIntegrityError);
  });
});

describeBlobStoreContract('LocalBlobStore', localStoreUnderTest, { bigBytes: 1024 ** 3, memoryBoundBytes: 4 * 1024 ** 2, encrypted: false });

describe('LocalBlobStore before its first write', () => {
  it('creates no folder until a put, and reads from a store that was never written as empty', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'podium-blobs-'));
    const store = new LocalBlobStore(join(parent, 'blobs'));
    expect(await store.stat('a/b')).toBeNull();
    await expect(store.get('a/b')).rejects.toBeInstanceOf(BlobNotFoundError);
    const listed: string[] = [];
    for await (const b of store.list('')) listed.push(b.key);
    expect(listed).toEqual([]);
    expect(await readdir(parent)).toEqual([]);
    await store.put('a/b', [Buffer.from('x')], { maxBytes: 1 });
    expect((await readdir(join(parent, 'blobs'))).sort()).toEqual(['objects', 'tmp']);
    await rm(parent, { recursive: true, force: true });
  });
});
