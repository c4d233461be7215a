import type { DataRegionName, Locale, OrgId, OrgRole, UserId } from '@podium/protocol';
import type { SqlRunner } from '../storage/sql';

/** A row of `users`. */
export interface UserRow {
  id: UserId;
  email: string;
  email_lower: string;
  name: string;
  password_hash: string;
  locale: Locale | null;
  is_instance_admin: boolean;
  created_at: Date;
}

/** One organization a user belongs to, with their role. */
export interface MembershipSummaryRow {
  org_id: OrgId;
  org_name: string;
  org_slug: string;
  data_region: DataRegionName;
  role: OrgRole;
}

/** What creating a user needs. */
export interface NewUser {
  id: UserId;
  email: string;
  emailLower: string;
  name: string;
  passwordHash: string;
  locale: Locale | null;
  isInstanceAdmin: boolean;
  createdAt: Date;
}

const USER_COLUMNS = 'id, email, email_lower, name, password_hash, locale, is_instance_admin, created_at';

/** Inserts a user; null when the email is taken (the unique index decides, so concurrent sign-ups cannot both win). */
export async function insertUser(db: SqlRunner, u: NewUser): Promise<UserRow | null> {
  const rows = await db.query<UserRow>(
    `insert into users (id, email, email_lower, name, password_hash, locale, is_instance_admin, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (email_lower) do nothing
     returning ${USER_COLUMNS}`,
    [u.id, u.email, u.emailLower, u.name, u.passwordHash, u.locale, u.isInstanceAdmin, u.createdAt],
  );
  return rows[0] ?? null;
}

/** The user with this lookup email, if any. */
export async function findUserByEmail(db: SqlRunner, emailLower: string): Promise<UserRow | undefined> {
  const rows = await db.query<UserRow>(`select ${USER_COLUMNS} from users where email_lower = $1`, [emailLower]);
  return rows[0];
}

/** The user with this id, if any. */
export async function findUserById(db: SqlRunner, id: UserId): Promise<UserRow | undefined> {
  const rows = await db.query<UserRow>(`select ${USER_COLUMNS} from users where id = $1`, [id]);
  return rows[0];
}

/** True once any account exists (the instance is set up). */
export async function anyUserExists(db: SqlRunner): Promise<boolean> {
  const rows = await db.query<{ found: boolean }>('select exists (select 1 from users) as found');
  return rows[0].found;
}

/** Changes name and/or locale; fields left undefined keep their value. */
export async function updateUserProfile(db: SqlRunner, id: UserId, p: { name?: string; locale?: Locale }): Promise<void> {
  await db.query('update users set name = coalesce($2, name), locale = coalesce($3, locale) where id = $1', [
    id, p.name ?? null, p.locale ?? null,
  ]);
}

/** Replaces a user's password hash. */
export async function setPasswordHash(db: SqlRunner, id: UserId, passwordHash: string): Promise<void> {
  await db.query('update users set password_hash = $2 where id = $1', [id, passwordHash]);
}

/** The organizations a user belongs to, by name. */
export async function membershipsOfUser(db: SqlRunner, userId: UserId): Promise<MembershipSummaryRow[]> {
  return db.query<MembershipSummaryRow>(
    `select o.id as org_id, o.name as org_name, o.slug as org_slug, o.data_region, m.role
       from memberships m join organizations o on o.id = m.org_id
      where m.user_id = $1
      order by lower(o.name), o.id`,
    [userId],
  );
}

/** Records a session by the hash of its cookie value. */
export async function insertSession(
  db: SqlRunner,
  s: { tokenHash: string; userId: UserId; csrfToken: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db.query(
    `insert into sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at)
     values ($1, $2, $3, $4, $5, $4)`,
    [s.tokenHash, s.userId, s.csrfToken, s.createdAt, s.expiresAt],
  );
}

/** Ends one session. */
export async function deleteSession(db: SqlRunner, tokenHash: string): Promise<void> {
  await db.query('delete from sessions where token_hash = $1', [tokenHash]);
}

/** Ends every session of a user (after a password change). */
export async function deleteUserSessions(db: SqlRunner, userId: UserId): Promise<void> {
  await db.query('delete from sessions where user_id = $1', [userId]);
}

/** Drops a user's expired sessions, so rows do not pile up for people who never sign out. */
export async function deleteExpiredSessions(db: SqlRunner, userId: UserId, now: Date): Promise<void> {
  await db.query('delete from sessions where user_id = $1 and expires_at <= $2', [userId, now]);
}

/** Records a password-reset token by its hash. */
export async function insertPasswordReset(
  db: SqlRunner,
  r: { tokenHash: string; userId: UserId; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db.query(
    'insert into password_resets (token_hash, user_id, created_at, expires_at) values ($1, $2, $3, $4)',
    [r.tokenHash, r.userId, r.createdAt, r.expiresAt],
  );
}

/** Marks a valid, unused reset token used and returns its user; one statement, so a token works only once. */
export async function consumePasswordReset(db: SqlRunner, tokenHash: string, now: Date): Promise<UserId | null> {
  const rows = await db.query<{ user_id: UserId }>(
    `update password_resets set used_at = $2
      where token_hash = $1 and used_at is null and expires_at > $2
      returning user_id`,
    [tokenHash, now],
  );
  return rows[0]?.user_id ?? null;
}

/** Removes all of a user's reset tokens: once the password changed, older links must not work either. */
export async function deletePasswordResetsOfUser(db: SqlRunner, userId: UserId): Promise<void> {
  await db.query('delete from password_resets where user_id = $1', [userId]);
}
