// Right to erasure, shown end to end: an organization filled through the real API and real room
// connections, the subject erased, then the whole database (every table; pg_dump too on
// PostgreSQL) and every blob searched for the subject's email, name and IP address — nowhere —
// while the other attendee's data is intact and the aggregates still add up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../testing/sql';
import { startTestServer, type TestServer } from '../testing/server';
import { buildPrivacyWorld, type PrivacyWorld } from './testing';
import { dumpBlobs, dumpTables, occurrences, pgDump } from './dump';
import { eraseSubject } from './erasure';
import { verifyAuditChain } from './audit-log';
import { subjectRef } from './subjects';

interface Aggregates {
  registrations: number;
  attendanceRows: number;
  attendees: number;
  chat: number;
  questions: number;
  questionVotes: number;
  questionVoteCounter: number;
  pollTotals: Record<string, number>;
}

async function aggregates(t: TestServer, w: PrivacyWorld): Promise<Aggregates> {
  const q = <R>(text: string) => t.server.ctx.sql.query<R>(text, [w.eventId]);
  const one = async (text: string) => Number((await q<{ n: number }>(text))[0].n);
  const votes = await q<{ choice: number[] }>('select v.choice from room_poll_votes v join room_polls p on p.id = v.poll_id where p.event_id = $1');
  const pollTotals: Record<string, number> = {};
  for (const v of votes) for (const c of v.choice) pollTotals[c] = (pollTotals[c] ?? 0) + 1;
  return {
    registrations: await one('select count(*)::int as n from registrations where event_id = $1'),
    attendanceRows: await one('select count(*)::int as n from room_attendance where event_id = $1'),
    attendees: await one('select count(distinct person_id)::int as n from room_attendance where event_id = $1'),
    chat: await one('select count(*)::int as n from room_chat_messages where event_id = $1'),
    questions: await one('select count(*)::int as n from room_questions where event_id = $1'),
    questionVotes: await one('select count(*)::int as n from room_question_votes v join room_questions q on q.id = v.question_id where q.event_id = $1'),
    questionVoteCounter: await one('select coalesce(sum(votes), 0)::int as n from room_questions where event_id = $1'),
    pollTotals,
  };
}

describe.each(STORE_KINDS)('erasure on %s', (store) => {
  let t: TestServer;
  let w: PrivacyWorld;
  beforeAll(async () => {
    t = await startTestServer({ store, config: { trustProxy: true, signalHeartbeatMs: 1_000 } });
    w = await buildPrivacyWorld(t);
  }, 120_000);
  afterAll(async () => {
    await w?.room.closeAll();
    await t?.close();
  });

  it('eraseSubject() leaves the email, name and IP of the person nowhere in the database or the blobs, keeps the aggregates and the other person', async () => {
    const sql = t.server.ctx.sql;
    const m = w.marta;
    const needles = [m.email, m.name, 'Kowalska', m.ip, '203.0.113.'];
    // The world holds the person everywhere before.
    const before = await dumpTables(sql);
    expect(occurrences(before, [m.email], 'before').length).toBeGreaterThan(3);
    expect(before).toContain('203.0.113.0/24');
    const [outboxBefore] = await sql.query<{ n: number }>('select count(*)::int as n from mail_outbox where lower(to_address) = $1', [m.email]);
    expect(outboxBefore.n).toBeGreaterThanOrEqual(1);
    const aggBefore = await aggregates(t, w);
    expect(aggBefore).toMatchObject({ registrations: 2, attendees: 3, chat: 4, questions: 2, questionVotes: 2, questionVoteCounter: 2, pollTotals: { 0: 1, 1: 1 } });

    const result = await eraseSubject(t.server.ctx, { email: 'MARTA.kowalska@example.org' }, 'usr_operator');
    expect(result.found).toBe(true);
    expect(result.liveRooms).toBe(1);

    const after = await dumpTables(sql);
    const dump = await pgDump(sql);
    const blobs = dumpBlobs(t.server.ctx.config.blobDir);
    expect(blobs.files).toBeGreaterThan(0);
    expect([
      ...occurrences(after, needles, 'table'),
      ...(dump === null ? [] : occurrences(dump, needles, 'pg_dump')),
      ...occurrences(blobs.text, needles, 'blob'),
    ]).toEqual([]);
    if (store === 'postgres') expect(dump, 'pg_dump is installed on the test machine').not.toBeNull();

    // Aggregates add up as before, without the person.
    expect(await aggregates(t, w)).toEqual(aggBefore);
    // The other attendee is untouched.
    expect(after).toContain(w.bob.email);
    expect(after).toContain('Welcome Deleted participant! Bob here.');
    expect(after).toContain('198.51.100.0/24');
    const [bobReg] = await sql.query<{ name: string; email: string }>('select name, email from registrations where id = $1', [w.bob.registrationId]);
    expect(bobReg).toEqual({ name: w.bob.name, email: w.bob.email });
    // Her registration is a pseudonymous shell; her account and sessions are gone, the file stays the organization's.
    const [reg] = await sql.query<{ name: string; email: string; ip_prefix: string | null; fields: unknown }>('select name, email, ip_prefix, fields from registrations where id = $1', [m.registrationId]);
    expect(reg).toMatchObject({ name: 'Deleted participant', ip_prefix: null, fields: {} });
    expect(reg.email).toMatch(/^erased-[0-9a-f]{20}@erased\.invalid$/);
    expect(await sql.query('select 1 from users where id = $1', [m.userId])).toEqual([]);
    expect(await sql.query('select 1 from sessions where user_id = $1', [m.userId])).toEqual([]);
    expect(await sql.query<{ uploaded_by: string | null }>('select uploaded_by from files where id = $1', [m.fileId])).toEqual([{ uploaded_by: null }]);
    // The person's ids are gone from the room tables (random tokens instead).
    const ids = [m.registrationId, m.userId];
    for (const [table, col] of [['room_attendance', 'person_id'], ['room_chat_messages', 'from_person'], ['room_chat_messages', 'to_person'], ['room_questions', 'person_id'], ['room_question_votes', 'person_id'], ['room_poll_votes', 'person_id'], ['event_audit', 'actor_person']]) {
      expect(await sql.query(`select 1 from ${table} where ${col} = any($1::text[])`, [ids]), `${table}.${col}`).toEqual([]);
    }
    expect(await sql.query(`select 1 from room_attendance where person_id like 'erased\\_%'`)).toHaveLength(1);
    // Erasure is audited under the pseudonymous reference, and the chain holds.
    const [audit] = await sql.query<{ action: string; subject_ref: string }>(`select action, subject_ref from audit_log where action = 'subject.erase'`);
    expect(audit.subject_ref).toBe(subjectRef(t.server.ctx.secrets, m.email));
    expect((await verifyAuditChain(sql)).ok).toBe(true);
  });

  it('the live room removed the erased person, took their messages off the screens and holds nothing of them in memory', async () => {
    const left = await w.host.client.waitFor((msg) => msg.type === 'participant-left' && msg.participantId === w.marta.inRoom.participantId, 5_000);
    expect(left).toMatchObject({ type: 'participant-left' });
    expect(await w.marta.inRoom.client.waitFor((msg) => msg.type === 'removed', 5_000)).toMatchObject({ reason: 'removed' });
    for (const id of w.marta.chatIds) await w.host.client.waitFor((msg) => msg.type === 'chat-deleted' && msg.messageId === id, 5_000);
    // Someone joining now gets the room's state from memory: nothing of her there.
    const late = await w.room.attendee('Lena Late');
    const state = JSON.stringify(late.joined.room);
    for (const needle of [w.marta.name, 'Kowalska', w.marta.email]) expect(state).not.toContain(needle);
    const hostAgain = await w.room.host();
    const hostState = JSON.stringify(hostAgain.joined.room);
    for (const needle of [w.marta.name, 'Kowalska', w.marta.email]) expect(hostState).not.toContain(needle);
    expect(hostState).toContain('Bob asks');
  });
});
