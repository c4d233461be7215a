/**
 * Retention: how long each data class lives, per organization (privacy_retention) over the
 * installation's defaults, and the purge that enforces it — a durable job that runs every hour
 * (one job row per hour slot, so it survives restarts and runs once across a cluster).
 */
import type { AppContext } from '../context';
import type { Config } from '../config/schema';
import type { Sql } from '../storage/sql';
import { RETENTION_CLASSES, type RetentionClass } from './data-map';
import { appendAudit, purgeAuditBefore } from './audit-log';

/** Days each class is kept unless the organization says otherwise, when no configuration is at hand. */
export const DEFAULT_RETENTION_DAYS: Readonly<Record<RetentionClass, number>> = {
  registrations: 365,
  chat: 180,
  attendance: 365,
  recordings: 90,
  ip_addresses: 7,
  audit_log: 730,
};

/** The settings retention reads (docs/configuration.md). */
export type RetentionConfig = Pick<Config, 'retentionRegistrationsDays' | 'retentionChatDays' | 'retentionAttendanceDays' | 'retentionIpDays' | 'retentionAuditLogDays' | 'recordingRetentionDays'>;

/** Emails in the outbox are kept this long (days), whatever the organization. */
export const MAIL_RETENTION_DAYS = 90;

/** The job kind of the purge. */
export const RETENTION_JOB = 'privacy.retention';

const DAY = 86_400_000;

/** The installation's defaults from configuration (recordings: recordingRetentionDays; 0 there means "until deleted by hand"). */
export function retentionDefaults(config?: RetentionConfig): Record<RetentionClass, number> {
  if (!config) return { ...DEFAULT_RETENTION_DAYS };
  return {
    registrations: config.retentionRegistrationsDays,
    chat: config.retentionChatDays,
    attendance: config.retentionAttendanceDays,
    recordings: config.recordingRetentionDays || 36_500,
    ip_addresses: config.retentionIpDays,
    audit_log: config.retentionAuditLogDays,
  };
}

/** An organization's retention: its own settings over the defaults. */
export async function orgRetention(sql: Pick<Sql, 'query'>, orgId: string, config?: RetentionConfig): Promise<Record<RetentionClass, number>> {
  const rows = await sql.query<{ data_class: RetentionClass; days: number }>('select data_class, days from privacy_retention where org_id = $1', [orgId]);
  return { ...retentionDefaults(config), ...Object.fromEntries(rows.map((r) => [r.data_class, r.days])) };
}

/** Sets some of an organization's retention periods. */
export async function setOrgRetention(sql: Sql, orgId: string, days: Partial<Record<RetentionClass, number>>, actor: string, now: Date, config?: RetentionConfig): Promise<Record<RetentionClass, number>> {
  await sql.transaction(async (tx) => {
    // Only the known classes: a body may carry fields the schema lets through and we ignore.
    for (const cls of RETENTION_CLASSES) {
      const d = days[cls];
      if (typeof d !== 'number') continue;
      await tx.query(
        `insert into privacy_retention (org_id, data_class, days, updated_at) values ($1, $2, $3, $4)
         on conflict (org_id, data_class) do update set days = excluded.days, updated_at = excluded.updated_at`,
        [orgId, cls, d, now],
      );
    }
    const settings = Object.fromEntries(RETENTION_CLASSES.filter((c) => typeof days[c] === 'number').map((c) => [c, days[c]]));
    await appendAudit(tx, { orgId, actor, action: 'retention.set', details: { settings } }, now);
  });
  return orgRetention(sql, orgId, config);
}

/**
 * One purge over every organization; returns rows removed (or cleared) by class. Each class is
 * its own statement per organization, so a big backlog is worked off without one huge transaction.
 */
export async function runRetention(d: { sql: Sql; now(): Date; config?: RetentionConfig }): Promise<Record<string, number>> {
  const now = d.now().getTime();
  const before = (days: number) => new Date(now - days * DAY).toISOString();
  const done: Record<string, number> = {};
  const add = (k: string, n: number) => { if (n) done[k] = (done[k] ?? 0) + n; };
  const count = async (text: string, params: unknown[]) =>
    Number((await d.sql.query<{ n: number }>(`with x as (${text} returning 1) select count(*)::int as n from x`, params))[0]?.n ?? 0);
  const orgs = await d.sql.query<{ id: string }>('select id from organizations order by id');
  for (const { id } of orgs) {
    const r = await orgRetention(d.sql, id, d.config);
    // Data of an event counts from the event's end.
    const ended = `select id from events where org_id = $1 and starts_at + make_interval(mins => duration_minutes) < $2`;
    add('ip_addresses', await count('update registrations set ip_prefix = null where org_id = $1 and ip_prefix is not null and created_at < $2', [id, before(r.ip_addresses)]));
    add('chat', await count(`delete from room_chat_messages where event_id in (${ended}) and sent_at < $2`, [id, before(r.chat)]));
    add('chat', await count(`delete from room_questions where event_id in (${ended}) and asked_at < $2`, [id, before(r.chat)]));
    add('attendance', await count(`delete from room_attendance where event_id in (${ended}) and joined_at < $2`, [id, before(r.attendance)]));
    add('registrations', await count(`delete from consent_records where event_id in (${ended}) and accepted_at < $2`, [id, before(r.registrations)]));
    add('registrations', await count(`delete from registrations where event_id in (${ended}) and created_at < $2`, [id, before(r.registrations)]));
    // Recordings expire through their own expires_at (recordings/retention.ts), not here.
  }
  add('mail', await count('delete from mail_outbox where created_at < $1', [before(MAIL_RETENTION_DAYS)]));
  add('privacy_requests', await count('delete from privacy_requests where expires_at < $1', [new Date(now).toISOString()]));
  add('audit_log', await purgeAuditBefore(d.sql, new Date(now - retentionDefaults(d.config).audit_log * DAY), d.now()));
  if (Object.keys(done).length) await appendAudit(d.sql, { orgId: null, actor: 'system', action: 'retention.purge', details: { removed: done } }, d.now());
  return done;
}

function slot(at: Date): string {
  return at.toISOString().slice(0, 13);
}

/** Registers the hourly purge: each run queues the next hour's, and start-up queues the current one. */
export function registerPrivacyRetentionJob(ctx: AppContext): void {
  const queueNext = async (from: Date) => {
    const next = new Date(Math.floor(from.getTime() / 3_600_000) * 3_600_000 + 3_600_000);
    await ctx.jobs.enqueue(RETENTION_JOB, {}, { runAt: next, dedupeKey: `${RETENTION_JOB}:${slot(next)}`, maxAttempts: 3 });
  };
  ctx.jobs.handle(RETENTION_JOB, async () => {
    const removed = await runRetention(ctx);
    ctx.log.info({ removed }, 'privacy: retention purge');
    await queueNext(ctx.now());
  });
  if (ctx.config.jobs) {
    void ctx.jobs.enqueue(RETENTION_JOB, {}, { runAt: ctx.now(), dedupeKey: `${RETENTION_JOB}:${slot(ctx.now())}`, maxAttempts: 3 })
      .catch((err: Error) => ctx.log.warn({ err: { name: err.name } }, 'privacy: retention job not queued'));
  }
}
