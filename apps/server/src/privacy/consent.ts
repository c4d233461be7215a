/**
 * Consent by kind (registration, recording, marketing): versioned texts per organization or
 * event, acceptances with time and version, withdrawal. A registration's own consent stays where
 * the registration flow writes it (registrations.consent_version / consent_at, consent_versions);
 * the other kinds live in consent_texts / consent_records.
 */
import { PodiumError, type ConsentKind, type EventId, type OrgId } from '@podium/protocol';
import type { AppContext } from '../context';
import type { SqlRunner } from '../storage/sql';
import { readJoinToken } from '../registrations/join-token';
import { appendAudit } from './audit-log';

/** The text of a consent kind for an event (the event's own, else the organization's), newest version. */
export async function currentConsentText(db: SqlRunner, orgId: OrgId | string, eventId: EventId | string | null, kind: ConsentKind): Promise<{ version: number; text: string } | null> {
  const [row] = await db.query<{ version: number; text: string }>(
    `select version, text from consent_texts where org_id = $1 and kind = $3 and (event_id = $2 or event_id is null)
      order by (event_id is null), version desc limit 1`,
    [orgId, eventId, kind],
  );
  return row ?? null;
}

/** Default recording consent, when the organization wrote none. */
export const DEFAULT_RECORDING_CONSENT =
  'This event is recorded. By joining you agree that your voice, video, name and what you write in the chat and Q&A may be part of the recording, kept as the organizer\'s retention says.';

/** Adds a new version of a consent text; returns its version. */
export async function addConsentText(db: SqlRunner, orgId: string, eventId: string | null, kind: ConsentKind, text: string): Promise<number> {
  const [row] = await db.query<{ version: number }>(
    `insert into consent_texts (org_id, event_id, kind, version, text)
     select $1, $2, $3, coalesce(max(version), 0) + 1, $4 from consent_texts where org_id = $1 and coalesce(event_id, '') = coalesce($2, '') and kind = $3
     returning version`,
    [orgId, eventId, kind, text],
  );
  return row.version;
}

/** Stores one acceptance (time and version). */
export async function recordConsent(db: SqlRunner, c: { orgId: string; eventId: string | null; personId: string; kind: ConsentKind; version: number; at: Date }): Promise<void> {
  await db.query(
    'insert into consent_records (org_id, event_id, person_id, kind, version, accepted_at) values ($1, $2, $3, $4, $5, $6)',
    [c.orgId, c.eventId, c.personId, c.kind, c.version, c.at],
  );
}

/** Withdraws the join token holder's consent of `kind` for its event (recorded and audited). */
export async function withdrawConsentByToken(ctx: AppContext, token: string, kind: ConsentKind): Promise<void> {
  // A withdrawal stays possible after the event: the link's expiry does not matter here, its signature does.
  const claims = readJoinToken(ctx.secrets, token);
  const [ev] = await ctx.sql.query<{ org_id: string }>('select org_id from events where id = $1', [claims.e]);
  if (!ev) throw new PodiumError('TOKEN_INVALID');
  const now = ctx.now();
  await ctx.sql.transaction(async (tx) => {
    const updated = await tx.query(
      `update consent_records set withdrawn_at = $4 where person_id = $1 and event_id = $2 and kind = $3 and withdrawn_at is null returning 1`,
      [claims.r, claims.e, kind, now],
    );
    if (!updated.length) {
      // Nothing given under this kind yet (e.g. the registration's own consent): the withdrawal is recorded anyway.
      await tx.query(
        'insert into consent_records (org_id, event_id, person_id, kind, version, accepted_at, withdrawn_at) values ($1, $2, $3, $4, 0, $5, $5)',
        [ev.org_id, claims.e, claims.r, kind, now],
      );
    }
    await appendAudit(tx, { orgId: ev.org_id, actor: claims.r, action: 'consent.withdraw', subjectRef: claims.r, details: { eventId: claims.e, kind } }, now);
  });
}

/** Whether an event records (auto-record on, or a recording running now): one query. */
export async function eventRecords(db: SqlRunner, eventId: string): Promise<boolean> {
  const [row] = await db.query<{ on: boolean }>(
    `select exists (select 1 from event_rooms where event_id = $1 and (settings->>'autoRecord')::boolean)
         or exists (select 1 from recordings where event_id = $1 and status = 'recording') as on`,
    [eventId],
  );
  return !!row?.on;
}

/** The current recording consent text of an event, and whether this person accepted that version (and did not withdraw it). */
async function recordingConsentGiven(db: SqlRunner, orgId: string, eventId: string, personId: string): Promise<{ consentText: string; consentVersion: number; accepted: boolean }> {
  const current = await currentConsentText(db, orgId, eventId, 'recording');
  const version = current?.version ?? 0;
  const [given] = await db.query(
    `select 1 from consent_records where person_id = $1 and event_id = $2 and kind = 'recording' and version = $3 and withdrawn_at is null limit 1`,
    [personId, eventId, version],
  );
  return { consentText: current?.text ?? DEFAULT_RECORDING_CONSENT, consentVersion: version, accepted: !!given };
}

/** The join page's recording consent: whether the event records, the text, and whether this person accepted it. */
export async function recordingConsentFor(db: SqlRunner, orgId: string, eventId: string, personId: string): Promise<{ records: boolean; consentText: string; consentVersion: number; accepted: boolean }> {
  return { records: await eventRecords(db, eventId), ...(await recordingConsentGiven(db, orgId, eventId, personId)) };
}

/** The room's door: false when the event records and this person has not agreed to it (one query when it does not record). */
export async function mayEnterRecordedEvent(db: SqlRunner, orgId: string, eventId: string, personId: string): Promise<boolean> {
  if (!(await eventRecords(db, eventId))) return true;
  return (await recordingConsentGiven(db, orgId, eventId, personId)).accepted;
}

/** Accepts the current version of a consent kind for the join token's person (CONSENT_OUTDATED for another version). */
export async function acceptConsentByToken(ctx: AppContext, token: string, kind: ConsentKind, version: number): Promise<void> {
  const claims = readJoinToken(ctx.secrets, token);
  if (claims.exp * 1000 <= ctx.now().getTime()) throw new PodiumError('TOKEN_INVALID');
  const [ev] = await ctx.sql.query<{ org_id: string }>('select org_id from events where id = $1', [claims.e]);
  if (!ev) throw new PodiumError('TOKEN_INVALID');
  const current = await currentConsentText(ctx.sql, ev.org_id, claims.e, kind);
  if ((current?.version ?? 0) !== version) throw new PodiumError('CONSENT_OUTDATED');
  const now = ctx.now();
  await ctx.sql.transaction(async (tx) => {
    await recordConsent(tx, { orgId: ev.org_id, eventId: claims.e, personId: claims.r, kind, version, at: now });
    await appendAudit(tx, { orgId: ev.org_id, actor: claims.r, action: 'consent.accept', subjectRef: claims.r, details: { eventId: claims.e, kind, version } }, now);
  });
}
