// A person who appears in a recording: the export lists the recording (metadata and link), and
// erasure flags it for the host's decision, pseudonymizes the person's track name, and audits it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../testing/sql';
import { startTestServer, type TestServer } from '../testing/server';
import { liveRoomFixture } from '../rooms/testing';
import { seedRecording } from '../recordings/testing';
import { buildExport } from './export';
import { eraseSubject } from './erasure';
import { readZip, zipStream } from './zip';
import { verifyAuditChain } from './audit-log';

describe.each(STORE_KINDS)('recordings and the rights of a person on %s', (store) => {
  let t: TestServer;
  beforeAll(async () => { t = await startTestServer({ store }); });
  afterAll(async () => t?.close());

  it('export lists the recording the person is in; erasure flags it for the host and pseudonymizes their track', async () => {
    const sql = t.server.ctx.sql;
    const room = await liveRoomFixture(t, { live: true });
    const rex = await room.register('Rex Recorded', 'presenter', 'rex@example.org');
    const inRoom = await room.enter(rex.token);
    const other = await room.register('Olive Other', 'attendee', 'olive@example.org');
    const rec = await seedRecording(t.server.ctx, room.org.orgId, room.eventId, { startedAt: new Date(Date.now() - 200) });
    await sql.query(`update recording_tracks set participant_id = $2, display_name = 'Rex Recorded' where id = $1`, [rec.trackId, inRoom.participantId]);

    const { entries } = await buildExport(t.server.ctx, { email: 'rex@example.org' });
    const parts: Buffer[] = [];
    for await (const b of zipStream(entries)) parts.push(b);
    const recordings = JSON.parse(readZip(Buffer.concat(parts)).get('recordings.json')!.toString());
    expect(recordings).toMatchObject([{ id: rec.recordingId, link: expect.stringContaining(`/recordings/${rec.recordingId}`) }]);
    const none = await buildExport(t.server.ctx, { email: other.email });
    const otherParts: Buffer[] = [];
    for await (const b of zipStream(none.entries)) otherParts.push(b);
    expect(JSON.parse(readZip(Buffer.concat(otherParts)).get('recordings.json')!.toString())).toEqual([]);

    const r = await eraseSubject(t.server.ctx, { email: 'rex@example.org', orgId: room.org.orgId as never }, room.org.userId);
    expect(r.recordingsFlagged).toBe(1);
    expect(await sql.query('select recording_id, resolved_at from recording_erasure_flags')).toEqual([{ recording_id: rec.recordingId, resolved_at: null }]);
    expect(await sql.query('select display_name from recording_tracks where id = $1', [rec.trackId])).toEqual([{ display_name: 'Deleted participant' }]);
    const audit = await sql.query<{ action: string }>(`select action from audit_log where subject_ref = $1 order by seq`, [r.subjectRef]);
    expect(audit.map((a) => a.action)).toEqual(['recording.flagged-for-erasure', 'subject.erase']);
    expect((await verifyAuditChain(sql)).ok).toBe(true);

    // The host sees the flag and records the decision.
    const flags = await room.org.member.get(`/api/v1/orgs/${room.org.orgId}/privacy/recording-flags`);
    expect(flags.body).toEqual([{ recordingId: rec.recordingId, eventId: room.eventId, subjectRef: r.subjectRef, flaggedAt: expect.any(String) }]);
    const done = await room.org.member.post(`/api/v1/orgs/${room.org.orgId}/privacy/recording-flags/${rec.recordingId}`, { resolution: 'cut' });
    expect(done.status).toBe(200);
    expect((await room.org.member.get(`/api/v1/orgs/${room.org.orgId}/privacy/recording-flags`)).body).toEqual([]);
    expect(await sql.query('select resolution from recording_erasure_flags')).toEqual([{ resolution: 'cut' }]);
    await room.closeAll();
  });
});
