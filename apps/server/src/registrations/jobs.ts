import { isId, type EventId } from '@podium/protocol';
import type { AppContext } from '../context';
import { findEventWithOrg, type EventWithOrgRow } from '../events/store';
import { cancellationEmail, reminderEmail, type EmailContent, type EmailEvent } from './emails';
import { joinTokenExpiry, signJoinToken } from './join-token';
import { registrationsAfter, type RegistrationRow } from './registrants';
import { CANCELLATION_JOB, REMINDER_JOB, cancellationKeyPrefix, reminderKey } from './reminders';

/** Registrants emailed per job run; a full batch queues the next one, so a retry repeats one batch at most. */
export const MAIL_BATCH = 200;

interface Cursor {
  at: string;
  id: string;
}

function cursorOf(payload: Record<string, unknown>): Cursor | null {
  const after = payload.after as Partial<Cursor> | undefined;
  return after && typeof after.at === 'string' && typeof after.id === 'string' ? { at: after.at, id: after.id } : null;
}

function emailEvent(ev: EventWithOrgRow): EmailEvent {
  return { title: ev.title, orgName: ev.org_name, startsAt: ev.starts_at, durationMinutes: ev.duration_minutes, timeZone: ev.time_zone };
}

/**
 * Emails one batch of an event's registrants in one transaction and, when the batch was full,
 * queues the job for the next batch in the same transaction (nobody skipped, nobody twice).
 */
async function mailBatch(
  ctx: AppContext,
  ev: EventWithOrgRow,
  after: Cursor | null,
  build: (reg: RegistrationRow) => EmailContent,
  next: (after: Cursor) => { kind: string; payload: Record<string, unknown>; dedupeKey: string },
): Promise<void> {
  await ctx.sql.transaction(async (tx) => {
    const rows = await registrationsAfter(tx, ev.id, after ? { at: new Date(after.at), id: after.id } : null, MAIL_BATCH);
    for (const reg of rows) await ctx.mailer.send({ orgId: ev.org_id, to: reg.email, ...build(reg) }, tx);
    if (rows.length === MAIL_BATCH) {
      const last = rows[rows.length - 1];
      const n = next({ at: last.created_at.toISOString(), id: last.id });
      await ctx.jobs.enqueue(n.kind, n.payload, { dedupeKey: n.dedupeKey, maxAttempts: 5 }, tx);
    }
  });
}

/** Registers this domain's background job handlers: reminders and cancellation notices. */
export function registerRegistrationJobs(ctx: AppContext): void {
  ctx.jobs.handle(REMINDER_JOB, async (payload) => {
    const { eventId, minutes, startsAt } = payload;
    if (!isId('event', eventId) || typeof minutes !== 'number' || typeof startsAt !== 'string') return;
    const ev = await findEventWithOrg(ctx.sql, eventId as EventId);
    // The event moved, started, ended, was cancelled or deleted: this reminder is void.
    if (!ev || ev.status !== 'scheduled' || ev.starts_at.getTime() !== Date.parse(startsAt)) return;
    const exp = Math.floor(joinTokenExpiry(ev.starts_at, ev.duration_minutes).getTime() / 1000);
    await mailBatch(
      ctx, ev, cursorOf(payload),
      (reg) => {
        const token = signJoinToken(ctx.secrets, { e: ev.id, r: reg.id, role: reg.role, exp });
        return reminderEmail(emailEvent(ev), reg.name, `${ctx.config.publicUrl}/join/${token}`, minutes);
      },
      (after) => ({
        kind: REMINDER_JOB,
        payload: { eventId, minutes, startsAt, after },
        dedupeKey: `${reminderKey(ev.id, minutes, ev.starts_at)}:${after.id}`,
      }),
    );
  });

  ctx.jobs.handle(CANCELLATION_JOB, async (payload) => {
    const { eventId } = payload;
    if (!isId('event', eventId)) return;
    const ev = await findEventWithOrg(ctx.sql, eventId as EventId);
    if (!ev || ev.status !== 'cancelled') return;
    await mailBatch(
      ctx, ev, cursorOf(payload),
      (reg) => cancellationEmail(emailEvent(ev), reg.name),
      (after) => ({ kind: CANCELLATION_JOB, payload: { eventId, after }, dedupeKey: `${cancellationKeyPrefix(ev.id)}${after.id}` }),
    );
  });
}
