/**
 * A data subject as the privacy functions find them: by email, across an organization or the
 * whole installation. A person appears under several ids — their account (usr_…) and each of
 * their registrations (reg_…) — and the room tables name them by these ids.
 */
import type { OrgId } from '@podium/protocol';
import type { Secrets } from '../security/secrets';
import type { SqlRunner } from '../storage/sql';

/** The pseudonymous reference of an email in the audit log: HMAC under the installation secret, so it proves nothing to anyone without it. */
export function subjectRef(secrets: Secrets, email: string): string {
  return `sub_${secrets.hmac('privacy-subject', normalizeEmail(email)).toString('hex').slice(0, 32)}`;
}

/** The lookup form of an email (as the `email_lower` columns hold it). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Where a subject request reaches: one organization (its admin) or everything (instance admin, the subject). */
export interface SubjectScope {
  email: string;
  /** Only this organization's data; undefined: the whole installation, the account included. */
  orgId?: OrgId;
}

/** The ids a person appears under. */
export interface SubjectIds {
  email: string;
  userId: string | null;
  name: string | null;
  registrations: { id: string; eventId: string; orgId: string; name: string }[];
  /** Every person id of the room tables: the registrations, and the account when in scope. */
  personIds: string[];
  /** Names the person used (account, registrations), for redacting free text. */
  names: string[];
}

/** Finds the person's account and registrations within the scope. */
export async function findSubject(db: SqlRunner, scope: SubjectScope): Promise<SubjectIds> {
  const email = normalizeEmail(scope.email);
  const regs = await db.query<{ id: string; event_id: string; org_id: string; name: string }>(
    `select id, event_id, org_id, name from registrations where email_lower = $1 and ($2::text is null or org_id = $2) order by created_at, id`,
    [email, scope.orgId ?? null],
  );
  let user: { id: string; name: string } | undefined;
  if (!scope.orgId) [user] = await db.query<{ id: string; name: string }>('select id, name from users where email_lower = $1', [email]);
  else {
    // An org admin reaches the account only as far as it acted in their organization's rooms.
    [user] = await db.query<{ id: string; name: string }>(
      'select u.id, u.name from users u join memberships m on m.user_id = u.id where u.email_lower = $1 and m.org_id = $2', [email, scope.orgId],
    );
  }
  const registrations = regs.map((r) => ({ id: r.id, eventId: r.event_id, orgId: r.org_id, name: r.name }));
  const personIds = [...registrations.map((r) => r.id), ...(user ? [user.id] : [])];
  const names = [...new Set([...registrations.map((r) => r.name), ...(user ? [user.name] : [])].filter((n) => n.trim().length >= 3))];
  return { email, userId: user?.id ?? null, name: user?.name ?? registrations[0]?.name ?? null, registrations, personIds, names };
}
