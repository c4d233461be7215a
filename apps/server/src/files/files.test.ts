import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomSubjects, type EventId, type FileId } from '@podium/protocol';
import { startTestServer, type TestServer } from '../testing/server';
import type { Bus, RequestOptions } from '../bus/bus';
import { STORE_KINDS } from '../testing/sql';
import { seedOrg } from '../events/testing';
import { filesFixture, storedBlobs, storedRows, upload, type FilesFixture } from './testing/file-api';
import { makePdf } from './testing/make-pdf';
import { makePng } from './testing/make-image';
import { makeDocx } from './testing/make-zip';
import { housekeeping, purgeDeletedBlobs } from './service';
import { listEventFiles } from './store';

describe.each(STORE_KINDS)('files API on %s', (store) => {
  let t: TestServer;
  let fx: FilesFixture;

  beforeAll(async () => {
    t = await startTestServer({ store, config: { fileMaxPerEvent: 30 } });
    fx = await filesFixture(t);
  });
  afterAll(async () => t?.close());

  /** Proves a refused upload left nothing: the same rows, objects and temporary files as before. */
  async function expectNothingLeft(before: { rows: unknown; blobs: unknown }) {
    // The failed upload's clean-up runs before the answer; housekeeping after it may still run.
    await housekeeping(t.server.ctx);
    expect({ rows: await storedRows(t), blobs: await storedBlobs(t) }).toEqual(before);
  }
  const snapshot = async () => ({ rows: await storedRows(t), blobs: await storedBlobs(t) });

  it('an uploaded PDF is stored as slides with its page count, listed, and its bytes kept under the organization', { timeout: 60_000 }, async () => {
    const pdf = makePdf({ pages: 4 });
    const res = await upload(fx.member, fx.filesPath, pdf, { name: 'Q3 results.pdf', contentType: 'image/gif' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Q3 results.pdf', contentType: 'application/pdf', size: pdf.length, purpose: 'slides', pageCount: 4 });
    expect(res.body.id).toMatch(/^fil_/);
    const list = await fx.member.get(`${fx.filesPath}?limit=50`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((f: { id: string }) => f.id)).toContain(res.body.id);
    expect(list.body.maxUploadBytes).toBe(100 * 1024 * 1024);
    expect((await storedBlobs(t)).objects).toContain(`orgs/${fx.orgId}/files/${res.body.id}`);
  });

  it('decides the type by the bytes: a PNG named .pdf is stored as a PNG of one page; a Word document is a handout, not slides', async () => {
    const png = await upload(fx.member, fx.filesPath, makePng(32, 32), { name: 'slides.pdf', contentType: 'application/pdf' });
    expect(png.status).toBe(201);
    expect(png.body).toMatchObject({ contentType: 'image/png', pageCount: 1, name: 'slides.pdf' });
    const before = await snapshot();
    const asSlides = await upload(fx.member, fx.filesPath, makeDocx(), { purpose: 'slides', name: 'agenda.docx' });
    expect(asSlides.status).toBe(415);
    expect(asSlides.body).toMatchObject({ code: 'FILE_TYPE_NOT_ALLOWED', details: { detected: 'application/zip' } });
    await expectNothingLeft(before);
    const asHandout = await upload(fx.api, fx.filesPath, makeDocx(), { purpose: 'handout', name: 'agenda.docx' });
    expect(asHandout.status).toBe(201);
    expect(asHandout.body).toMatchObject({ purpose: 'handout', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    expect(asHandout.body.pageCount).toBeUndefined();
  });

  it('refuses an executable renamed .pdf at its first bytes, and leaves no row, object or temporary file', async () => {
    const before = await snapshot();
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03', 'latin1'), Buffer.alloc(2 * 1024 * 1024, 0x41)]);
    for (const purpose of ['slides', 'handout'] as const) {
      const res = await upload(fx.member, fx.filesPath, exe, { purpose, name: 'invoice.pdf', contentType: 'application/pdf' });
      expect(res.status).toBe(415);
      expect(res.body.code).toBe('FILE_TYPE_NOT_ALLOWED');
    }
    await expectNothingLeft(before);
  });

  it('refuses a truncated PDF, a PDF of 10,000 pages and one with a huge page with FILE_INVALID and a reason, leaving nothing', { timeout: 120_000 }, async () => {
    const before = await snapshot();
    const whole = makePdf({ pages: 3 });
    const cases = [
      { bytes: whole.subarray(0, whole.length - 200), reason: 'truncated' },
      { bytes: makePdf({ pages: 10_000 }), reason: 'too-many-pages' },
      { bytes: makePdf({ width: 50_000, height: 600 }), reason: 'page-too-large' },
      { bytes: makePdf({ encrypted: true }), reason: 'encrypted' },
    ];
    for (const c of cases) {
      const res = await upload(fx.member, fx.filesPath, c.bytes);
      expect(res.status, c.reason).toBe(422);
      expect(res.body, c.reason).toMatchObject({ code: 'FILE_INVALID', details: { reason: c.reason } });
      expect(res.body.message.length).toBeGreaterThan(10);
    }
    await expectNothingLeft(before);
  });

  it('keeps only the last segment of the name, without control, bidirectional or invisible characters', async () => {
    const res = await upload(fx.member, fx.filesPath, makePng(), { name: '../../etc/na\u202Eme\u200B.png' });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('name.png');
  });

  it('deletes a file with its bytes; the second delete is FILE_NOT_FOUND', async () => {
    const up = await upload(fx.member, fx.filesPath, makePng());
    const key = `orgs/${fx.orgId}/files/${up.body.id}`;
    expect((await storedBlobs(t)).objects).toContain(key);
    const del = await fx.member.delete(`${fx.filesPath}/${up.body.id}`);
    expect(del.status).toBe(200);
    expect((await storedBlobs(t)).objects).not.toContain(key);
    expect((await storedRows(t)).deletions).not.toContain(key);
    const again = await fx.member.delete(`${fx.filesPath}/${up.body.id}`);
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('FILE_NOT_FOUND');
  });

  it("tells the event's live room after an upload and after a delete", async () => {
    const bus = t.server.ctx.bus;
    const heard: { subject: string; msg: unknown }[] = [];
    // A Bus that records requests and passes everything on to the server's own.
    const recording: Bus = Object.assign(Object.create(bus) as Bus, {
      request: <R>(subject: string, msg: unknown, opts?: RequestOptions) => {
        heard.push({ subject, msg });
        return bus.request<R>(subject, msg, opts);
      },
    });
    t.server.ctx.bus = recording;
    try {
      const up = await upload(fx.member, fx.filesPath, makePng());
      await fx.member.delete(`${fx.filesPath}/${up.body.id}`);
    } finally {
      t.server.ctx.bus = bus;
    }
    const command = { subject: roomSubjects(fx.eventId).commands, msg: { kind: 'files-changed', eventId: fx.eventId } };
    expect(heard).toEqual([command, command]);
  });

  it('listEventFiles() gives the room the same files as the list route, oldest first', async () => {
    const list = await fx.member.get(`${fx.filesPath}?limit=200`);
    expect(await listEventFiles(t.server.ctx.sql, fx.eventId)).toEqual(list.body.items);
  });

  it('pages the list with a cursor', async () => {
    const first = await fx.member.get(`${fx.filesPath}?limit=2`);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await fx.member.get(`${fx.filesPath}?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items[0].id).not.toBe(first.body.items[1].id);
    const all = (await fx.member.get(`${fx.filesPath}?limit=200`)).body.items.map((f: { id: string }) => f.id);
    expect(all.slice(0, 4)).toEqual([...first.body.items, ...second.body.items].map((f: { id: string }) => f.id));
  });

  it("another organization's host can neither list, delete nor link this event's files, even under their own event", async () => {
    const up = await upload(fx.member, fx.filesPath, makePng());
    const other = await filesFixture(t);
    expect((await other.member.get(fx.filesPath)).status).toBe(403);
    expect((await other.member.delete(`${fx.filesPath}/${up.body.id}`)).status).toBe(403);
    expect((await other.member.post(`${fx.filesPath}/${up.body.id}/link`)).status).toBe(403);
    // Under their own organization and event, A's file id names nothing.
    for (const res of [await other.member.delete(`${other.filesPath}/${up.body.id}`), await other.member.post(`${other.filesPath}/${up.body.id}/link`)]) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('FILE_NOT_FOUND');
    }
    expect((await other.member.get(other.filesPath)).body.items).toEqual([]);
    expect((await storedRows(t)).files.map((f) => f.id)).toContain(up.body.id);
  });

  it('refuses the 31st file of an event with FILE_LIMIT_REACHED', async () => {
    const own = await filesFixture(t);
    const [{ n }] = await t.server.ctx.sql.query<{ n: number }>('select count(*)::int as n from files where event_id = $1', [own.eventId]);
    for (let i = n; i < 30; i++) expect((await upload(own.member, own.filesPath, makePng(4, 4))).status).toBe(201);
    const res = await upload(own.member, own.filesPath, makePng(4, 4));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'FILE_LIMIT_REACHED', details: { maxFiles: 30 } });
  });

  it("deleting the event removes its files' rows and, right after, their bytes (queued in the same transaction)", async () => {
    const admin = await seedOrg(t, { role: 'admin' });
    const ev = await admin.member.post(`/api/v1/orgs/${admin.orgId}/events`, { type: 'webinar', title: 'Doomed', startsAt: new Date(Date.now() + 86_400_000).toISOString(), durationMinutes: 30, timeZone: 'Europe/Berlin', accessMode: 'open' });
    const path = `/api/v1/orgs/${admin.orgId}/events/${ev.body.id}/files`;
    const ids = [(await upload(admin.member, path, makePng())).body.id, (await upload(admin.member, path, makePdf())).body.id] as FileId[];
    const keys = ids.map((id) => `orgs/${admin.orgId}/files/${id}`);
    expect((await storedBlobs(t)).objects).toEqual(expect.arrayContaining(keys));
    expect((await admin.member.delete(`/api/v1/orgs/${admin.orgId}/events/${ev.body.id}`)).status).toBe(200);
    expect((await storedRows(t)).files.filter((f) => ids.includes(f.id as FileId))).toEqual([]);
    expect((await storedBlobs(t)).objects.filter((k) => keys.includes(k))).toEqual([]);
    expect((await storedRows(t)).deletions.filter((k) => keys.includes(k))).toEqual([]);
    // Nothing is left for housekeeping to do for them.
    expect(await purgeDeletedBlobs(t.server.ctx)).toBe(0);
  });

  it('housekeeping removes an upload a crash cut off hours ago, with its bytes', async () => {
    const id = 'fil_crashedcrashedcrash' as FileId;
    const key = `orgs/${fx.orgId}/files/${id}`;
    await t.server.ctx.blobs.put(key, [Buffer.from('half a file')], { maxBytes: 100 });
    await t.server.ctx.sql.query(
      `insert into files (id, org_id, event_id, purpose, status, name, blob_key, created_at) values ($1, $2, $3, 'slides', 'uploading', 'x.pdf', $4, $5)`,
      [id, fx.orgId, fx.eventId as EventId, key, new Date(Date.now() - 7 * 3_600_000)],
    );
    await housekeeping(t.server.ctx);
    expect((await storedRows(t)).files.map((f) => f.id)).not.toContain(id);
    expect((await storedBlobs(t)).objects).not.toContain(key);
  });

  it('any other route still refuses a body in the upload-only content type', async () => {
    const res = await fx.member.post(`/api/v1/orgs/${fx.orgId}/events`, '{"title":"x"}', { 'content-type': 'application/x-podium-raw-body' });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});
