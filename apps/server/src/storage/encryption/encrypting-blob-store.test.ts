import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobIntegrityError } from '../blob-store';
import { LocalBlobStore } from '../local-blob-store';
import { s3StoreUnderTest } from '../s3/testing/s3-under-test';
import { localStoreUnderTest } from '../testing/local-under-test';
import { byteSource, checkStream, expectedBytes } from '../testing/byte-source';
import { describeBlobStoreContract, type StoreUnderTest } from '../testing/blob-store-contract';
import { EncryptingBlobStore } from './encrypting-blob-store';
import { GENERATED_KEY_FILE, MasterKeyMissingError, MasterKeyring, loadMasterKeyring } from './master-keys';
import { HEADER_SIZE, SEGMENT_SIZE, TAG_SIZE } from './segment-format';

const MB = 1024 ** 2;
const entry = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const KEY_A = entry('key-a');
const KEY_B = entry('key-b');

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

/** The store under test, encrypting under key A. */
function encrypted(make: () => Promise<StoreUnderTest>): () => Promise<StoreUnderTest> {
  return async () => {
    const t = await make();
    return { ...t, store: new EncryptingBlobStore(t.store, MasterKeyring.fromEntries([KEY_A], 'key-a')) };
  };
}

describeBlobStoreContract('EncryptingBlobStore over LocalBlobStore', encrypted(localStoreUnderTest), { bigBytes: 1024 * MB, memoryBoundBytes: 4 * MB, encrypted: true });
describeBlobStoreContract('EncryptingBlobStore over S3BlobStore on s3rver', encrypted(() => s3StoreUnderTest()), { bigBytes: 1024 * MB, memoryBoundBytes: 10 * MB + 6 * MB, encrypted: true });

describe('EncryptingBlobStore', () => {
  let root: string;
  let inner: LocalBlobStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'podium-enc-'));
    inner = await LocalBlobStore.open(root);
  });
  afterEach(async () => rm(root, { recursive: true, force: true }));
  const storedPath = (key: string) => join(root, 'objects', ...key.split('/'));

  it('after a rotation (key B active) objects written under key A stay readable and new ones use key B', async () => {
    const before = new EncryptingBlobStore(inner, MasterKeyring.fromEntries([KEY_A], ''));
    await before.put('o/old', byteSource(200_000), { maxBytes: 1e6 });
    const after = new EncryptingBlobStore(inner, MasterKeyring.fromEntries([KEY_A, KEY_B], 'key-b'));
    await after.put('o/new', byteSource(1000), { maxBytes: 1e6 });
    expect(await checkStream(await after.get('o/old'), 0)).toBe(200_000);
    expect(await readAll(await after.get('o/old', { start: 70_000, end: 70_009 }))).toEqual(expectedBytes(70_000, 70_010));
    expect((await readFile(storedPath('o/new'))).toString('latin1', 9, 14)).toBe('key-b');
    // Key A removed too early: the old object fails with a typed error naming the key, never with garbage.
    const onlyB = new EncryptingBlobStore(inner, MasterKeyring.fromEntries([KEY_B], ''));
    await expect(onlyB.get('o/old')).rejects.toBeInstanceOf(MasterKeyMissingError);
    await expect(onlyB.get('o/old')).rejects.toMatchObject({ keyId: 'key-a' });
    expect(await checkStream(await onlyB.get('o/new'), 0)).toBe(1000);
  });

  it('the same master key under another id, or another key under the same id, does not open the object', async () => {
    await new EncryptingBlobStore(inner, MasterKeyring.fromEntries([KEY_A], '')).put('o/x', [Buffer.from('secret')], { maxBytes: 100 });
    const impostor = new EncryptingBlobStore(inner, MasterKeyring.fromEntries([entry('key-a')], ''));
    await expect(impostor.get('o/x')).rejects.toBeInstanceOf(BlobIntegrityError);
  });

  it('put() reports size and SHA-256 of the plaintext; stat() and list() report the plaintext size', async () => {
    const store = new EncryptingBlobStore(inner, MasterKeyring.fromEntries([KEY_A], ''));
    const size = 3 * SEGMENT_SIZE;
    const res = await store.put('s/obj', byteSource(size), { maxBytes: size });
    expect(res.size).toBe(size);
    expect(await store.stat('s/obj')).toMatchObject({ size });
    expect((await readFile(storedPath('s/obj'))).length).toBe(HEADER_SIZE + size + 3 * TAG_SIZE + 48);
    for await (const b of store.list('s/')) expect(b.size).toBe(size);
  });

  it('a segment cut off at a boundary, swapped with another, or an altered header fails with BlobIntegrityError', async () => {
    const store = new EncryptingBlobStore(inner, MasterKeyring.fromEntries([KEY_A], ''));
    const sealed = SEGMENT_SIZE + TAG_SIZE;
    const write = async (key: string) => store.put(key, byteSource(3 * SEGMENT_SIZE + 10), { maxBytes: 1e6 });
    // The local store's own checksum trailer would catch these first; rewrite the file with a fresh trailer
    // so the encryption is what must notice.
    const tamper = async (key: string, change: (b: Buffer) => Buffer) => {
      const raw = await readAll(await inner.get(key));
      await inner.put(key, [change(raw)], { maxBytes: 1e7 });
    };
    await write('t/cut');
    await tamper('t/cut', (b) => b.subarray(0, HEADER_SIZE + 3 * sealed));
    await expect(readAll(await store.get('t/cut'))).rejects.toBeInstanceOf(BlobIntegrityError);
    await expect(readAll(await store.get('t/cut', { start: 2 * SEGMENT_SIZE, end: 2 * SEGMENT_SIZE + 5 }))).rejects.toBeInstanceOf(BlobIntegrityError);
    await write('t/swap');
    await tamper('t/swap', (b) => Buffer.concat([b.subarray(0, HEADER_SIZE), b.subarray(HEADER_SIZE + sealed, HEADER_SIZE + 2 * sealed), b.subarray(HEADER_SIZE, HEADER_SIZE + sealed), b.subarray(HEADER_SIZE + 2 * sealed)]));
    await expect(readAll(await store.get('t/swap', { start: 0, end: 10 }))).rejects.toBeInstanceOf(BlobIntegrityError);
    await write('t/header');
    await tamper('t/header', (b) => {
      b[46] ^= 1; // the nonce prefix
      return b;
    });
    await expect(store.get('t/header')).rejects.toBeInstanceOf(BlobIntegrityError);
    // Bytes cut off the last segment: its tag fails.
    await write('t/short');
    await tamper('t/short', (b) => b.subarray(0, b.length - 3));
    await expect(readAll(await store.get('t/short'))).rejects.toBeInstanceOf(BlobIntegrityError);
    // A length that fits no layout at all (a last segment shorter than its tag) is caught from the size alone.
    await write('t/odd');
    await tamper('t/odd', (b) => b.subarray(0, HEADER_SIZE + 3 * sealed + 5));
    await expect(store.get('t/odd', { start: 0, end: 0 })).rejects.toBeInstanceOf(BlobIntegrityError);
  });

  it('a ranged read opens only the segments it covers', async () => {
    const store = new EncryptingBlobStore(inner, MasterKeyring.fromEntries([KEY_A], ''));
    await store.put('p/obj', byteSource(10 * SEGMENT_SIZE), { maxBytes: 1e7 });
    // Damage segment 7: reads of segments 2–3 still succeed, a read touching 7 fails.
    const path = storedPath('p/obj');
    const bytes = await readFile(path);
    bytes[HEADER_SIZE + 7 * (SEGMENT_SIZE + TAG_SIZE) + 100] ^= 1;
    await writeFile(path, bytes);
    expect(await readAll(await store.get('p/obj', { start: 2 * SEGMENT_SIZE - 3, end: 3 * SEGMENT_SIZE + 3 }))).toEqual(expectedBytes(2 * SEGMENT_SIZE - 3, 3 * SEGMENT_SIZE + 4));
    await expect(readAll(await store.get('p/obj', { start: 7 * SEGMENT_SIZE, end: 7 * SEGMENT_SIZE }))).rejects.toBeInstanceOf(BlobIntegrityError);
  });

  it('with no key configured, the first start generates one into dataDir (mode 0600) and later starts reuse it', async () => {
    const first = loadMasterKeyring({ entries: [], activeId: '', dataDir: root, generate: true });
    const again = loadMasterKeyring({ entries: [], activeId: '', dataDir: root, generate: true });
    expect(again.activeId).toBe(first.activeId);
    expect(again.active.key.equals(first.active.key)).toBe(true);
    const { mode } = await import('node:fs').then((fs) => fs.statSync(join(root, GENERATED_KEY_FILE)));
    expect(mode & 0o777).toBe(0o600);
    // Keys configured later: the generated one stays readable, the configured one encrypts.
    const rotated = loadMasterKeyring({ entries: [KEY_B], activeId: '', dataDir: root, generate: true });
    expect(rotated.activeId).toBe('key-b');
    expect(rotated.key(first.activeId).equals(first.active.key)).toBe(true);
    expect(() => loadMasterKeyring({ entries: [], activeId: '', dataDir: join(root, 'none'), generate: false })).toThrow(/storageMasterKeys/);
    expect(() => MasterKeyring.fromEntries(['bad'], '')).toThrow(TypeError);
    expect(() => MasterKeyring.fromEntries([KEY_A, KEY_B], '')).toThrow(/storageActiveKeyId/);
    expect(() => MasterKeyring.fromEntries([KEY_A], 'key-c')).toThrow(/key-c/);
  });
});

