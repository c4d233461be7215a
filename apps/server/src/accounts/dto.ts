import { PodiumError, type Me, type User, type UserId } from '@podium/protocol';
import type { SqlRunner } from '../storage/sql';
import { findUserById, membershipsOfUser, type UserRow } from './store';

/** The public form of a user row (never the password hash). */
export function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    locale: row.locale,
    isInstanceAdmin: row.is_instance_admin,
    createdAt: row.created_at.toISOString(),
  };
}

/** The `Me` answer for a user: who they are, their organizations, and the session's CSRF token. */
export async function buildMe(db: SqlRunner, userId: UserId, csrfToken: string): Promise<Me> {
  const user = await findUserById(db, userId);
  // The session row references the user with a cascade: a session without its user cannot exist.
  if (!user) throw new PodiumError('UNAUTHENTICATED');
  const memberships = await membershipsOfUser(db, userId);
  return {
    user: toUser(user),
    memberships: memberships.map((m) => ({
      orgId: m.org_id,
      orgName: m.org_name,
      orgSlug: m.org_slug,
      dataRegion: m.data_region,
      role: m.role,
    })),
    csrfToken,
  };
}
