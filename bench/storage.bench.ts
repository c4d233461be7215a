/**
 * bench:storage — BlobStore throughput: a streamed put and get of one large object, and ranged reads
 * (64 KiB at random offsets, like video seeking), for the local disk store and the S3 store on
 * s3rver (loopback, in a child process), each plain and with encryption at rest; plus the live
 * memory growth (after GC) during put + get. Run: node --import tsx bench/storage.bench.ts [MB]
 */
import { randomBytes } from 'node:crypto';
import type { BlobStore } from '../apps/server/src/storage/blob-store';
import { EncryptingBlobStore } from '../apps/server/src/storage/encryption/encrypting-blob-store';
import { MasterKeyring } from '../apps/server/src/storage/encryption/master-keys';
import { s3StoreUnderTest } from '../apps/server/src/storage/s3/testing/s3-under-test';
import { byteSource, checkStream } from '../apps/server/src/storage/testing/byte-source';
import { localStoreUnderTest } from '../apps/server/src/storage/testing/local-under-test';
import type { StoreUnderTest } from '../apps/server/src/storage/testing/blob-store-contract';
import { MemoryProbe } from '../apps/server/src/storage/testing/memory-probe';
import { recordBenchmark } from './lib/report';

const MB = 1024 ** 2;
const SIZE = Number(process.argv[2] ?? 512) * MB;
const RANGES = 500;
const keys = MasterKeyring.fromEntries([`bench:${randomBytes(32).toString('base64')}`], '');

async function drain(stream: AsyncIterable<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const c of stream) n += c.length;
  return n;
}

async function measure(name: string, t: StoreUnderTest, encrypt: boolean): Promise<string> {
  const store: BlobStore = encrypt ? new EncryptingBlobStore(t.store, keys) : t.store;
  const probe = await MemoryProbe.start();
  let at = performance.now();
  await store.put('bench/obj', byteSource(SIZE, { probe, sampleEvery: 64 * MB }), { maxBytes: SIZE });
  const putMs = performance.now() - at;
  at = performance.now();
  await checkStream(await store.get('bench/obj'), 0, { probe, sampleEvery: 64 * MB });
  const getMs = performance.now() - at;
  at = performance.now();
  for (let i = 0; i < RANGES; i++) {
    const start = Math.floor(Math.random() * (SIZE - 65_536));
    if ((await drain(await store.get('bench/obj', { start, end: start + 65_535 }))) !== 65_536) throw new Error('short range');
  }
  const rangeMs = (performance.now() - at) / RANGES;
  await store.delete('bench/obj');
  const mbps = (ms: number) => (SIZE / MB / (ms / 1000)).toFixed(0);
  return `| ${name}${encrypt ? ' + encryption' : ''} | ${mbps(putMs)} | ${mbps(getMs)} | ${rangeMs.toFixed(2)} | ${(probe.growth / MB).toFixed(1)} |`;
}

const rows: string[] = [];
const local = await localStoreUnderTest();
rows.push(await measure('local disk', local, false), await measure('local disk', local, true));
await local.close();
const s3 = await s3StoreUnderTest();
rows.push(await measure('S3 (s3rver, 5 MiB parts, 1 in flight)', s3, false), await measure('S3 (s3rver, 5 MiB parts, 1 in flight)', s3, true));
await s3.close();

recordBenchmark('bench:storage — BlobStore streaming put/get and ranged reads', `
One ${SIZE / MB} MB object generated as it streams, put then read whole (every byte checked); then
${RANGES} reads of 64 KiB at random offsets. Live memory = ArrayBuffers + heap after a full GC,
highest sample during put and get, above the start. s3rver runs in a child process on loopback and
writes every byte to disk several times (parts, the completed object, the server-side copy that
attaches the checksum), so the S3 rows measure s3rver more than Podium.

| store | put MB/s | get MB/s | 64 KiB range ms | live memory growth MB |
|---|---|---|---|---|
${rows.join('\n')}
`);
