/**
 * The specs every BlobStore must meet, run against each implementation (and each wrapped by
 * encryption) with the real parts: the disk, s3rver on a loopback port. A test file calls
 * describeBlobStoreContract() with a factory that says where the store keeps its bytes, so the
 * specs can look at (and damage) what is really stored.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobIntegrityError, BlobNotFoundError, BlobTooLargeError, type BlobStore } from '../blob-store';
import { byteSource, checkStream, expectedBytes } from './byte-source';
import { MemoryProbe } from './memory-probe';

/** A store under test and a view of its storage from below. */
export interface StoreUnderTest {
  store: BlobStore;
  /** Paths of every file holding the store's bytes (objects, parts, temporary files). */
  storedFiles(): Promise<string[]>;
  /** The path of the file holding the stored bytes of `key`. */
  objectFile(key: string): Promise<string>;
  /** What unfinished puts left behind (temporary files, multipart uploads, staging objects). */
  leftovers(): Promise<string[]>;
  close(): Promise<void>;
}

/** How big the streaming spec goes and how much memory growth it allows. */
export interface ContractOptions {
  /** Bytes of the streaming put and get. */
  bigBytes: number;
  /** Largest allowed growth of live memory (ArrayBuffers + heap) during it. */
  memoryBoundBytes: number;
  /** The stored bytes are encrypted (the marker must be absent from every stored byte). */
  encrypted: boolean;
}

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

async function drain(stream: AsyncIterable<Uint8Array>): Promise<void> {
  for await (const c of stream) void c;
}

/** Flips one byte of a stored file at `offset` from the start (negative: from the end). */
export async function flipByte(path: string, offset: number): Promise<void> {
  const bytes = await readFile(path);
  const at = offset < 0 ? bytes.length + offset : offset;
  bytes[at] ^= 0x40;
  await writeFile(path, bytes);
}

const MB = 1024 ** 2;

/** Registers the BlobStore specs for the store `make()` builds. */
export function describeBlobStoreContract(name: string, make: () => Promise<StoreUnderTest>, o: ContractOptions): void {
  describe(`${name} (BlobStore contract)`, () => {
    let t: StoreUnderTest;
    beforeAll(async () => {
      t = await make();
    });
    afterAll(async () => t?.close());

    it(`streams ${o.bigBytes / MB} MB in and out, generated as it goes, with live memory growing less than ${o.memoryBoundBytes / MB} MB`, async () => {
      const probe = await MemoryProbe.start();
      const res = await t.store.put('big/one', byteSource(o.bigBytes, { probe }), { maxBytes: o.bigBytes });
      expect(res.size).toBe(o.bigBytes);
      expect(await t.store.stat('big/one')).toMatchObject({ size: o.bigBytes });
      expect(await checkStream(await t.store.get('big/one'), 0, { probe })).toBe(o.bigBytes);
      await probe.sample();
      expect(probe.growth).toBeLessThan(o.memoryBoundBytes);
      // Last byte, and a range near the end, of the big object.
      expect(await readAll(await t.store.get('big/one', { start: o.bigBytes - 1, end: o.bigBytes - 1 }))).toEqual(expectedBytes(o.bigBytes - 1, o.bigBytes));
      expect(await checkStream(await t.store.get('big/one', { start: o.bigBytes - 3 * MB - 7, end: o.bigBytes - 2 * MB }), o.bigBytes - 3 * MB - 7)).toBe(MB + 8);
      await t.store.delete('big/one');
      expect(await t.store.stat('big/one')).toBeNull();
    }, 240_000);

    it('put() reports size and SHA-256 of the bytes given; get() returns them', async () => {
      const data = expectedBytes(0, 200_000);
      const res = await t.store.put('orgs/org_a/files/fil_1', [data.subarray(0, 1000), data.subarray(1000)], { maxBytes: 1e6 });
      expect(res).toEqual({ size: data.length, sha256: createHash('sha256').update(data).digest('hex') });
      expect(await readAll(await t.store.get('orgs/org_a/files/fil_1'))).toEqual(data);
    });

    it('an empty object is stored and read back as empty', async () => {
      const res = await t.store.put('e/empty', [], { maxBytes: 10 });
      expect(res.size).toBe(0);
      expect(await t.store.stat('e/empty')).toMatchObject({ size: 0 });
      expect((await readAll(await t.store.get('e/empty'))).length).toBe(0);
    });

    it('get() with a range returns exactly the inclusive range: first byte, middle, last, across 64 KiB boundaries, past the end clipped', async () => {
      const size = 3 * 65_536 + 1234;
      await t.store.put('r/obj', byteSource(size), { maxBytes: size });
      const range = async (start: number, end: number) => readAll(await t.store.get('r/obj', { start, end }));
      expect(await range(0, 0)).toEqual(expectedBytes(0, 1));
      expect(await range(size - 1, size - 1)).toEqual(expectedBytes(size - 1, size));
      expect(await range(1000, 99_999)).toEqual(expectedBytes(1000, 100_000));
      expect(await range(65_535, 65_536)).toEqual(expectedBytes(65_535, 65_537));
      expect(await range(65_536, 2 * 65_536 - 1)).toEqual(expectedBytes(65_536, 2 * 65_536));
      expect(await range(10, size + 5000)).toEqual(expectedBytes(10, size));
      expect((await range(size, size + 10)).length).toBe(0);
      await expect(t.store.get('r/obj', { start: 5, end: 4 })).rejects.toThrow(RangeError);
    });

    it('a put past maxBytes fails with BlobTooLargeError and leaves nothing', async () => {
      await expect(t.store.put('x/too-big', byteSource(300_000), { maxBytes: 200_000 })).rejects.toBeInstanceOf(BlobTooLargeError);
      expect(await t.store.stat('x/too-big')).toBeNull();
      expect(await t.leftovers()).toEqual([]);
    });

    it('a source that fails mid-stream (also past several parts) leaves nothing visible, and the object it would replace stays intact', async () => {
      await t.store.put('x/doc', [Buffer.from('old version')], { maxBytes: 100 });
      await expect(t.store.put('x/doc', byteSource(40 * MB, { failAfter: 17 * MB }), { maxBytes: 100 * MB })).rejects.toThrow('mid-stream');
      await expect(t.store.put('x/new', byteSource(40 * MB, { failAfter: 100_000 }), { maxBytes: 100 * MB })).rejects.toThrow('mid-stream');
      expect((await readAll(await t.store.get('x/doc'))).toString()).toBe('old version');
      expect(await t.store.stat('x/new')).toBeNull();
      expect(await t.leftovers()).toEqual([]);
    }, 60_000);

    it('get() of an absent object is BlobNotFoundError, stat() null, delete() idempotent; list() walks a prefix', async () => {
      await expect(t.store.get('no/such')).rejects.toBeInstanceOf(BlobNotFoundError);
      expect(await t.store.stat('no/such')).toBeNull();
      await t.store.delete('no/such');
      for (const k of ['l/o1/f1', 'l/o1/f2', 'l/o2/f3']) await t.store.put(k, [Buffer.from(k)], { maxBytes: 100 });
      const listed: { key: string; size: number }[] = [];
      for await (const b of t.store.list('l/o1/')) listed.push({ key: b.key, size: b.size });
      expect(listed.sort((a, b) => a.key.localeCompare(b.key))).toEqual([{ key: 'l/o1/f1', size: 7 }, { key: 'l/o1/f2', size: 7 }]);
    });

    it('a flipped byte in the stored object makes get() fail with BlobIntegrityError', async () => {
      const size = 150_000;
      await t.store.put('i/obj', byteSource(size), { maxBytes: size });
      await flipByte(await t.objectFile('i/obj'), Math.floor(size / 2));
      await expect(drain(await t.store.get('i/obj'))).rejects.toBeInstanceOf(BlobIntegrityError);
    });

    if (o.encrypted) {
      it('a plaintext marker repeated through the upload is absent from every stored byte', async () => {
        const marker = Buffer.from('PODIUM-PLAINTEXT-MARKER-7f3a');
        await t.store.put('m/secret', byteSource(2 * MB, { marker }), { maxBytes: 2 * MB });
        const head = await readAll(await t.store.get('m/secret', { start: 0, end: marker.length - 1 }));
        expect(head).toEqual(marker);
        const files = await t.storedFiles();
        expect(files.length).toBeGreaterThan(0);
        for (const f of files) expect((await readFile(f)).includes(marker), f).toBe(false);
      });
    }
  });
}
