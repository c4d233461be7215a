import { newId, type MailId, type OrgId, type OrgRole, type UserId } from '@podium/protocol';
import type { SqlRunner } from '../storage/sql';
import { SESSION_COOKIE } from '../http/principal';
import { hashToken, randomToken } from '../security/secrets';

/** A person signed in through rows written straight into the store (no accounts code involved). */
export interface SeededSession {
  userId: UserId;
  /** Value of the `cookie` header carrying the session. */
  cookie: string;
  /** The session's CSRF token, for `x-csrf-token`. */
  csrfToken: string;
}

/** Inserts an organization and returns its id. */
export async function seedOrg(db: SqlRunner, name = 'Org'): Promise<OrgId> {
  const id = newId('org');
  await db.query('insert into organizations (id, name, slug, data_region) values ($1, $2, $3, $4)', [id, name, id.replace('_', '-'), 'eu-central']);
  return id;
}

/** Inserts a user with a live session (and memberships); the password hash is a placeholder nobody can sign in with. */
export async function seedUserSession(
  db: SqlRunner,
  opts: { memberships?: { orgId: OrgId; role: OrgRole }[]; instanceAdmin?: boolean; now?: Date } = {},
): Promise<SeededSession> {
  const userId = newId('user');
  const email = `${userId}@example.test`;
  await db.query(
    'insert into users (id, email, email_lower, name, password_hash, is_instance_admin) values ($1, $2, $2, $3, $4, $5)',
    [userId, email, 'Test Person', 'not-a-hash', opts.instanceAdmin === true],
  );
  for (const m of opts.memberships ?? []) {
    await db.query('insert into memberships (org_id, user_id, role) values ($1, $2, $3)', [m.orgId, userId, m.role]);
  }
  const token = randomToken();
  const csrfToken = randomToken(16);
  const now = opts.now ?? new Date();
  await db.query(
    'insert into sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at) values ($1, $2, $3, $4, $5, $4)',
    [hashToken(token), userId, csrfToken, now, new Date(now.getTime() + 24 * 3_600_000)],
  );
  return { userId, cookie: `${SESSION_COOKIE}=${token}`, csrfToken };
}

/** Inserts an outbox message as the mailer would have written it. */
export async function seedOutboxMessage(
  db: SqlRunner,
  m: { orgId: OrgId | null; to?: string; subject: string; status?: 'queued' | 'sent' | 'failed' | 'stored'; createdAt?: Date },
): Promise<MailId> {
  const id = newId('mail');
  await db.query(
    `insert into mail_outbox (id, org_id, to_address, subject, text_body, attachments, status, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, coalesce($8, now()))`,
    [id, m.orgId, m.to ?? 'someone@example.test', m.subject, `Body of ${m.subject}`, '[]', m.status ?? 'stored', m.createdAt ?? null],
  );
  return id;
}
