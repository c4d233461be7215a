import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server';
import { STORE_KINDS } from '../testing/sql';
import { filesFixture, storedBlobs, storedRows, upload, uploadStream, type FilesFixture } from './testing/file-api';

const KB = 1024;

/** `size` bytes of CSV text. */
function csv(size: number): Buffer {
  const line = Buffer.from('2026-05-01;Warsaw;Registrations;1234;OK\n');
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = line[i % line.length];
  return out;
}

describe.each(STORE_KINDS)('file library quota on %s', (store) => {
  let t: TestServer;
  let fx: FilesFixture;

  beforeAll(async () => {
    t = await startTestServer({ store, config: { fileQuotaBytes: 300 * KB } });
    fx = await filesFixture(t);
  });
  afterAll(async () => t?.close());

  const list = async () => (await fx.member.get(fx.filesPath)).body;

  it('an upload that would pass the organization\'s quota is refused with FILE_QUOTA_EXCEEDED (used and limit in details), leaving nothing', async () => {
    const first = await upload(fx.member, fx.filesPath, csv(200 * KB), { purpose: 'handout', name: 'a.csv' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect((await list()).usage).toEqual({ usedBytes: 200 * KB, limitBytes: 300 * KB });
    const before = { rows: await storedRows(t), blobs: await storedBlobs(t) };

    // With a Content-Length that says so: refused before a byte is stored.
    const declared = await upload(fx.member, fx.filesPath, csv(150 * KB), { purpose: 'handout', name: 'b.csv' });
    expect(declared.status).toBe(409);
    expect(declared.body).toMatchObject({ code: 'FILE_QUOTA_EXCEEDED', details: { usedBytes: 200 * KB, limitBytes: 300 * KB } });
    // Streamed without a length: refused as soon as it passes what is left.
    const streamed = await uploadStream(fx.member, fx.filesPath, Readable.from([csv(64 * KB), csv(64 * KB), csv(64 * KB)]), { purpose: 'handout', name: 'c.csv' });
    expect(streamed.status).toBe(409);
    expect(streamed.body).toMatchObject({ code: 'FILE_QUOTA_EXCEEDED', details: { usedBytes: 200 * KB, limitBytes: 300 * KB } });
    expect({ rows: await storedRows(t), blobs: await storedBlobs(t) }).toEqual(before);

    // What still fits is accepted; deleting a file frees its bytes.
    expect((await upload(fx.member, fx.filesPath, csv(100 * KB), { purpose: 'handout', name: 'd.csv' })).status).toBe(201);
    expect((await upload(fx.member, fx.filesPath, csv(1), { purpose: 'handout', name: 'e.csv' })).body).toMatchObject({ code: 'FILE_QUOTA_EXCEEDED' });
    expect((await fx.member.delete(`${fx.filesPath}/${first.body.id}`)).status).toBe(200);
    expect((await list()).usage).toEqual({ usedBytes: 100 * KB, limitBytes: 300 * KB });
    expect((await upload(fx.member, fx.filesPath, csv(150 * KB), { purpose: 'handout', name: 'f.csv' })).status).toBe(201);
  });

  it('an organization\'s own quota overrides the default; 0 means no limit', async () => {
    await t.server.ctx.sql.query('update organizations set file_quota_bytes = 0 where id = $1', [fx.orgId]);
    expect((await list()).usage).toMatchObject({ limitBytes: null });
    expect((await upload(fx.member, fx.filesPath, csv(200 * KB), { purpose: 'handout', name: 'g.csv' })).status).toBe(201);
    await t.server.ctx.sql.query('update organizations set file_quota_bytes = $2 where id = $1', [fx.orgId, 10 * KB]);
    const refused = await upload(fx.member, fx.filesPath, csv(KB), { purpose: 'handout', name: 'h.csv' });
    expect(refused.body).toMatchObject({ code: 'FILE_QUOTA_EXCEEDED', details: { limitBytes: 10 * KB } });
  });
});
