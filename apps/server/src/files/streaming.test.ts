import { request } from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server';
import { STORE_KINDS } from '../testing/sql';
import { filesFixture, storedBlobs, storedRows, upload, uploadStream, type FilesFixture } from './testing/file-api';
import { MemoryProbe } from '../storage/testing/memory-probe';
import { housekeeping } from './service';

const MB = 1024 * 1024;

/** `total` bytes of CSV text made on the fly, 64 KiB at a time: nothing of it is ever held whole. */
function csvStream(total: number): Readable {
  const line = Buffer.from('2026-05-01;Warsaw;Registrations;1234;OK\n');
  const chunk = Buffer.alloc(64 * 1024);
  for (let i = 0; i < chunk.length; i++) chunk[i] = line[i % line.length];
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      const n = Math.min(chunk.length, total - sent);
      sent += n;
      this.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    },
  });
}

describe('streaming uploads', () => {
  let t: TestServer;
  let fx: FilesFixture;

  beforeAll(async () => {
    // One store: this is about the byte path, which is the same on both.
    t = await startTestServer({ store: 'pglite', config: { fileMaxUploadBytes: 300 * MB } });
    fx = await filesFixture(t);
  });
  afterAll(async () => t?.close());

  it('streams a 200 MB upload to storage (encrypted) and checks it without holding it in memory', { timeout: 300_000 }, async () => {
    // Live memory (ArrayBuffers + heap after a full collection) sampled while the upload runs; RSS
    // would count garbage not yet collected and pages not yet returned, so it grows under load anyway.
    const probe = await MemoryProbe.start();
    let uploading = true;
    const sampler = (async () => {
      while (uploading) {
        await probe.sample();
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    })();
    const res = await uploadStream(fx.member, fx.filesPath, csvStream(200 * MB), { purpose: 'handout', name: 'export.csv' });
    uploading = false;
    await sampler;
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ size: 200 * MB, contentType: 'text/csv', purpose: 'handout' });
    // Stream buffers of client and server, far below the file's 200 MB.
    expect(probe.growth).toBeLessThan(16 * MB);
  });
});

describe.each(STORE_KINDS)('upload limits and interrupted uploads on %s', (store) => {
  let t: TestServer;
  let fx: FilesFixture;

  beforeAll(async () => {
    t = await startTestServer({ store, config: { fileMaxUploadBytes: 256 * 1024 } });
    fx = await filesFixture(t);
  });
  afterAll(async () => t?.close());

  const settled = async () => {
    await housekeeping(t.server.ctx);
    return { rows: await storedRows(t), blobs: await storedBlobs(t) };
  };
  const empty = { rows: { files: [], deletions: [] }, blobs: { objects: [], temp: [] } };

  it('refuses a body whose Content-Length passes the limit with 413 before reading it', async () => {
    const res = await upload(fx.member, fx.filesPath, Buffer.alloc(300 * 1024, 0x61), { purpose: 'handout', name: 'big.txt' });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: 'The file is larger than 256 KB, the most this server accepts.', details: { maxBytes: 256 * 1024 } });
    expect(await settled()).toEqual(empty);
  });

  it('refuses a chunked body once it passes the limit, leaving no row, object or temporary file', async () => {
    const res = await uploadStream(fx.member, fx.filesPath, csvStream(2 * MB), { purpose: 'handout', name: 'big.csv' });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await settled()).toEqual(empty);
  });

  it('a client that goes away mid-upload leaves no row, object or temporary file', async () => {
    const url = new URL(`${t.url}${fx.filesPath}?purpose=handout&name=cut.csv`);
    const req = request(url, {
      method: 'POST',
      headers: { ...fx.member.headers, 'x-csrf-token': fx.member.csrfToken!, 'content-type': 'text/csv', 'content-length': String(200 * 1024) },
    });
    req.on('error', () => undefined);
    req.write(Buffer.alloc(100 * 1024, 0x61));
    // The server has the row and a temporary file while the body is in flight.
    await expect.poll(async () => (await storedRows(t)).files.length, { timeout: 20_000 }).toBe(1);
    req.destroy();
    await expect.poll(async () => (await storedRows(t)).files.length, { timeout: 20_000 }).toBe(0);
    expect(await settled()).toEqual(empty);
  });
});
