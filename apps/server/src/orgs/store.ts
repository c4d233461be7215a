import type { DataRegionName, OrgId, OrgRole, UserId } from '@podium/protocol';
import type { SqlRunner } from '../storage/sql';

/** A row of `organizations`. */
export interface OrgRow {
  id: OrgId;
  name: string;
  slug: string;
  data_region: DataRegionName;
  created_at: Date;
}

/** A membership with the member's account details. */
export interface MemberRow {
  user_id: UserId;
  email: string;
  name: string;
  role: OrgRole;
  joined_at: Date;
}

const ORG_COLUMNS = 'id, name, slug, data_region, created_at';
const MEMBER_SELECT = `select m.user_id, u.email, u.name, m.role, m.created_at as joined_at
  from memberships m join users u on u.id = m.user_id`;

/** Inserts an organization; null when the slug is taken (decided by the unique index, so races are safe). */
export async function insertOrg(
  db: SqlRunner,
  o: { id: OrgId; name: string; slug: string; dataRegion: DataRegionName; createdAt: Date },
): Promise<OrgRow | null> {
  const rows = await db.query<OrgRow>(
    `insert into organizations (id, name, slug, data_region, created_at) values ($1, $2, $3, $4, $5)
     on conflict (slug) do nothing returning ${ORG_COLUMNS}`,
    [o.id, o.name, o.slug, o.dataRegion, o.createdAt],
  );
  return rows[0] ?? null;
}

/** Slugs already used that equal `base` or start with `base-` (candidates for the -2, -3… suffixes). */
export async function slugsStartingWith(db: SqlRunner, base: string): Promise<string[]> {
  // Slugs hold only [a-z0-9-], so `base` has no LIKE wildcards to escape.
  const rows = await db.query<{ slug: string }>('select slug from organizations where slug = $1 or slug like $2', [base, `${base}-%`]);
  return rows.map((r) => r.slug);
}

/** The organization with this id, if any. */
export async function findOrg(db: SqlRunner, id: OrgId): Promise<OrgRow | undefined> {
  const rows = await db.query<OrgRow>(`select ${ORG_COLUMNS} from organizations where id = $1`, [id]);
  return rows[0];
}

/** Locks an organization's row for the rest of the transaction (serializes membership changes); false if it does not exist. */
export async function lockOrg(db: SqlRunner, id: OrgId): Promise<boolean> {
  const rows = await db.query('select id from organizations where id = $1 for update', [id]);
  return rows.length > 0;
}

/** Renames an organization; returns the updated row. */
export async function renameOrg(db: SqlRunner, id: OrgId, name: string): Promise<OrgRow | undefined> {
  const rows = await db.query<OrgRow>(`update organizations set name = $2 where id = $1 returning ${ORG_COLUMNS}`, [id, name]);
  return rows[0];
}

/** Adds a member; false when the person already is one. */
export async function insertMembership(
  db: SqlRunner,
  m: { orgId: OrgId; userId: UserId; role: OrgRole; createdAt: Date },
): Promise<boolean> {
  const rows = await db.query(
    `insert into memberships (org_id, user_id, role, created_at) values ($1, $2, $3, $4)
     on conflict (org_id, user_id) do nothing returning user_id`,
    [m.orgId, m.userId, m.role, m.createdAt],
  );
  return rows.length > 0;
}

/** One member of an organization, if they are one. */
export async function findMember(db: SqlRunner, orgId: OrgId, userId: UserId): Promise<MemberRow | undefined> {
  const rows = await db.query<MemberRow>(`${MEMBER_SELECT} where m.org_id = $1 and m.user_id = $2`, [orgId, userId]);
  return rows[0];
}

/** Members in joining order, after the given sort key; fetches `limit` rows. */
export async function listMembers(
  db: SqlRunner,
  orgId: OrgId,
  after: { joinedAt: Date; userId: string } | null,
  limit: number,
): Promise<MemberRow[]> {
  return db.query<MemberRow>(
    `${MEMBER_SELECT}
      where m.org_id = $1 and ($2::timestamptz is null or (m.created_at, m.user_id) > ($2::timestamptz, $3::text))
      order by m.created_at, m.user_id
      limit $4`,
    [orgId, after?.joinedAt ?? null, after?.userId ?? null, limit],
  );
}

/** Sets a member's role. */
export async function setMemberRole(db: SqlRunner, orgId: OrgId, userId: UserId, role: OrgRole): Promise<void> {
  await db.query('update memberships set role = $3 where org_id = $1 and user_id = $2', [orgId, userId, role]);
}

/** Removes a member. */
export async function deleteMembership(db: SqlRunner, orgId: OrgId, userId: UserId): Promise<void> {
  await db.query('delete from memberships where org_id = $1 and user_id = $2', [orgId, userId]);
}

/** How many owners an organization has. */
export async function countOwners(db: SqlRunner, orgId: OrgId): Promise<number> {
  const rows = await db.query<{ n: number }>("select count(*)::int as n from memberships where org_id = $1 and role = 'owner'", [orgId]);
  return rows[0].n;
}

/** True when an account with this lookup email is a member of the organization. */
export async function isMemberByEmail(db: SqlRunner, orgId: OrgId, emailLower: string): Promise<boolean> {
  const rows = await db.query(
    'select 1 from memberships m join users u on u.id = m.user_id where m.org_id = $1 and u.email_lower = $2',
    [orgId, emailLower],
  );
  return rows.length > 0;
}
