// Recordings without media: publishing and the token's reach, deletion, retention (warning, then
// deletion of every object, carried by a durable job across a restart), and an MP4 job on a server
// without ffmpeg.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Recording, RecordingPublication } from '@podium/protocol';
import { loadConfig } from '../config/load';
import { createServer, type PodiumServer } from '../server';
import { secretsFromKey } from '../security/secrets';
import { openTestSql } from '../testing/sql';
import { startTestServer, type TestServer } from '../testing/server';
import { TestClient } from '../testing/client';
import { seedOrg, type SeededOrg } from '../events/testing';
import { liveRoomFixture } from '../rooms/testing';
import { seedRecording } from './testing';
import { FFMPEG_MISSING, MP4_JOB, composeMp4, findFfmpeg } from './mp4-job';
import { RETENTION_JOB } from './retention';

const DAY = 86_400_000;

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('recordings through the REST API', () => {
  let t: TestServer;
  let org: SeededOrg;
  let eventId: string;

  beforeAll(async () => {
    t = await startTestServer({ config: { ffmpegPath: '/nonexistent/ffmpeg' } });
    const room = await liveRoomFixture(t);
    org = room.org;
    eventId = room.eventId;
  });
  afterAll(async () => t?.close());

  const base = () => `/api/v1/orgs/${org.orgId}/recordings`;

  it('publish makes a link whose token opens the public routes; a wrong, revoked or expired token gets RECORDING_LINK_INVALID', async () => {
    const rec = await seedRecording(t.server.ctx, org.orgId, eventId);
    const anon = t.client();
    // Not published yet by the host (the seed's own token is replaced by publishing).
    const pub = await org.member.post(`${base()}/${rec.recordingId}/publish`, {});
    expect(pub.status).toBe(200);
    const link = pub.body as RecordingPublication;
    expect(link.url).toContain(`/recordings/${rec.recordingId}?token=${link.token}`);
    expect(link.expiresAt).toBeNull();
    const got = await anon.get(`/api/v1/recordings/${rec.recordingId}?token=${link.token}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ id: rec.recordingId, status: 'ready', published: null });
    expect((await anon.get(`/api/v1/recordings/${rec.recordingId}/timeline?token=${link.token}`)).status).toBe(200);
    const track = await anon.get(`/api/v1/recordings/${rec.recordingId}/tracks/${rec.trackId}/content?token=${link.token}`);
    expect(track.status).toBe(200);
    // The seed's token (an earlier publication) stopped working when the host published anew.
    expect((await anon.get(`/api/v1/recordings/${rec.recordingId}?token=${rec.token}`)).body.code).toBe('RECORDING_LINK_INVALID');
    expect((await anon.get(`/api/v1/recordings/${rec.recordingId}?token=${'x'.repeat(43)}`)).body.code).toBe('RECORDING_LINK_INVALID');
    // Another recording's id with this token: refused too.
    const other = await seedRecording(t.server.ctx, org.orgId, eventId);
    expect((await anon.get(`/api/v1/recordings/${other.recordingId}?token=${link.token}`)).status).toBe(403);
    expect((await org.member.request('DELETE', `${base()}/${rec.recordingId}/publish`)).status).toBe(200);
    expect((await anon.get(`/api/v1/recordings/${rec.recordingId}?token=${link.token}`)).status).toBe(403);
    // A link with an expiry stops at it.
    const expiring = (await org.member.post(`${base()}/${rec.recordingId}/publish`, { expiresAt: new Date(Date.now() + DAY).toISOString() })).body as RecordingPublication;
    expect((await anon.get(`/api/v1/recordings/${rec.recordingId}/mp4?token=${expiring.token}`)).status).toBe(200);
    t.advance(DAY + 1000);
    try {
      expect((await anon.get(`/api/v1/recordings/${rec.recordingId}/mp4?token=${expiring.token}`)).body.code).toBe('RECORDING_LINK_INVALID');
    } finally {
      t.advance(-(DAY + 1000));
    }
    // Hosts see the publication; the public never sees a token in the recording.
    const hostView = (await org.member.get(`${base()}/${rec.recordingId}`)).body as Recording;
    expect(hostView.published?.token).toBe(expiring.token);
  });

  it('deleting a recording removes every object it stored', async () => {
    const rec = await seedRecording(t.server.ctx, org.orgId, eventId);
    for (const k of rec.keys) expect(await t.server.ctx.blobs.stat(k)).not.toBeNull();
    expect((await org.member.request('DELETE', `${base()}/${rec.recordingId}`)).status).toBe(200);
    for (const k of rec.keys) expect(await t.server.ctx.blobs.stat(k)).toBeNull();
    expect((await org.member.get(`${base()}/${rec.recordingId}`)).body.code).toBe('RECORDING_NOT_FOUND');
  });

  it('without ffmpeg the MP4 fails plainly ("MP4 needs ffmpeg, which is not installed"), is not retried, and can be asked for again', async () => {
    expect(await findFfmpeg('/nonexistent/ffmpeg')).toBeNull();
    expect(await findFfmpeg('', '/nonexistent-a:/nonexistent-b', null)).toBeNull();
    const rec = await seedRecording(t.server.ctx, org.orgId, eventId);
    const composed = await org.member.post(`${base()}/${rec.recordingId}/mp4`, {});
    expect(composed.status).toBe(202);
    expect(composed.body.mp4).toMatchObject({ status: 'pending' });
    await t.server.ctx.jobs.runDue();
    const after = (await org.member.get(`${base()}/${rec.recordingId}`)).body as Recording;
    expect(after.mp4).toMatchObject({ status: 'failed', error: FFMPEG_MISSING });
    expect((await org.member.get(`${base()}/${rec.recordingId}/mp4`)).body).toMatchObject({ code: 'RECORDING_NOT_READY', message: FFMPEG_MISSING });
    const jobs = await t.server.ctx.sql.query<{ attempts: number; done_at: Date | null }>(`select attempts, done_at from jobs where kind = $1 and payload->>'recordingId' = $2`, [MP4_JOB, rec.recordingId]);
    expect(jobs).toEqual([{ attempts: 1, done_at: expect.any(Date) }]);
    // The function itself, too, says it plainly rather than throwing.
    await expect(composeMp4(t.server.ctx, rec.recordingId, 1, 3)).resolves.toBeUndefined();
  });

  it('with autoRecord the room records from going live, everyone (the lobby too) is told, and ending the event stops and stores it', async () => {
    const room = await liveRoomFixture(t, { org });
    expect((await org.member.request('PATCH', `/api/v1/orgs/${org.orgId}/events/${room.eventId}/room-settings`, { autoRecord: true })).status).toBe(200);
    const host = await room.host();
    // In a recorded event attendees agree to the recording before they enter.
    await expect(room.attendee('Nope')).rejects.toMatchObject({ reply: { code: 'RECORDING_CONSENT_REQUIRED' } });
    const ada = await room.attendee('Ada', 'attendee', { agreeToRecording: true });
    expect(host.joined.room.state?.recording).toBeUndefined();
    await room.setStatus('live');
    await waitFor(() => ada.client.received.some((m) => m.type === 'recording' && m.active));
    const late = await room.attendee('Late', 'attendee', { agreeToRecording: true });
    expect(late.joined.room.state?.recording).toMatchObject({ active: true });
    // An attendee cannot stop it; a host can, and may not stop twice.
    expect((await ada.ask({ type: 'recording-stop' })).type === 'error').toBe(true);
    await host.ask({ type: 'chat-send', text: 'Welcome, everyone', to: 'everyone' });
    // A board stroke (a Yjs update) and a burst of pointer moves.
    const doc = new Y.Doc();
    doc.getMap('strokes').set('s1', 'a stroke on slide 1');
    const update = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');
    expect((await host.ask({ type: 'doc-update', doc: 'board', update })).type).toBe('ack');
    for (let i = 0; i < 20; i++) await host.ask({ type: 'pointer', x: i / 20, y: 0.5, visible: true });
    await host.ask({ type: 'pointer', x: 0.5, y: 0.5, visible: false });
    await room.setStatus('ended');
    await waitFor(() => ada.client.received.some((m) => m.type === 'recording' && !m.active));
    const list = (await org.member.get(`/api/v1/orgs/${org.orgId}/events/${room.eventId}/recordings`)).body.items as Recording[];
    expect(list).toHaveLength(1);
    await t.server.recordings.finalized(list[0].id);
    const rec = (await org.member.get(`${base()}/${list[0].id}`)).body as Recording;
    expect(rec).toMatchObject({ status: 'ready', tracks: [], eventId: room.eventId });
    const timeline = (await org.member.get(`${base()}/${rec.id}/timeline`)).body;
    const types = timeline.entries.map((e: { type: string }) => e.type) as string[];
    expect(types).toEqual(expect.arrayContaining(['initial', 'chat', 'doc-update']));
    expect(timeline.entries.find((e: { type: string }) => e.type === 'doc-update')).toMatchObject({ doc: 'board', update });
    // Pointer moves are thinned out (at most 10 a second per presenter), the hiding always kept.
    const pointers = timeline.entries.filter((e: { type: string }) => e.type === 'pointer');
    expect(pointers.length).toBeLessThan(21);
    expect(pointers.at(-1)).toMatchObject({ visible: false });
    await room.closeAll();
  });

  it('retention can be set per recording: a date, kept forever, or the organization default', async () => {
    const rec = await seedRecording(t.server.ctx, org.orgId, eventId);
    const at = '2031-05-01T00:00:00.000Z';
    expect(((await org.member.request('PUT', `${base()}/${rec.recordingId}/retention`, { expiresAt: at })).body as Recording).expiresAt).toBe(at);
    expect(((await org.member.request('PUT', `${base()}/${rec.recordingId}/retention`, { expiresAt: null })).body as Recording).expiresAt).toBeNull();
    const byDefault = (await org.member.request('PUT', `${base()}/${rec.recordingId}/retention`, { expiresAt: 'default' })).body as Recording;
    expect(new Date(byDefault.expiresAt!).getTime() - new Date(byDefault.startedAt).getTime()).toBe(90 * DAY);
  });
});

describe('retention of recordings across a restart', () => {
  it('warns the hosts before, then deletes expired recordings\' objects and marks them expired — by the hourly durable job, also after a restart', async () => {
    const sql = await openTestSql('pglite');
    const blobDir = mkdtempSync(join(tmpdir(), 'podium-rec-retention-'));
    let offset = 0;
    const config = loadConfig({}, {
      port: 0, host: '127.0.0.1', dataDir: '/nonexistent-podium-test-dir', logLevel: 'silent', jobs: false, webDir: '/nonexistent-podium-web-dir',
      mediaEnabled: false, blobDir, storageMasterKeys: [`test:${Buffer.alloc(32, 7).toString('base64')}`], recordingRetentionDays: 30, recordingWarnDays: 7,
    } as never);
    const open = () => createServer(config, { sql, log: pino({ level: 'silent' }), secrets: secretsFromKey('test-secret-test-secret-test-secret-0123'), now: () => new Date(Date.now() + offset) });
    let server: PodiumServer | undefined = await open();
    try {
      const ctx = server.ctx;
      // seedOrg makes HTTP clients it does not use here: a client of a URL nobody listens on will do.
      const fakeT = { server, client: () => new TestClient('http://127.0.0.1:9') } as unknown as TestServer;
      const org = await seedOrg(fakeT);
      const [event] = await sql.query<{ id: string }>(
        `insert into events (id, org_id, type, title, starts_at, duration_minutes, time_zone, access_mode, created_by) values ('evt_retention000000000001', $1, 'webinar', 'Quarterly review', now(), 60, 'UTC', 'open', $2) returning id`,
        [org.orgId, org.userId],
      );
      const now = ctx.now().getTime();
      const soon = await seedRecording(ctx, org.orgId, event.id, { startedAt: new Date(now - 25 * DAY), expiresAt: new Date(now + 5 * DAY) });
      const later = await seedRecording(ctx, org.orgId, event.id, { startedAt: new Date(now), expiresAt: new Date(now + 30 * DAY) });
      const kept = await seedRecording(ctx, org.orgId, event.id, { startedAt: new Date(now - 400 * DAY), expiresAt: null });
      const queued = await sql.query<{ kind: string }>(`select kind from jobs where kind = $1 and done_at is null`, [RETENTION_JOB]);
      expect(queued.length).toBeGreaterThanOrEqual(1);

      // First run: the recording expiring in 5 days is announced to the event's host, nothing is deleted.
      await ctx.jobs.runDue();
      const mail = await sql.query<{ subject: string; text_body: string }>(`select subject, text_body from mail_outbox where subject like 'Recording of%'`);
      expect(mail).toHaveLength(1);
      expect(mail[0].subject).toBe('Recording of Quarterly review will be deleted in 5 days');
      for (const k of soon.keys) expect(await ctx.blobs.stat(k)).not.toBeNull();

      // A recording that was running when the server stopped cannot be finished: the next start marks it failed.
      const [orphan] = await sql.query<{ id: string }>(
        `insert into recordings (id, org_id, event_id, status, started_at, created_at) values ('rec_orphan00000000000001', $1, $2, 'recording', now(), now()) returning id`, [org.orgId, event.id],
      );
      // The server stops; six days later another one starts on the same database.
      await server.close();
      server = undefined;
      offset = 6 * DAY;
      server = await open();
      await server.ctx.jobs.runDue();
      const rows = await sql.query<{ id: string; status: string; timeline_key: string | null }>(`select id, status, timeline_key from recordings order by started_at`);
      expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({ [kept.recordingId]: 'ready', [soon.recordingId]: 'expired', [later.recordingId]: 'ready', [orphan.id]: 'failed' });
      for (const k of soon.keys) expect(await server.ctx.blobs.stat(k)).toBeNull();
      for (const k of later.keys) expect(await server.ctx.blobs.stat(k)).not.toBeNull();
      expect(rows.find((r) => r.id === soon.recordingId)?.timeline_key).toBeNull();
      // One warning only, and the next run is queued.
      expect(await sql.query(`select 1 from mail_outbox where subject like 'Recording of%'`)).toHaveLength(1);
      expect((await sql.query(`select 1 from jobs where kind = $1 and done_at is null`, [RETENTION_JOB])).length).toBeGreaterThanOrEqual(1);
    } finally {
      await server?.close();
      await sql.close();
      rmSync(blobDir, { recursive: true, force: true });
    }
  }, 120_000);
});
