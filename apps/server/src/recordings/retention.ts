/**
 * Retention of recordings: a recording expires `days` after it started — the organization's own
 * retention for recordings (privacy settings) when it set one, else `recordingRetentionDays` from
 * the configuration — unless a host set a date on it. A durable job runs every hour (it queues
 * its next run itself, so it survives restarts): it warns the event's hosts `recordingWarnDays`
 * before the deletion, then deletes expired recordings' blobs and marks them `expired`.
 */
import type { EventId, OrgId, RecordingId } from '@podium/protocol';
import { simpleHtml } from '../accounts/emails';
import type { AppContext } from '../context';
import { recordingPrefix, tracksOf, updateRecording } from './store';

/** The retention job's kind. */
export const RETENTION_JOB = 'recordings.retention';
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const BATCH = 100;

/** Days the organization keeps recordings (0: until deleted by hand). */
export async function retentionDays(ctx: AppContext, orgId: OrgId): Promise<number> {
  // The privacy settings' table (migration 006) may not exist in every schema; its value wins when it does.
  const [t] = await ctx.sql.query<{ t: string | null }>(`select to_regclass('privacy_retention')::text as t`);
  if (t?.t) {
    const [row] = await ctx.sql.query<{ days: number | null }>(`select days from privacy_retention where org_id = $1 and data_class = 'recordings'`, [orgId]);
    if (row && row.days !== null && row.days !== undefined) return Number(row.days);
  }
  return ctx.config.recordingRetentionDays;
}

/** When a recording of `orgId` started at `startedAt` expires by default (null: never). */
export async function expiryFor(ctx: AppContext, orgId: OrgId, startedAt: Date): Promise<Date | null> {
  const days = await retentionDays(ctx, orgId);
  return days > 0 ? new Date(startedAt.getTime() + days * DAY_MS) : null;
}

/** Queues the retention run of the current hour (idempotent; call at start-up). */
export async function scheduleRetention(ctx: AppContext, at: Date = ctx.now()): Promise<void> {
  const slot = new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
  await ctx.jobs.enqueue(RETENTION_JOB, {}, { runAt: at, dedupeKey: `${RETENTION_JOB}:${slot.toISOString()}` });
}

/** What one retention run did. */
export interface RetentionResult {
  warned: number;
  expired: number;
}

/** Warns of coming deletions and deletes expired recordings (see file comment). */
export async function runRetention(ctx: AppContext): Promise<RetentionResult> {
  const now = ctx.now();
  let warned = 0;
  let expired = 0;
  const warnDays = ctx.config.recordingWarnDays;
  if (warnDays > 0) {
    const due = await ctx.sql.query<{ id: RecordingId; org_id: OrgId; event_id: EventId; title: string; expires_at: Date; started_by: string | null; created_by: string | null }>(
      `select r.id, r.org_id, r.event_id, e.title, r.expires_at, r.started_by, e.created_by from recordings r join events e on e.id = r.event_id
        where r.status in ('ready', 'failed') and r.warned_at is null and r.expires_at is not null and r.expires_at > $1 and r.expires_at <= $2
        order by r.expires_at limit $3`,
      [now, new Date(now.getTime() + warnDays * DAY_MS), BATCH],
    );
    for (const r of due) {
      for (const to of await hostEmails(ctx, r.org_id, [r.created_by, r.started_by])) {
        const days = Math.max(1, Math.ceil((r.expires_at.getTime() - now.getTime()) / DAY_MS));
        const link = `${ctx.config.publicUrl}/orgs/${r.org_id}/events/${r.event_id}`;
        const body = `The recording of "${r.title}" will be deleted on ${r.expires_at.toISOString().slice(0, 10)} (in ${days} day${days === 1 ? '' : 's'}), as your organization's retention says.`;
        const how = 'Download it before then, or change its retention on the event page.';
        await ctx.mailer.send({
          orgId: r.org_id, to, subject: `Recording of ${r.title} will be deleted in ${days} day${days === 1 ? '' : 's'}`,
          text: `Hello,\n\n${body}\n${how}\n\n${link}\n`,
          html: simpleHtml({ paragraphs: ['Hello,', body, how], action: { label: 'Open the event', url: link }, note: 'You receive this because you host this event.' }),
        });
      }
      await updateRecording(ctx.sql, r.id, { warned_at: now });
      warned++;
    }
  }
  const gone = await ctx.sql.query<{ id: RecordingId; org_id: OrgId; timeline_key: string | null; mp4_key: string | null }>(
    `select id, org_id, timeline_key, mp4_key from recordings where status in ('ready', 'failed') and expires_at is not null and expires_at <= $1 order by expires_at limit $2`,
    [now, BATCH],
  );
  for (const r of gone) {
    await deleteRecordingBlobs(ctx, r.org_id, r.id, [r.timeline_key, r.mp4_key]);
    await ctx.sql.query(`update recording_tracks set blob_key = null where recording_id = $1`, [r.id]);
    await updateRecording(ctx.sql, r.id, { status: 'expired', timeline_key: null, mp4_key: null, mp4_size: null, publish_nonce: null, publish_expires_at: null });
    expired++;
  }
  if (expired || warned) ctx.log.info({ expired, warned }, 'recordings: retention ran');
  return { warned, expired };
}

/** Deletes every stored object of a recording (tracks, timeline, MP4, and anything else under its prefix). */
export async function deleteRecordingBlobs(ctx: AppContext, orgId: OrgId, id: RecordingId, keys: (string | null)[]): Promise<void> {
  const tracks = await tracksOf(ctx.sql, [id]);
  const all = new Set([...keys, ...tracks.map((t) => t.blob_key)].filter((k): k is string => !!k));
  for await (const b of ctx.blobs.list(recordingPrefix(orgId, id))) all.add(b.key);
  for (const k of all) await ctx.blobs.delete(k);
}

/** Email addresses of the event's hosts: its creator and who started the recording, else the organization's admins and owners. */
async function hostEmails(ctx: AppContext, orgId: OrgId, userIds: (string | null)[]): Promise<string[]> {
  const ids = userIds.filter((u): u is string => !!u && u.startsWith('usr_'));
  const direct = ids.length
    ? await ctx.sql.query<{ email: string }>(`select distinct u.email from users u join memberships m on m.user_id = u.id and m.org_id = $2 where u.id = any($1::text[])`, [ids, orgId])
    : [];
  if (direct.length) return direct.map((r) => r.email);
  const admins = await ctx.sql.query<{ email: string }>(`select u.email from users u join memberships m on m.user_id = u.id where m.org_id = $1 and m.role in ('admin', 'owner') order by u.email`, [orgId]);
  return admins.map((r) => r.email);
}

/** Registers the retention job: each run queues the next one an hour later. */
export function registerRecordingRetentionJob(ctx: AppContext): void {
  ctx.jobs.handle(RETENTION_JOB, async () => {
    await runRetention(ctx);
    await scheduleRetention(ctx, new Date(ctx.now().getTime() + HOUR_MS));
  });
}
