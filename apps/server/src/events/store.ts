import type {
  AccessMode, AgendaItem, Event, EventId, EventStatus, EventType, OrgId, PublicEvent, RegistrationField,
} from '@podium/protocol';
import type { SqlRunner } from '../storage/sql';
import { SEATS_LEFT_SQL } from '../registrations/seats';

/** An event as stored, with its current consent text and presenters. */
export interface EventRow {
  id: EventId;
  org_id: OrgId;
  type: EventType;
  title: string;
  description: string;
  agenda: AgendaItem[];
  starts_at: Date;
  duration_minutes: number;
  time_zone: string;
  capacity: number | null;
  access_mode: AccessMode;
  password_hash: string | null;
  status: EventStatus;
  registration_fields: RegistrationField[];
  consent_version: number;
  consent_text: string;
  presenters: string[];
  /** Registrations, counted for host views; null where not counted (public page, jobs). */
  registered_count: number | null;
  /** Free seats (null without a capacity). */
  seats_left: number | null;
  revision: number;
  created_at: Date;
  updated_at: Date;
}

/** An event row plus its organization's name (public page, emails). */
export interface EventWithOrgRow extends EventRow {
  org_name: string;
}

/**
 * One statement: the consent text, presenters and free seats come along, no second round trip.
 * Host views also count the registrations; the public page only needs the free seats.
 */
function selectEvent(withCount: boolean): string {
  const count = withCount ? '(select count(*)::int from registrations r where r.event_id = e.id)' : 'null::int';
  return `
  select e.id, e.org_id, e.type, e.title, e.description, e.agenda, e.starts_at, e.duration_minutes, e.time_zone,
         e.capacity, e.access_mode, e.password_hash, e.status, e.registration_fields, e.consent_version,
         ${count} as registered_count, ${SEATS_LEFT_SQL} as seats_left, e.revision, e.created_at, e.updated_at,
         coalesce(cv.text, '') as consent_text,
         coalesce((select json_agg(p.email order by p.created_at, p.email_lower) from event_presenters p where p.event_id = e.id), '[]'::json) as presenters
    from events e
    left join consent_versions cv on cv.event_id = e.id and cv.version = e.consent_version`;
}
const SELECT_EVENT = selectEvent(true);
const SELECT_EVENT_PUBLIC = selectEvent(false);

/** The event of `orgId` (tenant-scoped), locked for update when asked; null when absent or of another org. */
export async function findEvent(db: SqlRunner, orgId: OrgId, eventId: EventId, forUpdate = false): Promise<EventRow | null> {
  if (forUpdate) {
    // Lock the event row alone (a join would lock the consent row too, and `for update` refuses aggregates).
    const locked = await db.query('select 1 from events where id = $1 and org_id = $2 for update', [eventId, orgId]);
    if (!locked.length) return null;
  }
  const rows = await db.query<EventRow>(`${SELECT_EVENT} where e.id = $1 and e.org_id = $2`, [eventId, orgId]);
  return rows[0] ?? null;
}

/** Any organization's event by id, with the organization's name (public routes, jobs); registrations are not counted. */
export async function findEventWithOrg(db: SqlRunner, eventId: EventId): Promise<EventWithOrgRow | null> {
  const rows = await db.query<EventWithOrgRow>(
    `select x.*, o.name as org_name from (${SELECT_EVENT_PUBLIC} where e.id = $1) x join organizations o on o.id = x.org_id`,
    [eventId],
  );
  return rows[0] ?? null;
}

/** Which events a list shows. */
export type EventWhen = 'upcoming' | 'past' | 'all';

// An event is past once it ended or its planned end has gone by; everything else is upcoming.
const PAST = (nowParam: string) => `(e.status = 'ended' or e.starts_at + e.duration_minutes * interval '1 minute' <= ${nowParam})`;

/**
 * One page of an organization's events: upcoming by start time, past most recent first, all by
 * start time. Keyset pagination on (starts_at, id); fetches `limit + 1` rows.
 */
export async function listEventRows(
  db: SqlRunner, orgId: OrgId, when: EventWhen, now: Date, after: { startsAt: Date; id: string } | null, limit: number,
): Promise<EventRow[]> {
  const params: unknown[] = [orgId];
  const p = (v: unknown) => `$${params.push(v)}`;
  const desc = when === 'past';
  let where = 'e.org_id = $1';
  if (when === 'past') where += ` and ${PAST(p(now))}`;
  if (when === 'upcoming') where += ` and not ${PAST(p(now))}`;
  if (after) where += ` and (e.starts_at, e.id) ${desc ? '<' : '>'} (${p(after.startsAt)}::timestamptz, ${p(after.id)}::text)`;
  const order = desc ? 'e.starts_at desc, e.id desc' : 'e.starts_at, e.id';
  return db.query<EventRow>(`${SELECT_EVENT} where ${where} order by ${order} limit ${p(limit + 1)}`, params);
}

/** The API form of an event (never the password hash). */
export function toEventDto(row: EventRow): Event {
  return {
    id: row.id,
    orgId: row.org_id,
    type: row.type,
    title: row.title,
    description: row.description,
    agenda: row.agenda,
    startsAt: row.starts_at.toISOString(),
    durationMinutes: row.duration_minutes,
    timeZone: row.time_zone,
    capacity: row.capacity,
    accessMode: row.access_mode,
    hasPassword: row.password_hash !== null,
    status: row.status,
    registrationFields: row.registration_fields,
    consentText: row.consent_text,
    consentVersion: row.consent_version,
    presenters: row.presenters,
    registeredCount: row.registered_count ?? 0,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** True while people may still register: scheduled or live. */
export function acceptsRegistrations(status: EventStatus): boolean {
  return status === 'scheduled' || status === 'live';
}

/** What anyone with the link sees of an event. */
export function toPublicEvent(row: EventWithOrgRow): PublicEvent {
  const spotsLeft = row.capacity === null ? null : row.seats_left ?? 0;
  return {
    id: row.id,
    orgName: row.org_name,
    type: row.type,
    title: row.title,
    description: row.description,
    agenda: row.agenda,
    startsAt: row.starts_at.toISOString(),
    durationMinutes: row.duration_minutes,
    timeZone: row.time_zone,
    accessMode: row.access_mode,
    status: row.status,
    registrationFields: row.registration_fields,
    consentText: row.consent_text,
    consentVersion: row.consent_version,
    capacity: row.capacity,
    spotsLeft,
    registrationOpen: acceptsRegistrations(row.status) && spotsLeft !== 0,
  };
}

/** When the event is planned to end. */
export function eventEnd(row: Pick<EventRow, 'starts_at' | 'duration_minutes'>): Date {
  return new Date(row.starts_at.getTime() + row.duration_minutes * 60_000);
}
