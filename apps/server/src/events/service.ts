import { hash as argon2Hash } from '@node-rs/argon2';
import {
  PodiumError, STATUS_TRANSITIONS, newId,
  type CreateEventBody, type Event, type EventId, type EventStatus, type OrgId, type UpdateEventBody, type UserId, type ValidationIssue,
} from '@podium/protocol';
import type { AppContext } from '../context';
import { purgeDeletedBlobs } from '../files/service';
import type { SqlRunner } from '../storage/sql';
import { emailAsTyped, emailLower } from '../accounts/email-address';
import { fieldDefinitionIssues } from '../registrations/fields';
import { cancelReminders, queueCancellationNotices, rescheduleReminders, scheduleReminders } from '../registrations/reminders';
import { resetSeatPools } from '../registrations/seats';
import { DEFAULT_CONSENT_TEXT } from './consent';
import { isKnownTimeZone } from './time-zone';
import { findEvent, toEventDto, type EventRow } from './store';

function fail(issues: ValidationIssue[]): never {
  throw new PodiumError('VALIDATION_FAILED', undefined, { issues });
}

function checkTimeZone(timeZone: string | undefined, issues: ValidationIssue[]): void {
  if (timeZone !== undefined && !isKnownTimeZone(timeZone)) issues.push({ path: '/body/timeZone', message: 'is not a known IANA time zone' });
}

/** Presenter emails, de-duplicated by their lookup form, in the order given. */
function presenterList(emails: readonly string[]): { email: string; lower: string }[] {
  const seen = new Map<string, string>();
  for (const e of emails) if (!seen.has(emailLower(e))) seen.set(emailLower(e), emailAsTyped(e));
  return [...seen].map(([lower, email]) => ({ email, lower }));
}

async function writePresenters(tx: SqlRunner, eventId: EventId, emails: readonly string[], now: Date): Promise<void> {
  await tx.query('delete from event_presenters where event_id = $1', [eventId]);
  const list = presenterList(emails);
  if (list.length) {
    await tx.query(
      `insert into event_presenters (event_id, email, email_lower, created_at)
       select $1, x->>0, x->>1, $3::timestamptz + (ord - 1) * interval '1 microsecond'
         from jsonb_array_elements($2::jsonb) with ordinality as t(x, ord)`,
      [eventId, JSON.stringify(list.map((p) => [p.email, p.lower])), now],
    );
  }
  // Registrants who became (or stopped being) presenters get the matching role.
  await tx.query(
    `update registrations set role = case when exists (select 1 from event_presenters p where p.event_id = $1 and p.email_lower = registrations.email_lower)
                                       then 'presenter' else 'attendee' end
      where event_id = $1`,
    [eventId],
  );
}

async function mustFind(tx: SqlRunner, orgId: OrgId, eventId: EventId, forUpdate = false): Promise<EventRow> {
  const row = await findEvent(tx, orgId, eventId, forUpdate);
  if (!row) throw new PodiumError('EVENT_NOT_FOUND');
  return row;
}

/** Schedules an event: consent version 1, presenters, reminder jobs, all in one transaction. */
export async function createEvent(ctx: AppContext, orgId: OrgId, body: CreateEventBody, createdBy: UserId | null): Promise<Event> {
  const issues: ValidationIssue[] = [];
  checkTimeZone(body.timeZone, issues);
  if (body.accessMode === 'password' && !body.password) issues.push({ path: '/body/password', message: 'is required when accessMode is password' });
  issues.push(...fieldDefinitionIssues(body.registrationFields ?? []));
  if (issues.length) fail(issues);
  // A password given for another access mode is not stored: only password mode checks one.
  const passwordHash = body.accessMode === 'password' && body.password ? await argon2Hash(body.password) : null;
  const id = newId('event');
  const now = ctx.now();
  const startsAt = new Date(body.startsAt);
  return ctx.sql.transaction(async (tx) => {
    await tx.query(
      `insert into events (id, org_id, type, title, description, agenda, starts_at, duration_minutes, time_zone, capacity,
                           access_mode, password_hash, registration_fields, consent_version, created_by, created_at, updated_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $15, $15)`,
      [id, orgId, body.type, body.title, body.description ?? '', JSON.stringify(body.agenda ?? []), startsAt, body.durationMinutes,
        body.timeZone, body.capacity ?? null, body.accessMode, passwordHash, JSON.stringify(body.registrationFields ?? []), createdBy, now],
    );
    await tx.query('insert into consent_versions (event_id, version, text, created_at) values ($1, 1, $2, $3)', [id, body.consentText ?? DEFAULT_CONSENT_TEXT, now]);
    if (body.presenters?.length) await writePresenters(tx, id, body.presenters, now);
    await resetSeatPools(tx, id, body.capacity ?? null);
    await scheduleReminders(ctx, tx, id, startsAt);
    return toEventDto(await mustFind(tx, orgId, id));
  });
}

/** The event of an organization, or EVENT_NOT_FOUND (also for another organization's event). */
export async function getEvent(ctx: AppContext, orgId: OrgId, eventId: EventId): Promise<Event> {
  return toEventDto(await mustFind(ctx.sql, orgId, eventId));
}

/** Changes an event while it is scheduled or live; a new consent text becomes a new version, a new start moves the reminders. */
export async function updateEvent(ctx: AppContext, orgId: OrgId, eventId: EventId, body: UpdateEventBody): Promise<Event> {
  const issues: ValidationIssue[] = [];
  checkTimeZone(body.timeZone, issues);
  if (body.registrationFields) issues.push(...fieldDefinitionIssues(body.registrationFields));
  if (issues.length) fail(issues);
  // Hash outside the transaction: it is slow and must not hold the event's row lock.
  const newHash = body.password ? await argon2Hash(body.password) : null;
  return ctx.sql.transaction(async (tx) => {
    const cur = await mustFind(tx, orgId, eventId, true);
    if (cur.status !== 'scheduled' && cur.status !== 'live') throw new PodiumError('EVENT_NOT_EDITABLE');
    const accessMode = body.accessMode ?? cur.access_mode;
    const passwordHash = accessMode !== 'password' ? null : newHash ?? cur.password_hash;
    if (accessMode === 'password' && !passwordHash) fail([{ path: '/body/password', message: 'is required when accessMode is password' }]);
    const startsAt = body.startsAt !== undefined ? new Date(body.startsAt) : cur.starts_at;
    const now = ctx.now();
    let consentVersion = cur.consent_version;
    if (body.consentText !== undefined && body.consentText !== cur.consent_text) {
      consentVersion += 1;
      await tx.query('insert into consent_versions (event_id, version, text, created_at) values ($1, $2, $3, $4)', [eventId, consentVersion, body.consentText, now]);
    }
    await tx.query(
      `update events set type = $3, title = $4, description = $5, agenda = $6, starts_at = $7, duration_minutes = $8, time_zone = $9,
                         capacity = $10, access_mode = $11, password_hash = $12, registration_fields = $13, consent_version = $14,
                         revision = revision + 1, updated_at = $15
        where id = $1 and org_id = $2`,
      [eventId, orgId, body.type ?? cur.type, body.title ?? cur.title, body.description ?? cur.description,
        JSON.stringify(body.agenda ?? cur.agenda), startsAt, body.durationMinutes ?? cur.duration_minutes, body.timeZone ?? cur.time_zone,
        body.capacity !== undefined ? body.capacity : cur.capacity, accessMode, passwordHash,
        JSON.stringify(body.registrationFields ?? cur.registration_fields), consentVersion, now],
    );
    if (body.presenters) await writePresenters(tx, eventId, body.presenters, now);
    // Exact: we hold the event FOR UPDATE, so no registration is in flight.
    if (body.capacity !== undefined) await resetSeatPools(tx, eventId, body.capacity);
    if (startsAt.getTime() !== cur.starts_at.getTime() && cur.status === 'scheduled') await rescheduleReminders(ctx, tx, eventId, startsAt);
    return toEventDto(await mustFind(tx, orgId, eventId));
  });
}

/** Moves an event along STATUS_TRANSITIONS; cancelling queues the notices to every registrant. */
export async function changeEventStatus(ctx: AppContext, orgId: OrgId, eventId: EventId, status: EventStatus): Promise<Event> {
  return ctx.sql.transaction(async (tx) => {
    const cur = await mustFind(tx, orgId, eventId, true);
    if (!STATUS_TRANSITIONS[cur.status].includes(status)) {
      throw new PodiumError('INVALID_STATUS_TRANSITION', `An event that is ${cur.status} cannot become ${status}.`, { from: cur.status, to: status });
    }
    await tx.query('update events set status = $3, revision = revision + 1, updated_at = $4 where id = $1 and org_id = $2', [eventId, orgId, status, ctx.now()]);
    // Reminders only make sense before the start: going live, ending or cancelling drops them.
    await cancelReminders(ctx, tx, eventId);
    if (status === 'cancelled') await queueCancellationNotices(ctx, tx, eventId);
    return toEventDto(await mustFind(tx, orgId, eventId));
  });
}

/** Deletes an event with its registrations, invitees and pending reminders. */
export async function deleteEvent(ctx: AppContext, orgId: OrgId, eventId: EventId): Promise<void> {
  await ctx.sql.transaction(async (tx) => {
    const rows = await tx.query('delete from events where id = $1 and org_id = $2 returning id', [eventId, orgId]);
    if (!rows.length) throw new PodiumError('EVENT_NOT_FOUND');
    await cancelReminders(ctx, tx, eventId);
  });
  // The event's files went with it (their bytes were queued for deletion in the same transaction).
  await purgeDeletedBlobs(ctx).catch((err: Error) => ctx.log.warn({ err: { name: err.name } }, 'events: purging deleted files failed'));
}
