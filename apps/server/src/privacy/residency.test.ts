// Residency, shown on real uploads over HTTP: two BlobStores (eu and us) behind the storage
// layer's jurisdiction guard. An eu organization's file lands only in the eu store — and when the
// eu store is full or down, or no eu store is configured, the upload fails loudly and nothing
// lands in the us store. Refusals are in the audit log.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load';
import { createServer, type PodiumServer } from '../server';
import { secretsFromKey } from '../security/secrets';
import { openTestSql, STORE_KINDS } from '../testing/sql';
import type { Sql } from '../storage/sql';
import { LocalBlobStore } from '../storage/local-blob-store';
import type { BlobInfo, BlobStore, ByteRange, PutOptions, PutResult } from '../storage/blob-store';
import { StoreRouter, type RoutedStore } from '../storage/store-router';
import { RoutedBlobStore } from '../storage/routed-blob-store';
import { sqlRegionLookup } from '../storage/open-blob-store';
import { seedOrg, type SeededOrg } from '../events/testing';
import { eventBody } from '../events/testing';
import { makePdf } from '../files/testing/make-pdf';
import type { TestServer } from '../testing/server';
import { TestClient } from '../testing/client';
import { verifyAuditChain } from './audit-log';

/** A store that can be made full or down, like a disk or a bucket in trouble. */
class TroubledStore implements BlobStore {
  mode: 'ok' | 'full' | 'down' = 'ok';
  constructor(readonly inner: BlobStore) {}
  private check(): void {
    if (this.mode === 'full') throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    if (this.mode === 'down') throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.9:9000'), { code: 'ECONNREFUSED' });
  }
  async put(key: string, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, opts: PutOptions): Promise<PutResult> { this.check(); return this.inner.put(key, source, opts); }
  async get(key: string, range?: ByteRange) { this.check(); return this.inner.get(key, range); }
  async stat(key: string): Promise<BlobInfo | null> { this.check(); return this.inner.stat(key); }
  async delete(key: string): Promise<void> { return this.inner.delete(key); }
  list(prefix: string): AsyncIterable<BlobInfo> { return this.inner.list(prefix); }
  sweepIncomplete(ms: number): Promise<number> { return this.inner.sweepIncomplete(ms); }
}

async function keys(store: BlobStore): Promise<string[]> {
  const out: string[] = [];
  for await (const b of store.list('')) out.push(b.key);
  return out.sort();
}

describe.each(STORE_KINDS)('residency on %s', (kind) => {
  let sql: Sql;
  let server: PodiumServer;
  let url: string;
  const dirs: string[] = [];
  let eu: TroubledStore;
  let us: LocalBlobStore;
  let stores: RoutedStore[];
  let euOrg: SeededOrg;
  let usOrg: SeededOrg;
  let euEvent: string;
  let usEvent: string;

  beforeAll(async () => {
    sql = await openTestSql(kind);
    const dir = () => { const d = mkdtempSync(join(tmpdir(), 'podium-residency-')); dirs.push(d); return d; };
    eu = new TroubledStore(new LocalBlobStore(dir()));
    us = new LocalBlobStore(dir());
    stores = [
      { id: 'us-1', region: 'us-east-1', jurisdiction: 'us', store: us },
      { id: 'eu-1', region: 'eu-central-1', jurisdiction: 'eu', store: eu },
    ];
    const config = loadConfig({}, {
      port: 0, host: '127.0.0.1', dataDir: '/nonexistent-podium-test-dir', logLevel: 'silent', jobs: false,
      webDir: '/nonexistent-podium-web-dir', mediaEnabled: false, blobDir: dir(),
    });
    server = await createServer(config, {
      sql, log: pino({ level: 'silent' }), secrets: secretsFromKey('test-secret-test-secret-test-secret-0123'),
      blobs: new RoutedBlobStore(new StoreRouter(stores), sqlRegionLookup(sql)),
    });
    url = await server.listen();
    config.publicUrl = url;
    const t = { server, url, client: () => new TestClient(url) } as unknown as TestServer;
    euOrg = await seedOrg(t, { role: 'owner' });
    usOrg = await seedOrg(t, { role: 'owner' });
    await sql.query(`update organizations set data_region = 'eu-central' where id = $1`, [euOrg.orgId]);
    await sql.query(`update organizations set data_region = 'us-east' where id = $1`, [usOrg.orgId]);
    euEvent = (await euOrg.member.post(`/api/v1/orgs/${euOrg.orgId}/events`, eventBody(t))).body.id;
    usEvent = (await usOrg.member.post(`/api/v1/orgs/${usOrg.orgId}/events`, eventBody(t))).body.id;
  });
  afterEach(() => { eu.mode = 'ok'; });
  afterAll(async () => {
    await server?.close();
    await sql?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const upload = async (org: SeededOrg, eventId: string) => {
    const res = await fetch(`${url}/api/v1/orgs/${org.orgId}/events/${eventId}/files?purpose=slides&name=deck.pdf`, {
      method: 'POST', body: new Uint8Array(makePdf({ pages: 1 })),
      headers: { 'content-type': 'application/pdf', cookie: org.member.headers.cookie!, 'x-csrf-token': org.member.csrfToken! },
    });
    return { status: res.status, body: await res.json() as { id?: string; code?: string } };
  };

  it('an eu organization\'s upload lands in the eu store only; a us organization\'s in the us store only', async () => {
    expect((await upload(euOrg, euEvent)).status).toBe(201);
    expect((await upload(usOrg, usEvent)).status).toBe(201);
    expect((await keys(eu)).every((k) => k.startsWith(`orgs/${euOrg.orgId}/`))).toBe(true);
    expect((await keys(eu)).length).toBe(1);
    expect(await keys(us)).toEqual([expect.stringMatching(new RegExp(`^orgs/${usOrg.orgId}/`))]);
  });

  it('when the eu store is full, the eu upload fails loudly with STORAGE_UNAVAILABLE and nothing goes to the us store', async () => {
    const usBefore = await keys(us);
    eu.mode = 'full';
    const r = await upload(euOrg, euEvent);
    expect(r).toMatchObject({ status: 503, body: { code: 'STORAGE_UNAVAILABLE' } });
    expect(await keys(us)).toEqual(usBefore);
  });

  it('when the eu store is down, the same: refused, never redirected', async () => {
    const usBefore = await keys(us);
    eu.mode = 'down';
    const r = await upload(euOrg, euEvent);
    expect(r).toMatchObject({ status: 503, body: { code: 'STORAGE_UNAVAILABLE' } });
    expect(await keys(us)).toEqual(usBefore);
    expect((await keys(us)).some((k) => k.includes(euOrg.orgId))).toBe(false);
  });

  it('with no eu store configured at all, the upload is refused with STORAGE_JURISDICTION and the refusal is audited', async () => {
    const euStore = stores.splice(1, 1);
    try {
      const usBefore = await keys(us);
      const r = await upload(euOrg, euEvent);
      expect(r).toMatchObject({ status: 409, body: { code: 'STORAGE_JURISDICTION' } });
      expect(await keys(us)).toEqual(usBefore);
    } finally {
      stores.push(...euStore);
    }
    await new Promise((res) => setTimeout(res, 50));
    const rows = await sql.query<{ org_id: string; details: { dataRegion: string; allowedJurisdiction: string } }>(`select org_id, details from audit_log where action = 'residency.refused'`);
    expect(rows).toEqual([{ org_id: euOrg.orgId, details: expect.objectContaining({ dataRegion: 'eu-central', allowedJurisdiction: 'eu' }) }]);
    expect((await verifyAuditChain(sql)).ok).toBe(true);
  });

  it('the data location route lists only stores of the organization\'s jurisdiction', async () => {
    const res = await euOrg.member.get(`/api/v1/orgs/${euOrg.orgId}/privacy/data-location`);
    expect(res.body).toMatchObject({ dataRegion: 'eu-central', jurisdiction: 'eu', sql: { kind } });
    expect(res.body.blobStores).toEqual([{ id: 'eu-1', region: 'eu-central-1', jurisdiction: 'eu', encrypted: false }]);
  });
});
