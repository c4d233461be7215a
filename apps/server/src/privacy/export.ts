/**
 * Right of access and portability (Art. 15, 20): everything about one person as a ZIP of JSON
 * files plus the files they uploaded, streamed entry by entry (see zip.ts). Only the person's own
 * rows: their chat messages (not the rest of the chat), their questions and the answers given to
 * them, their votes and poll answers, their registrations with the consent text they accepted,
 * attendance, emails sent to them, recordings they appear in, audit entries about them.
 */
import type { AppContext } from '../context';
import type { SqlRunner } from '../storage/sql';
import { auditRows } from './audit-log';
import { recordingsWithPerson } from './recordings-hook';
import { findSubject, subjectRef, type SubjectIds, type SubjectScope } from './subjects';
import type { ZipEntry } from './zip';

type Ctx = Pick<AppContext, 'sql' | 'secrets' | 'blobs' | 'now'> & Partial<Pick<AppContext, 'config'>>;

const json = (name: string, value: unknown): ZipEntry => ({ name, data: `${JSON.stringify(value, null, 2)}\n` });
const EVENTS = `(select id from events where $1::text is null or org_id = $1)`;

async function rows(db: SqlRunner, text: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  return db.query<Record<string, unknown>>(text, params);
}

/** The export's entries, read from the store one file at a time. */
export async function* exportEntries(ctx: Ctx, scope: SubjectScope, s: SubjectIds): AsyncGenerator<ZipEntry> {
  const db = ctx.sql;
  const org = scope.orgId ?? null;
  const ids = s.personIds;
  yield {
    name: 'README.txt',
    data: [
      'Podium: your personal data (GDPR Art. 15 and 20)',
      `Created ${ctx.now().toISOString()} for ${s.email}${org ? ` within organization ${org}` : ''}.`,
      '',
      'account.json        your account (without the password hash), memberships, sessions',
      'registrations.json  your registrations with the answers you gave and the consent text you accepted',
      'consents.json       consents you gave or withdrew',
      'attendance.json     when you were in which event room',
      'chat.json           chat messages you wrote',
      'questions.json      questions you asked and the answers they got; questions-voted.json: your upvotes',
      'poll-answers.json   your answers to polls',
      'invitations.json    invitations sent to your address',
      'emails.json         emails sent to you (bodies in emails/)',
      'files.json          files you uploaded (bytes in files/)',
      'recordings.json     recordings you may appear in (metadata and links for the organization)',
      'audit.json          what was done with your data (exports, erasures…)',
      '',
      'Shared notes and whiteboards are written together and not attributable to one person: ask the host.',
      '',
    ].join('\n'),
  };

  if (s.userId) {
    const [user] = await rows(db, 'select id, email, name, locale, created_at from users where id = $1', [s.userId]);
    const memberships = await rows(db, `select m.org_id, o.name as org_name, m.role, m.created_at from memberships m join organizations o on o.id = m.org_id where m.user_id = $1 and ($2::text is null or m.org_id = $2)`, [s.userId, org]);
    const sessions = org ? [] : await rows(db, 'select created_at, expires_at, last_seen_at from sessions where user_id = $1 order by created_at', [s.userId]);
    yield json('account.json', { ...user, memberships, sessions });
  }
  yield json('registrations.json', await rows(db,
    `select r.id, r.event_id, e.title as event_title, e.starts_at as event_starts_at, r.name, r.email, r.fields, r.role, r.locale, r.ip_prefix,
            r.created_at, r.consent_version, r.consent_at, cv.text as consent_text
       from registrations r join events e on e.id = r.event_id
       left join consent_versions cv on cv.event_id = r.event_id and cv.version = r.consent_version
      where r.id = any($2::text[]) and ($1::text is null or r.org_id = $1) order by r.created_at`, [org, ids]));
  yield json('consents.json', await rows(db,
    `select c.kind, c.version, c.event_id, c.accepted_at, c.withdrawn_at, t.text
       from consent_records c left join consent_texts t on t.org_id = c.org_id and t.kind = c.kind and t.version = c.version and coalesce(t.event_id, '') = coalesce(c.event_id, '')
      where c.person_id = any($2::text[]) and ($1::text is null or c.org_id = $1) order by c.accepted_at`, [org, ids]));
  yield json('attendance.json', await rows(db,
    `select event_id, display_name, role, joined_at, left_at from room_attendance where person_id = any($2::text[]) and event_id in ${EVENTS} order by joined_at`, [org, ids]));
  yield json('chat.json', await rows(db,
    `select id, event_id, from_name, to_kind, text, sent_at, deleted_at is not null as deleted from room_chat_messages
      where from_person = any($2::text[]) and event_id in ${EVENTS} order by sent_at, id`, [org, ids]));
  yield json('questions.json', await rows(db,
    `select id, event_id, author_name, text, anonymous, status, votes, answer_text, answered_at, asked_at from room_questions
      where person_id = any($2::text[]) and event_id in ${EVENTS} order by asked_at, id`, [org, ids]));
  yield json('questions-voted.json', await rows(db,
    `select v.question_id, v.voted_at from room_question_votes v join room_questions q on q.id = v.question_id
      where v.person_id = any($2::text[]) and q.event_id in ${EVENTS} order by v.voted_at`, [org, ids]));
  yield json('poll-answers.json', await rows(db,
    `select p.id as poll_id, p.event_id, p.question, p.options, v.choice, v.voted_at from room_poll_votes v join room_polls p on p.id = v.poll_id
      where v.person_id = any($2::text[]) and p.event_id in ${EVENTS} order by v.voted_at`, [org, ids]));
  yield json('invitations.json', {
    organizations: await rows(db, 'select org_id, role, created_at, expires_at, accepted_at, revoked_at from invitations where email_lower = $2 and ($1::text is null or org_id = $1)', [org, s.email]),
    events: await rows(db, `select event_id, created_at from event_invitees where email_lower = $2 and event_id in ${EVENTS}`, [org, s.email]),
    presenting: await rows(db, `select event_id, created_at from event_presenters where email_lower = $2 and event_id in ${EVENTS}`, [org, s.email]),
  });
  const mails = await rows(db,
    `select id, org_id, to_address, subject, status, created_at, sent_at, text_body from mail_outbox
      where lower(to_address) = $2 and ($1::text is null or org_id = $1) order by created_at, id`, [org, s.email]);
  yield json('emails.json', mails.map(({ text_body: _t, ...m }) => m));
  for (const m of mails) yield { name: `emails/${m.id}.txt`, data: String(m.text_body) };

  if (s.userId) {
    const files = await db.query<{ id: string; event_id: string | null; name: string; purpose: string; content_type: string; size: string; sha256: string; blob_key: string; created_at: Date }>(
      `select id, event_id, name, purpose, content_type, size, sha256, blob_key, created_at from files where uploaded_by = $2 and status = 'ready' and ($1::text is null or org_id = $1) order by created_at`,
      [org, s.userId],
    );
    yield json('files.json', files.map(({ blob_key: _k, ...f }) => ({ ...f, size: Number(f.size), path: `files/${f.id}-${f.name}` })));
    for (const f of files) {
      yield { name: `files/${f.id}-${f.name}`, data: async function* () { yield* (await ctx.blobs.get(f.blob_key)) as AsyncIterable<Uint8Array>; }, modifiedAt: new Date(f.created_at) };
    }
  }
  const recIds = await recordingsWithPerson(db, org, ids);
  const recordings = recIds.length
    ? await rows(db, 'select id, org_id, event_id, status, started_at, ended_at, duration_ms from recordings where id = any($1::text[]) order by started_at', [recIds])
    : [];
  const base = ctx.config?.publicUrl ?? '';
  yield json('recordings.json', recordings.map((r) => ({ ...r, link: `${base}/api/v1/orgs/${r.org_id}/recordings/${r.id}`, note: 'Ask the organization for a copy: recordings show other people too.' })));

  const ref = subjectRef(ctx.secrets, s.email);
  const audit: unknown[] = [];
  for await (const r of auditRows(db, { subjectRef: ref })) if (!org || r.orgId === org) audit.push(r);
  yield json('audit.json', audit);
}

/** Finds the person and returns the export's entries (the caller audits and streams them). */
export async function buildExport(ctx: Ctx, scope: SubjectScope): Promise<{ subject: SubjectIds; entries: AsyncGenerator<ZipEntry> }> {
  const subject = await findSubject(ctx.sql, scope);
  return { subject, entries: exportEntries(ctx, scope, subject) };
}

/**
 * About how many bytes the export will be (its files plus the JSON, estimated from row counts),
 * sent as `X-Podium-Export-Estimate` so a client can show progress on a streamed download.
 */
export async function estimateExportBytes(ctx: Pick<AppContext, 'sql'>, scope: SubjectScope, s: SubjectIds): Promise<number> {
  const org = scope.orgId ?? null;
  const [f] = s.userId
    ? await ctx.sql.query<{ n: string | null }>(`select sum(size) as n from files where uploaded_by = $2 and status = 'ready' and ($1::text is null or org_id = $1)`, [org, s.userId])
    : [{ n: '0' }];
  const [r] = await ctx.sql.query<{ n: number }>(
    `select ((select count(*) from room_chat_messages where from_person = any($1::text[])) + (select count(*) from room_attendance where person_id = any($1::text[]))
            + (select count(*) from mail_outbox where lower(to_address) = $2))::int as n`,
    [s.personIds, s.email],
  );
  return Number(f?.n ?? 0) + 16_384 + r.n * 600;
}
