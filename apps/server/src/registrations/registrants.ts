import {
  PodiumError, type EventId, type JoinRole, type OrgId, type PageOf, type Registration, type RegistrationField, type RegistrationId,
} from '@podium/protocol';
import type { AppContext } from '../context';
import { cursorDate, decodeCursor, pageLimit, slicePage } from '../http/pagination';
import type { SqlRunner } from '../storage/sql';
import { csvRow } from './csv';
import { resetSeatPools } from './seats';

/** A registration as stored. */
export interface RegistrationRow {
  id: RegistrationId;
  event_id: EventId;
  name: string;
  email: string;
  role: JoinRole;
  fields: Record<string, string | boolean>;
  consent_version: number;
  consent_at: Date;
  created_at: Date;
}

const COLUMNS = 'r.id, r.event_id, r.name, r.email, r.role, r.fields, r.consent_version, r.consent_at, r.created_at';

/** Registrations of an event after a (created_at, id) key, oldest first; `limit` rows. */
export async function registrationsAfter(
  db: SqlRunner, eventId: EventId, after: { at: Date; id: string } | null, limit: number,
): Promise<RegistrationRow[]> {
  return db.query<RegistrationRow>(
    `select ${COLUMNS} from registrations r
      where r.event_id = $1 and ($2::timestamptz is null or (r.created_at, r.id) > ($2::timestamptz, $3::text))
      order by r.created_at, r.id limit $4`,
    [eventId, after?.at ?? null, after?.id ?? null, limit],
  );
}

async function eventOfOrg(
  db: SqlRunner, orgId: OrgId, eventId: EventId, forUpdate = false,
): Promise<{ registration_fields: RegistrationField[]; capacity: number | null }> {
  const rows = await db.query<{ registration_fields: RegistrationField[]; capacity: number | null }>(
    `select registration_fields, capacity from events where id = $1 and org_id = $2${forUpdate ? ' for update' : ''}`,
    [eventId, orgId],
  );
  if (!rows[0]) throw new PodiumError('EVENT_NOT_FOUND');
  return rows[0];
}

function toRegistration(r: RegistrationRow): Registration {
  return {
    id: r.id, eventId: r.event_id, name: r.name, email: r.email, role: r.role, fields: r.fields,
    consentVersion: r.consent_version, consentAt: r.consent_at.toISOString(), createdAt: r.created_at.toISOString(),
  };
}

/** One page of an event's registrants, oldest first. */
export async function listRegistrations(
  ctx: AppContext, orgId: OrgId, eventId: EventId, query: { limit?: number; cursor?: string },
): Promise<PageOf<Registration>> {
  await eventOfOrg(ctx.sql, orgId, eventId);
  const limit = pageLimit(query);
  const after = decodeCursor(query.cursor, ['string', 'string'] as const);
  const rows = await registrationsAfter(ctx.sql, eventId, after ? { at: cursorDate(after[0]), id: after[1] } : null, limit + 1);
  return slicePage(rows, limit, (r) => [r.created_at.toISOString(), r.id], toRegistration);
}

const EXPORT_BATCH = 1000;

/** Every registrant as CSV: name, email, registered_at, consent_version, then one column per custom field. */
export async function exportRegistrationsCsv(ctx: AppContext, orgId: OrgId, eventId: EventId): Promise<string> {
  const { registration_fields: fields } = await eventOfOrg(ctx.sql, orgId, eventId);
  // A byte-order mark makes spreadsheet programs read the file as UTF-8 (names with accents).
  const chunks: string[] = ['\uFEFF', csvRow(['name', 'email', 'registered_at', 'consent_version', ...fields.map((f) => f.key)])];
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const rows = await registrationsAfter(ctx.sql, eventId, after, EXPORT_BATCH);
    for (const r of rows) {
      chunks.push(csvRow([r.name, r.email, r.created_at.toISOString(), r.consent_version, ...fields.map((f) => r.fields[f.key] ?? '')]));
    }
    if (rows.length < EXPORT_BATCH) break;
    const last = rows[rows.length - 1];
    after = { at: last.created_at, id: last.id };
  }
  return chunks.join('');
}

/** Removes a registrant: frees their seat, and their join link stops working (join.info finds no registration). */
export async function removeRegistration(ctx: AppContext, orgId: OrgId, eventId: EventId, registrationId: RegistrationId): Promise<void> {
  await ctx.sql.transaction(async (tx) => {
    // Lock the event first, as registering does (FOR SHARE), so the two never wait on each other in
    // opposite order; while we hold it no registration is in flight and the seat count is exact.
    const ev = await eventOfOrg(tx, orgId, eventId, true);
    const gone = await tx.query('delete from registrations where id = $1 and event_id = $2 and org_id = $3 returning id', [registrationId, eventId, orgId]);
    if (!gone.length) throw new PodiumError('REGISTRATION_NOT_FOUND');
    if (ev.capacity !== null) await resetSeatPools(tx, eventId, ev.capacity);
  });
}
