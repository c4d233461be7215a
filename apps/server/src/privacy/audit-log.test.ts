// The audit log's chain against tampering done directly in the database, on both stores.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestSql, STORE_KINDS } from '../testing/sql';
import type { Sql } from '../storage/sql';
import { appendAudit, purgeAuditBefore, verifyAuditChain } from './audit-log';

async function fill(sql: Sql, n: number, at = (i: number) => new Date(Date.UTC(2026, 0, 1, 0, i))): Promise<void> {
  for (let i = 1; i <= n; i++) {
    await appendAudit(sql, { orgId: 'org_aaaaaaaaaaaaaaaaaaaa', actor: 'usr_bbbbbbbbbbbbbbbbbbbb', action: 'registrants.read', subjectRef: `evt_${i}`, details: { count: i, z: 1, a: [2, 1] } }, at(i));
  }
}

/** Tampering needs the append-only trigger out of the way, as a database superuser could. */
async function tamper(sql: Sql, statement: string): Promise<void> {
  await sql.exec('alter table audit_log disable trigger audit_log_no_change');
  await sql.query(statement);
  await sql.exec('alter table audit_log enable trigger audit_log_no_change');
}

describe.each(STORE_KINDS)('audit log on %s', (store) => {
  let sql: Sql;
  beforeEach(async () => { sql = await openTestSql(store); });
  afterEach(async () => sql?.close());

  it('verify() passes on an untouched chain', async () => {
    await fill(sql, 12);
    expect(await verifyAuditChain(sql)).toEqual({ ok: true, rows: 12 });
  });

  it('refuses UPDATE and DELETE through the append-only trigger', async () => {
    await fill(sql, 2);
    await expect(sql.query(`update audit_log set actor = 'x' where seq = 1`)).rejects.toThrow(/append-only/);
    await expect(sql.query('delete from audit_log where seq = 1')).rejects.toThrow(/append-only/);
  });

  it('verify() reports the row whose fields were modified in the database', async () => {
    await fill(sql, 10);
    await tamper(sql, `update audit_log set details = '{"count": 99}' where seq = 6`);
    const v = await verifyAuditChain(sql);
    expect(v.ok).toBe(false);
    expect(v.broken).toEqual({ seq: 6, reason: expect.stringMatching(/changed/) });
  });

  it('verify() reports a row whose hash was recomputed but no longer links on', async () => {
    await fill(sql, 5);
    await tamper(sql, `update audit_log set hash = repeat('a', 64) where seq = 3`);
    const v = await verifyAuditChain(sql);
    expect(v.broken?.seq).toBe(3);
  });

  it('verify() reports a row deleted from the middle', async () => {
    await fill(sql, 8);
    await tamper(sql, 'delete from audit_log where seq = 4');
    const v = await verifyAuditChain(sql);
    expect(v.ok).toBe(false);
    expect(v.broken).toEqual({ seq: 4, reason: expect.stringMatching(/missing/) });
  });

  it('verify() reports a prefix deleted without a checkpoint', async () => {
    await fill(sql, 6);
    await tamper(sql, 'delete from audit_log where seq <= 2');
    expect((await verifyAuditChain(sql)).broken).toEqual({ seq: 2, reason: expect.stringMatching(/no checkpoint/) });
  });

  it('retention purges a whole old prefix behind a checkpoint row and verify() still passes', async () => {
    await fill(sql, 10);
    const removed = await purgeAuditBefore(sql, new Date(Date.UTC(2026, 0, 1, 0, 6)), new Date(Date.UTC(2026, 0, 2)));
    expect(removed).toBe(5);
    expect(await verifyAuditChain(sql)).toEqual({ ok: true, rows: 6 });
    await fill(sql, 3, (i) => new Date(Date.UTC(2026, 0, 3, 0, i)));
    expect(await purgeAuditBefore(sql, new Date(Date.UTC(2026, 0, 2, 12)), new Date(Date.UTC(2026, 0, 4)))).toBe(6);
    expect(await verifyAuditChain(sql)).toEqual({ ok: true, rows: 4 });
    const seqs = await sql.query<{ seq: string }>('select seq from audit_log order by seq');
    expect(seqs.map((r) => Number(r.seq))).toEqual([12, 13, 14, 15]);
  });
});
