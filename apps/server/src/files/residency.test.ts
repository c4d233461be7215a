import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server';
import { filesFixture, storedBlobs, storedRows, upload, type FilesFixture } from './testing/file-api';

const csv = Buffer.from('2026-05-01;Warsaw;Registrations;1234;OK\n'.repeat(100));

describe('uploads and the jurisdiction of the store', () => {
  let t: TestServer;
  let fx: FilesFixture;
  beforeAll(async () => {
    // The default single store: local, jurisdiction eu.
    t = await startTestServer();
    fx = await filesFixture(t);
  });
  afterAll(async () => t?.close());

  it('an organization whose data region is in the US cannot store files in the eu store: 409 STORAGE_JURISDICTION, nothing written', async () => {
    await t.server.ctx.sql.query(`update organizations set data_region = 'us-east' where id = $1`, [fx.orgId]);
    const before = { rows: await storedRows(t), blobs: await storedBlobs(t) };
    const res = await upload(fx.member, fx.filesPath, csv, { purpose: 'handout', name: 'list.csv' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'STORAGE_JURISDICTION', details: { dataRegion: 'us-east', allowedJurisdiction: 'us' } });
    expect({ rows: await storedRows(t), blobs: await storedBlobs(t) }).toEqual(before);
    await t.server.ctx.sql.query(`update organizations set data_region = 'eu-central' where id = $1`, [fx.orgId]);
    expect((await upload(fx.member, fx.filesPath, csv, { purpose: 'handout', name: 'list.csv' })).status).toBe(201);
  });
});

describe('uploads when the store is down', () => {
  let t: TestServer;
  let fx: FilesFixture;
  beforeAll(async () => {
    t = await startTestServer({
      config: {
        storageStores: [{
          id: 'eu-s3', kind: 's3', region: 'eu-central-1', jurisdiction: 'eu',
          // Nothing listens on the discard port: every request is refused.
          s3: { endpoint: 'http://127.0.0.1:9', bucket: 'podium-eu', region: 'eu-central-1', accessKeyId: 'a', secretAccessKey: 'b', prefix: '', pathStyle: true },
        }],
      },
    });
    fx = await filesFixture(t);
  });
  afterAll(async () => t?.close());

  it('answers 503 STORAGE_UNAVAILABLE and leaves no row behind', async () => {
    const res = await upload(fx.member, fx.filesPath, csv, { purpose: 'handout', name: 'list.csv' });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'STORAGE_UNAVAILABLE', details: { store: 'eu-s3' } });
    expect((await storedRows(t)).files).toEqual([]);
  });
});
