/**
 * Data-breach support (Art. 33, 34): who is affected when a data class was exposed during a time
 * window — the people to notify, with the organizations (controllers) to tell.
 */
import type { SqlRunner } from '../storage/sql';

/** Data classes a breach report can name. */
export const BREACH_CLASSES = ['registrations', 'accounts', 'chat', 'questions', 'attendance', 'mail', 'recordings', 'all'] as const;
/** A data class of a breach report. */
export type BreachClass = (typeof BREACH_CLASSES)[number];

/** One affected person. */
export interface AffectedSubject {
  email: string;
  orgIds: string[];
  classes: string[];
}

// A person id of the room tables resolved to the email behind it (registration or account).
const PERSON_EMAIL = `coalesce((select r.email_lower from registrations r where r.id = x.person), (select u.email_lower from users u where u.id = x.person))`;

const QUERIES: Record<Exclude<BreachClass, 'all'>, string> = {
  registrations: `select email_lower as email, org_id from registrations where $1::timestamptz is not null and created_at <= $2 and email_lower not like '%@erased.invalid'`,
  accounts: `select u.email_lower as email, m.org_id from users u left join memberships m on m.user_id = u.id where $1::timestamptz is not null and u.created_at <= $2`,
  chat: `select ${PERSON_EMAIL} as email, x.org_id from (select c.from_person as person, e.org_id from room_chat_messages c join events e on e.id = c.event_id where c.sent_at between $1 and $2) x`,
  questions: `select ${PERSON_EMAIL} as email, x.org_id from (select q.person_id as person, e.org_id from room_questions q join events e on e.id = q.event_id where q.asked_at between $1 and $2) x`,
  attendance: `select ${PERSON_EMAIL} as email, x.org_id from (select a.person_id as person, e.org_id from room_attendance a join events e on e.id = a.event_id where a.joined_at <= $2 and coalesce(a.left_at, $2) >= $1) x`,
  mail: `select lower(to_address) as email, org_id from mail_outbox where created_at between $1 and $2`,
  recordings: `select ${PERSON_EMAIL} as email, x.org_id from (select a.person_id as person, r.org_id from recordings r join room_attendance a on a.event_id = r.event_id
                 and a.joined_at <= coalesce(r.ended_at, 'infinity'::timestamptz) and coalesce(a.left_at, 'infinity'::timestamptz) >= r.started_at
                where r.started_at <= $2 and coalesce(r.ended_at, $2) >= $1) x`,
};

/** The people whose data of `cls` existed or was written in [from, to], by email. */
export async function affectedSubjects(db: SqlRunner, cls: BreachClass, from: Date, to: Date, orgId?: string): Promise<AffectedSubject[]> {
  const classes = cls === 'all' ? (Object.keys(QUERIES) as (keyof typeof QUERIES)[]) : [cls];
  const [{ t }] = await db.query<{ t: string | null }>(`select to_regclass('recordings')::text as t`);
  const out = new Map<string, AffectedSubject>();
  for (const c of classes) {
    if (c === 'recordings' && !t) continue;
    const rows = await db.query<{ email: string | null; org_id: string | null }>(
      `select distinct email, org_id from (${QUERIES[c]}) y where email is not null and ($3::text is null or org_id = $3)`,
      [from.toISOString(), to.toISOString(), orgId ?? null],
    );
    for (const r of rows) {
      const s = out.get(r.email!) ?? { email: r.email!, orgIds: [], classes: [] };
      if (r.org_id && !s.orgIds.includes(r.org_id)) s.orgIds.push(r.org_id);
      if (!s.classes.includes(c)) s.classes.push(c);
      out.set(r.email!, s);
    }
  }
  return [...out.values()].sort((a, b) => a.email.localeCompare(b.email));
}
