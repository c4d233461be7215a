import type { EventId } from '@podium/protocol';
import type { AppContext } from '../context';
import type { SqlRunner } from '../storage/sql';

/** Job kind that emails one batch of an event's registrants a reminder. */
export const REMINDER_JOB = 'registrations.reminder';
/** Job kind that emails one batch of a cancelled event's registrants the cancellation notice. */
export const CANCELLATION_JOB = 'registrations.cancellation';

/** Dedupe-key prefix of every reminder job of an event (cancelled together when the event moves). */
export function reminderKeyPrefix(eventId: EventId): string {
  return `reminder:${eventId}:`;
}

/**
 * Dedupe key of one reminder. The start time is part of it: a done job keeps its key, so moving the
 * event after a reminder went out must produce a new key for the new start to be reminded again.
 */
export function reminderKey(eventId: EventId, minutes: number, startsAt: Date): string {
  return `${reminderKeyPrefix(eventId)}${minutes}:${startsAt.getTime()}`;
}

/** Dedupe-key prefix of an event's cancellation notices. */
export function cancellationKeyPrefix(eventId: EventId): string {
  return `cancellation:${eventId}:`;
}

/** Schedules one reminder job per configured lead time, skipping times already past. */
export async function scheduleReminders(ctx: AppContext, tx: SqlRunner, eventId: EventId, startsAt: Date): Promise<number> {
  const now = ctx.now().getTime();
  let scheduled = 0;
  for (const minutes of new Set(ctx.config.reminderMinutes)) {
    const runAt = new Date(startsAt.getTime() - minutes * 60_000);
    if (runAt.getTime() <= now) continue;
    const id = await ctx.jobs.enqueue(
      REMINDER_JOB,
      { eventId, minutes, startsAt: startsAt.toISOString() },
      { runAt, dedupeKey: reminderKey(eventId, minutes, startsAt), maxAttempts: 5 },
      tx,
    );
    if (id) scheduled++;
  }
  return scheduled;
}

/** Removes an event's pending reminders (it moved, started, was cancelled or deleted). */
export async function cancelReminders(ctx: AppContext, tx: SqlRunner, eventId: EventId): Promise<void> {
  await ctx.jobs.cancelByKeyPrefix(reminderKeyPrefix(eventId), tx);
}

/** Replaces an event's pending reminders with ones for its new start. */
export async function rescheduleReminders(ctx: AppContext, tx: SqlRunner, eventId: EventId, startsAt: Date): Promise<void> {
  await cancelReminders(ctx, tx, eventId);
  await scheduleReminders(ctx, tx, eventId, startsAt);
}

/** Queues the cancellation notices of an event (sent in batches by CANCELLATION_JOB). */
export async function queueCancellationNotices(ctx: AppContext, tx: SqlRunner, eventId: EventId): Promise<void> {
  await ctx.jobs.enqueue(CANCELLATION_JOB, { eventId }, { dedupeKey: `${cancellationKeyPrefix(eventId)}start`, maxAttempts: 5 }, tx);
}
