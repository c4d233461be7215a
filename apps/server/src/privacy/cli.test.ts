// The operator's privacy commands over a real store: the Art. 30 record, audit verify after
// tampering, the breach report, export to a file and erasure, the retention purge.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../cli/args';
import { EXIT, runCli } from '../cli/run';
import type { CliIo } from '../cli/prompt';
import { STORE_KINDS } from '../testing/sql';
import { startTestServer, type TestServer } from '../testing/server';
import { buildPrivacyWorld, type PrivacyWorld } from './testing';
import { privacyCommand } from './cli';
import { appendAudit } from './audit-log';
import { readZip } from './zip';
import { runRetention } from './retention';

function io(): CliIo & { out(): string; err(): string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (d) => (o += d));
  stderr.on('data', (d) => (e += d));
  return { env: {}, stdin: process.stdin, stdout, stderr, out: () => o, err: () => e };
}

describe('privacy record-of-processing (no store needed)', () => {
  it('prints the Art. 30 record as Markdown and as JSON', async () => {
    const a = io();
    expect(await runCli(['privacy', 'record-of-processing'], a)).toBe(EXIT.ok);
    expect(a.out()).toMatch(/^# Record of processing activities \(GDPR Art\. 30\)/);
    expect(a.out()).toContain('| sql | registrations |');
    const b = io();
    expect(await runCli(['privacy', 'record-of-processing', '--format', 'json'], b)).toBe(EXIT.ok);
    expect(JSON.parse(b.out()).map((x: { name: string }) => x.name)).toContain('room_chat_messages');
    const c = io();
    expect(await runCli(['privacy', 'record-of-processing', '--format', 'xml'], c)).toBe(EXIT.usage);
  });
});

describe.each(STORE_KINDS)('privacy commands on %s', (store) => {
  let t: TestServer;
  let w: PrivacyWorld;
  const run = async (argv: string[]) => {
    const a = io();
    const args = parseArgs(argv, new Set(['force', 'yes']));
    const ctx = t.server.ctx;
    let failure: Error | undefined;
    await privacyCommand(args.positionals, args, a, { sql: ctx.sql, secrets: ctx.secrets, blobs: ctx.blobs, config: ctx.config, now: ctx.now }).catch((err: Error) => (failure = err));
    return { out: a.out(), failure };
  };
  beforeAll(async () => {
    t = await startTestServer({ store, config: { trustProxy: true, signalHeartbeatMs: 1_000 } });
    w = await buildPrivacyWorld(t);
    await w.room.closeAll();
  }, 120_000);
  afterAll(async () => t?.close());

  it('privacy audit verify passes, then reports the row changed in the database', async () => {
    for (let i = 0; i < 5; i++) await appendAudit(t.server.ctx.sql, { orgId: w.orgId, actor: 'usr_x', action: 'registrants.read', details: { i } });
    expect((await run(['audit', 'verify'])).out).toMatch(/The audit log holds: \d+ rows/);
    const sql = t.server.ctx.sql;
    const [{ seq }] = await sql.query<{ seq: string }>('select seq from audit_log order by seq limit 1 offset 2');
    await sql.exec('alter table audit_log disable trigger audit_log_no_change');
    await sql.query(`update audit_log set actor = 'usr_someone_else' where seq = $1`, [seq]);
    await sql.exec('alter table audit_log enable trigger audit_log_no_change');
    const r = await run(['audit', 'verify']);
    expect(r.failure?.message).toMatch(new RegExp(`broken at row ${seq}: the row was changed`));
    // Put it back for the other tests.
    await sql.exec('alter table audit_log disable trigger audit_log_no_change');
    await sql.query(`update audit_log set actor = 'usr_x' where seq = $1`, [seq]);
    await sql.exec('alter table audit_log enable trigger audit_log_no_change');
    expect((await run(['audit', 'verify'])).failure).toBeUndefined();
  });

  it('privacy audit export prints one JSON row a line, of one organization', async () => {
    const r = await run(['audit', 'export', '--org', w.orgId]);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l: { orgId: string }) => l.orgId === w.orgId)).toBe(true);
  });

  it('privacy breach lists the people whose data of a class was held in the window', async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const chat = JSON.parse((await run(['breach', '--from', from, '--to', to, '--class', 'chat', '--format', 'json'])).out);
    expect(chat.affected.map((s: { email: string }) => s.email)).toEqual(expect.arrayContaining([w.marta.email, w.bob.email]));
    const mdRun = await run(['breach', '--from', from, '--to', to, '--class', 'registrations', '--org', w.orgId]);
    expect(mdRun.failure).toBeUndefined();
    const md = mdRun.out;
    expect(md).toContain(`| ${w.marta.email} | ${w.orgId} | registrations |`);
    const before = JSON.parse((await run(['breach', '--from', '2020-01-01T00:00:00Z', '--to', '2020-01-02T00:00:00Z', '--class', 'all', '--format', 'json'])).out);
    expect(before.affected).toEqual([]);
    expect((await run(['breach', '--from', 'yesterday', '--to', to, '--class', 'chat'])).failure?.message).toMatch(/not a time/);
  });

  it('privacy export writes the ZIP; privacy erase needs --yes and then erases', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'podium-export-')), 'bob.zip');
    expect((await run(['export', '--email', w.bob.email, '--out', file])).out).toContain(file);
    const regs = JSON.parse(readZip(readFileSync(file)).get('registrations.json')!.toString());
    expect(regs.map((r: { id: string }) => r.id)).toEqual([w.bob.registrationId]);
    expect((await run(['erase', '--email', w.bob.email])).failure?.message).toMatch(/--yes/);
    const erased = await run(['erase', '--email', w.bob.email, '--yes']);
    expect(erased.out).toMatch(/Erased bob\.brown@example\.net \(audit reference sub_[0-9a-f]{32}\)/);
    expect(await t.server.ctx.sql.query('select 1 from registrations where email_lower = $1', [w.bob.email])).toEqual([]);
    expect((await run(['audit', 'verify'])).failure).toBeUndefined();
  });

  it('privacy erase refuses to delete the account of an organization\'s only owner (LAST_OWNER) and changes nothing', async () => {
    const [owner] = await t.server.ctx.sql.query<{ email: string }>('select email from users where id = $1', [w.room.org.userId]);
    const r = await run(['erase', '--email', owner.email, '--yes']);
    expect(r.failure).toMatchObject({ code: 'LAST_OWNER' });
    expect(await t.server.ctx.sql.query('select 1 from users where id = $1', [w.room.org.userId])).toHaveLength(1);
  });

  it('the retention purge clears IP prefixes after the short window and old chat after the organization\'s period', async () => {
    const sql = t.server.ctx.sql;
    const now = () => new Date(Date.now() + 8 * 86_400_000);
    const first = await runRetention({ sql, now });
    expect(first.ip_addresses).toBeGreaterThanOrEqual(1);
    expect(await sql.query(`select 1 from registrations where event_id = $1 and ip_prefix is not null`, [w.eventId])).toEqual([]);
    expect(Number((await sql.query<{ n: number }>('select count(*)::int as n from room_chat_messages where event_id = $1', [w.eventId]))[0].n)).toBeGreaterThan(0);
    await sql.query(`insert into privacy_retention (org_id, data_class, days) values ($1, 'chat', 1)`, [w.orgId]);
    // The event (72 h from now, 60 min) has ended 8 days on: its chat is past the one day the organization keeps it.
    await sql.query(`update events set starts_at = now() - interval '1 day' where id = $1`, [w.eventId]);
    const second = await runRetention({ sql, now });
    expect(second.chat).toBeGreaterThanOrEqual(4);
    expect(await sql.query('select 1 from room_chat_messages where event_id = $1', [w.eventId])).toEqual([]);
    expect((await run(['audit', 'verify'])).failure).toBeUndefined();
  });
});
