/**
 * Right to erasure (Art. 17): a person's data goes from every table the personal-data map names,
 * in one transaction — rows that are the person's alone are deleted, rows that feed aggregates
 * (attendance, poll totals, vote counts, the attendance report's counts) keep their place under a
 * random token that links to nothing, free text naming them is redacted. The erasure itself is
 * audited under the pseudonymous subject reference. Live rooms are told afterwards.
 */
import { randomBytes } from 'node:crypto';
import { PodiumError, type EventId, type OrgId } from '@podium/protocol';
import type { AppContext } from '../context';
import type { SqlRunner } from '../storage/sql';
import { appendAudit } from './audit-log';
import { ERASED_NAME, ERASED_TEXT, likeAnywhere, redactor } from './redact';
import { findSubject, subjectRef, type SubjectIds, type SubjectScope } from './subjects';
import { flagRecordingsForErasure } from './recordings-hook';
import { notifyRoomsOfErasure } from './live-rooms';

/** What an erasure did, by table (rows touched). */
export interface ErasureResult {
  subjectRef: string;
  found: boolean;
  counts: Record<string, number>;
  /** Recordings the person may appear in, flagged for the host's decision. */
  recordingsFlagged: number;
  /** Live rooms told to drop the person's state. */
  liveRooms: number;
}

type Ctx = Pick<AppContext, 'sql' | 'secrets' | 'now'> & Partial<Pick<AppContext, 'bus' | 'log'>>;

const token = () => randomBytes(10).toString('hex');

async function run(tx: SqlRunner, counts: Record<string, number>, table: string, text: string, params: unknown[]): Promise<void> {
  const rows = await tx.query<{ n: number }>(`with x as (${text} returning 1) select count(*)::int as n from x`, params);
  counts[table] = (counts[table] ?? 0) + (rows[0]?.n ?? 0);
}

/** Events in scope: the organization's, or all. As SQL over $1 (org id or null). */
const EVENTS_IN_SCOPE = `(select id from events where $1::text is null or org_id = $1)`;

/** Redacts names and emails in text columns of rows selected by `where` (over $1 = org or null). */
async function redactColumns(
  tx: SqlRunner, counts: Record<string, number>, table: string, key: string, columns: string[], where: string, orgParam: string | null, needles: string[],
): Promise<void> {
  if (!needles.length) return;
  const r = redactor(needles);
  const patterns = needles.map(likeAnywhere);
  const any = columns.map((c) => `${c}::text ilike any($2::text[])`).join(' or ');
  const rows = await tx.query<Record<string, unknown>>(`select ${key} as k, ${columns.join(', ')} from ${table} where (${where}) and (${any})`, [orgParam, patterns]);
  for (const row of rows) {
    const sets: string[] = [];
    const params: unknown[] = [row.k];
    for (const c of columns) {
      const v = row[c];
      if (v === null || v === undefined) continue;
      const text = typeof v === 'string' ? v : JSON.stringify(v);
      if (!r.test(text)) continue;
      params.push(typeof v === 'string' ? r.apply(text) : JSON.stringify(JSON.parse(r.apply(text))));
      sets.push(`${c} = $${params.length}${typeof v === 'string' ? '' : '::jsonb'}`);
    }
    if (sets.length) {
      await tx.query(`update ${table} set ${sets.join(', ')} where ${key} = $1`, params);
      counts[`${table} (redacted)`] = (counts[`${table} (redacted)`] ?? 0) + 1;
    }
  }
}

/** Erases one person's data from the room tables: their ids become `pseudonym`, their words go. */
async function eraseRoomData(tx: SqlRunner, counts: Record<string, number>, org: string | null, personId: string, pseudonym: string): Promise<void> {
  const ev = EVENTS_IN_SCOPE;
  const args = [org, personId, pseudonym, ERASED_NAME];
  await run(tx, counts, 'room_chat_messages', `update room_chat_messages set from_person = $3, from_name = $4, text = $5 where event_id in ${ev} and from_person = $2`, [...args, ERASED_TEXT]);
  await run(tx, counts, 'room_chat_messages', `update room_chat_messages set to_person = $3, to_name = $4 where event_id in ${ev} and to_person = $2`, args);
  await run(tx, counts, 'room_chat_messages', `update room_chat_messages set deleted_by = $3 where event_id in ${ev} and deleted_by = $2 and $4 <> ''`, args);
  await run(tx, counts, 'room_questions', `update room_questions set person_id = $3, author_name = $4, text = $5 where event_id in ${ev} and person_id = $2`, [...args, ERASED_TEXT]);
  await run(tx, counts, 'room_question_votes', `update room_question_votes set person_id = $3 where person_id = $2 and $4 <> '' and question_id in (select id from room_questions where event_id in ${ev})`, args);
  await run(tx, counts, 'room_poll_votes', `update room_poll_votes set person_id = $3 where person_id = $2 and $4 <> '' and poll_id in (select id from room_polls where event_id in ${ev})`, args);
  await run(tx, counts, 'room_polls', `update room_polls set created_by = $3 where event_id in ${ev} and created_by = $2 and $4 <> ''`, args);
  await run(tx, counts, 'room_attendance', `update room_attendance set person_id = $3, display_name = $4 where event_id in ${ev} and person_id = $2`, args);
  await run(tx, counts, 'event_bans', `update event_bans set person_id = $3, display_name = $4 where event_id in ${ev} and person_id = $2`, args);
  await run(tx, counts, 'event_bans', `update event_bans set banned_by = $3 where event_id in ${ev} and banned_by = $2 and $4 <> ''`, args);
  await run(tx, counts, 'event_audit', `update event_audit set actor_person = $3, actor_name = $4 where event_id in ${ev} and actor_person = $2`, args);
  await run(tx, counts, 'event_audit', `update event_audit set target_person = $3, target_name = $4 where event_id in ${ev} and target_person = $2`, args);
  await run(tx, counts, 'event_audit', `update event_audit set details = replace(details::text, $2, $3)::jsonb where event_id in ${ev} and details::text like '%' || $2 || '%' and $4 <> ''`, args);
  await run(tx, counts, 'consent_records', `delete from consent_records where person_id = $2 and ($1::text is null or org_id = $1)`, [org, personId]);
}

/** Erases everything of the person within the scope. `actor` is who asked (usr_…, key_…, or `subject:<ref>`). */
export async function eraseSubject(ctx: Ctx, scope: SubjectScope, actor: string): Promise<ErasureResult> {
  const ref = subjectRef(ctx.secrets, scope.email);
  const org = scope.orgId ?? null;
  const counts: Record<string, number> = {};
  let live: { eventId: EventId; personIds: string[] }[] = [];
  let flagged = 0;
  let subject: SubjectIds | undefined;
  await ctx.sql.transaction(async (tx) => {
    subject = await findSubject(tx, scope);
    const s = subject;
    const email = s.email;
    if (!org && s.userId) {
      // Deleting the account of an organization's only owner would leave it without one: hand it over first.
      const sole = await tx.query<{ org_id: string }>(
        `select m.org_id from memberships m where m.user_id = $1 and m.role = 'owner'
            and not exists (select 1 from memberships o where o.org_id = m.org_id and o.role = 'owner' and o.user_id <> m.user_id)`,
        [s.userId],
      );
      if (sole.length) throw new PodiumError('LAST_OWNER', `This person is the only owner of ${sole.length} organization(s): make someone else owner first, or erase within an organization.`, { orgIds: sole.map((r) => r.org_id) });
    }
    // Live rooms the person was in: told once this commits (they may hold the person in memory).
    if (s.personIds.length) {
      const open = await tx.query<{ event_id: EventId; person_id: string }>(
        `select distinct a.event_id, a.person_id from room_attendance a join events e on e.id = a.event_id
          where e.status = 'live' and a.person_id = any($2::text[]) and a.event_id in ${EVENTS_IN_SCOPE}`,
        [org, s.personIds],
      );
      const byEvent = new Map<EventId, string[]>();
      for (const r of open) byEvent.set(r.event_id, [...(byEvent.get(r.event_id) ?? []), r.person_id]);
      live = [...byEvent].map(([eventId, personIds]) => ({ eventId, personIds }));
    }
    const pseudonyms = new Map(s.personIds.map((id) => [id, `erased_${token()}`]));
    flagged = await flagRecordingsForErasure(tx, { orgId: org as OrgId | null, personIds: s.personIds, subjectRef: ref, at: ctx.now() });
    for (const [personId, pseudonym] of pseudonyms) await eraseRoomData(tx, counts, org, personId, pseudonym);
    const needles = [email, ...s.names];
    // Free text of the events in scope that names the person (someone else's chat "thanks, Marta").
    await redactColumns(tx, counts, 'room_chat_messages', 'id', ['text', 'to_name'], `event_id in ${EVENTS_IN_SCOPE}`, org, needles);
    await redactColumns(tx, counts, 'room_questions', 'id', ['text', 'answer_text', 'answered_by'], `event_id in ${EVENTS_IN_SCOPE}`, org, needles);
    await redactColumns(tx, counts, 'event_audit', 'id', ['actor_name', 'target_name', 'details'], `event_id in ${EVENTS_IN_SCOPE}`, org, needles);

    // Registrations stay (seat counts, the attendance report) as a pseudonymous shell.
    const regIds = s.registrations.map((r) => r.id);
    for (const id of regIds) {
      const fake = `erased-${token()}@erased.invalid`;
      await run(tx, counts, 'registrations', `update registrations set email = $2, email_lower = $2, name = $3, fields = '{}', locale = null, ip_prefix = null where id = $1`, [id, fake, ERASED_NAME]);
    }
    await run(tx, counts, 'event_invitees', `delete from event_invitees where email_lower = $2 and event_id in ${EVENTS_IN_SCOPE}`, [org, email]);
    await run(tx, counts, 'event_presenters', `delete from event_presenters where email_lower = $2 and event_id in ${EVENTS_IN_SCOPE}`, [org, email]);
    await run(tx, counts, 'invitations', `delete from invitations where email_lower = $2 and ($1::text is null or org_id = $1)`, [org, email]);

    // Mail: what was sent to them goes; what names them elsewhere is redacted.
    const mailScope = `($1::text is null or org_id = $1)`;
    await run(tx, counts, 'mail_outbox', `delete from mail_outbox where lower(to_address) = $2 and ${mailScope}`, [org, email]);
    await redactColumns(tx, counts, 'mail_outbox', 'id', ['subject', 'text_body', 'html_body', 'last_error'], mailScope, org, needles);
    const withAttachments = await tx.query<{ id: string }>(
      `select id from mail_outbox where ${mailScope} and attachments::text ilike any($2::text[])`, [org, needles.map(likeAnywhere)],
    );
    for (const m of withAttachments) await run(tx, counts, 'mail_outbox', `update mail_outbox set attachments = '[]' where id = $1`, [m.id]);
    await redactColumns(tx, counts, 'jobs', 'id', ['last_error'], 'true or $1::text is null', org, needles);

    if (s.userId) {
      // A file's name may name its uploader ("marta-kowalska-cv.pdf"): such a name becomes neutral.
      const parts = s.names.flatMap((n) => n.split(/\s+/)).filter((x) => x.length >= 3).map((x) => x.toLowerCase());
      const theirs = await tx.query<{ id: string; name: string }>('select id, name from files where uploaded_by = $2 and ($1::text is null or org_id = $1)', [org, s.userId]);
      for (const f of theirs) {
        if (!parts.some((x) => f.name.toLowerCase().includes(x)) && !f.name.toLowerCase().includes(email)) continue;
        const ext = /\.[A-Za-z0-9]{1,8}$/.exec(f.name)?.[0] ?? '';
        await run(tx, counts, 'files (renamed)', 'update files set name = $2 where id = $1', [f.id, `file${ext}`]);
      }
      await run(tx, counts, 'files', `update files set uploaded_by = null where uploaded_by = $2 and ($1::text is null or org_id = $1)`, [org, s.userId]);
      if (!org) {
        // The account itself (sessions, reset links and memberships go with it by cascade).
        await run(tx, counts, 'users', 'delete from users where id = $1', [s.userId]);
      }
    }
    if (!org) await run(tx, counts, 'privacy_requests', 'delete from privacy_requests where subject_ref = $1', [ref]);
    await appendAudit(tx, {
      orgId: org, actor, action: 'subject.erase', subjectRef: ref,
      details: { scope: org ? 'organization' : 'installation', registrations: regIds.length, account: s.userId !== null && !org, counts, recordingsFlagged: flagged },
    }, ctx.now());
  });
  const liveRooms = await notifyRoomsOfErasure(ctx, live);
  return { subjectRef: ref, found: (subject?.personIds.length ?? 0) > 0, counts, recordingsFlagged: flagged, liveRooms };
}
