import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { loadConfig } from '../config/load';
import { createServer } from '../server';
import { secretsFromKey } from '../security/secrets';
import { migrate } from '../storage/migrate';
import { openPgliteSql } from '../storage/pglite-sql';
import { openPostgresSql } from '../storage/postgres-sql';
import type { Sql } from '../storage/sql';
import { TestClient } from '../testing/client';
import { STORE_KINDS, TEST_DATABASE_URL, type StoreKind } from '../testing/sql';
import { startTestServer, type TestServer } from '../testing/server';
import { eventBody, outboxTo, seedOrg, type SeededOrg } from '../events/testing';
import { MAIL_BATCH } from './jobs';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe.each(STORE_KINDS)('reminders and cancellation notices (%s)', (store) => {
  let t: TestServer;
  let org: SeededOrg;
  beforeAll(async () => {
    t = await startTestServer({ store });
    org = await seedOrg(t, { name: 'Alpha Foundation' });
  });
  afterAll(async () => t.close());

  const events = () => `/api/v1/orgs/${org.orgId}/events`;
  const register = (eventId: string, email: string, name = 'Rita Registrant') =>
    t.client().post(`/api/v1/public/events/${eventId}/registrations`, { name, email, consentVersion: 1, consentAccepted: true });
  const pendingReminders = async (eventId: string) =>
    (await t.server.ctx.sql.query<{ run_at: Date }>(
      'select run_at from jobs where dedupe_key like $1 and done_at is null order by run_at', [`reminder:${eventId}:%`],
    )).map((j) => j.run_at.toISOString());
  const reminders = async (to: string) => (await outboxTo(t, to)).filter((m) => m.subject.startsWith('Reminder:'));

  it('creating an event schedules one reminder per configured lead time (1440 and 60 min), skipping times already past', async () => {
    const ev = (await org.member.post(events(), eventBody(t, {}, 72))).body;
    const start = Date.parse(ev.startsAt);
    expect(await pendingReminders(ev.id)).toEqual([new Date(start - 1440 * MIN).toISOString(), new Date(start - 60 * MIN).toISOString()]);
    const soon = (await org.member.post(events(), eventBody(t, {}, 2))).body;
    expect(await pendingReminders(soon.id)).toEqual([new Date(Date.parse(soon.startsAt) - 60 * MIN).toISOString()]);
  });

  it('moving the start reschedules the reminders; runDue after the clock passes them emails each registrant their own link', async () => {
    const ev = (await org.member.post(events(), eventBody(t, { title: 'Moved webinar' }, 72))).body;
    const newStart = new Date(t.server.ctx.now().getTime() + 96 * HOUR);
    const moved = await org.member.patch(`${events()}/${ev.id}`, { startsAt: newStart.toISOString() });
    expect(moved.status).toBe(200);
    expect(await pendingReminders(ev.id)).toEqual([
      new Date(newStart.getTime() - 1440 * MIN).toISOString(), new Date(newStart.getTime() - 60 * MIN).toISOString(),
    ]);
    expect((await register(ev.id, 'r1@example.test', 'Rita One')).status).toBe(201);
    expect((await register(ev.id, 'r2@example.test', 'Rita Two')).status).toBe(201);

    // The old 1-day reminder time (start was +72 h) passes: nothing is sent.
    t.advance(48 * HOUR + MIN);
    await t.server.ctx.jobs.runDue();
    expect(await reminders('r1@example.test')).toHaveLength(0);

    t.advance(24 * HOUR);
    await t.server.ctx.jobs.runDue();
    const [r1] = await reminders('r1@example.test');
    expect(r1.subject).toBe('Reminder: Moved webinar starts tomorrow');
    expect(r1.text_body).toContain('Hello Rita One');
    const token1 = /\/join\/([A-Za-z0-9_.-]+)/.exec(r1.text_body)![1];
    const info = await t.client().get(`/api/v1/join?token=${token1}`);
    expect(info.body).toMatchObject({ name: 'Rita One', role: 'attendee', event: { id: ev.id } });
    const [r2] = await reminders('r2@example.test');
    expect(/\/join\/([A-Za-z0-9_.-]+)/.exec(r2.text_body)![1]).not.toBe(token1);

    t.advance(23 * HOUR);
    await t.server.ctx.jobs.runDue();
    expect((await reminders('r1@example.test')).map((m) => m.subject).sort()).toEqual([
      'Reminder: Moved webinar starts in 1 hour', 'Reminder: Moved webinar starts tomorrow',
    ]);
  });

  it('a due reminder for an event that moved behind its back, or went live, sends nothing', async () => {
    const ev = (await org.member.post(events(), eventBody(t, {}, 30))).body;
    expect((await register(ev.id, 'skip@example.test')).status).toBe(201);
    await t.server.ctx.sql.query("update events set starts_at = starts_at + interval '1 day' where id = $1", [ev.id]);
    const live = (await org.member.post(events(), eventBody(t, {}, 30))).body;
    expect((await register(live.id, 'skip-live@example.test')).status).toBe(201);
    await org.member.post(`${events()}/${live.id}/status`, { status: 'live' });
    expect(await pendingReminders(live.id)).toEqual([]);
    t.advance(30 * HOUR);
    await t.server.ctx.jobs.runDue();
    expect(await reminders('skip@example.test')).toHaveLength(0);
    expect(await reminders('skip-live@example.test')).toHaveLength(0);
  });

  it('cancelling emails every registrant a cancellation notice, in batches, and drops the reminders', async () => {
    const ev = (await org.member.post(events(), eventBody(t, { title: 'Doomed' }, 48))).body;
    expect((await register(ev.id, 'c1@example.test', 'Carl')).status).toBe(201);
    // Enough more registrants for a second batch, written straight to the store to keep the test quick.
    await t.server.ctx.sql.query(
      `insert into registrations (id, event_id, org_id, email, email_lower, name, consent_version, consent_at, created_at)
       select 'reg_' || lpad(g::text, 20, '0'), $1, $2, 'bulk' || g || '@example.test', 'bulk' || g || '@example.test', 'Bulk ' || g, 1, $3, $3
         from generate_series(1, $4::int) g`,
      [ev.id, org.orgId, new Date(t.server.ctx.now().getTime() + 1000), MAIL_BATCH],
    );
    const res = await org.member.post(`${events()}/${ev.id}/status`, { status: 'cancelled' });
    expect(res.body.status).toBe('cancelled');
    expect(await pendingReminders(ev.id)).toEqual([]);
    await t.server.ctx.jobs.runDue();
    await t.server.ctx.jobs.runDue();
    const [notice] = (await outboxTo(t, 'c1@example.test')).filter((m) => m.subject === 'Cancelled: Doomed');
    expect(notice.text_body).toContain('Hello Carl');
    const sent = await t.server.ctx.sql.query<{ n: number }>(
      "select count(distinct to_address)::int as n from mail_outbox where subject = 'Cancelled: Doomed'");
    expect(sent[0].n).toBe(MAIL_BATCH + 1);
    const total = await t.server.ctx.sql.query<{ n: number }>("select count(*)::int as n from mail_outbox where subject = 'Cancelled: Doomed'");
    expect(total[0].n).toBe(MAIL_BATCH + 1);
  });
});

/** A store that outlives one server: a PGlite data directory or a PostgreSQL schema. */
function durableStore(kind: StoreKind): { open(): Promise<Sql>; drop(): Promise<void> } {
  if (kind === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'podium-reminders-'));
    return {
      async open() {
        const sql = await openPgliteSql(dir);
        await migrate(sql);
        return sql;
      },
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  return {
    async open() {
      const sql = await openPostgresSql(TEST_DATABASE_URL, { schema, max: 4 });
      await migrate(sql);
      return sql;
    },
    async drop() {
      const sql = await openPostgresSql(TEST_DATABASE_URL);
      await sql.exec(`drop schema if exists ${schema} cascade`);
      await sql.close();
    },
  };
}

/** A real server over an already open store, with a shared movable clock (like startTestServer). */
async function startOn(sql: Sql, clock: { offset: number }): Promise<TestServer> {
  const config = loadConfig({}, {
    port: 0, host: '127.0.0.1', dataDir: '/nonexistent-podium-test-dir', logLevel: 'silent', jobs: false,
    webDir: '/nonexistent-podium-web-dir', authRateLimitPerMinute: 10_000,
  });
  const server = await createServer(config, {
    sql, log: pino({ level: 'silent' }), secrets: secretsFromKey('test-secret-test-secret-test-secret-0123'),
    now: () => new Date(Date.now() + clock.offset),
  });
  const url = await server.listen();
  config.publicUrl = url;
  return {
    server, url,
    client: () => new TestClient(url),
    advance: (ms: number) => { clock.offset += ms; },
    async close() {
      await server.close();
      await sql.close();
    },
  };
}

describe.each(STORE_KINDS)('reminders survive a restart (%s)', (store) => {
  it('a reminder scheduled by one server is sent by a new server on the same store', async () => {
    const durable = durableStore(store);
    const clock = { offset: 0 };
    try {
      const first = await startOn(await durable.open(), clock);
      const org = await seedOrg(first);
      const ev = (await org.member.post(`/api/v1/orgs/${org.orgId}/events`, eventBody(first, { title: 'Durable' }, 72))).body;
      const reg = await first.client().post(`/api/v1/public/events/${ev.id}/registrations`, {
        name: 'Dora', email: 'dora@example.test', consentVersion: 1, consentAccepted: true,
      });
      expect(reg.status).toBe(201);
      await first.close();

      const second = await startOn(await durable.open(), clock);
      try {
        second.advance(71 * HOUR + MIN);
        await second.server.ctx.jobs.runDue();
        const mails = (await outboxTo(second, 'dora@example.test')).filter((m) => m.subject.startsWith('Reminder:'));
        expect(mails.map((m) => m.subject).sort()).toEqual(['Reminder: Durable starts in 1 hour', 'Reminder: Durable starts tomorrow']);
        const token = /\/join\/([A-Za-z0-9_.-]+)/.exec(mails[0].text_body)![1];
        expect((await second.client().get(`/api/v1/join?token=${token}`)).body.name).toBe('Dora');
      } finally {
        await second.close();
      }
    } finally {
      await durable.drop();
    }
  }, 120_000);
});
