import {
  newId, PodiumError, roleAtLeast,
  type DataRegionName, type OrgId, type OrgRole, type PageOf, type PageQuery, type UserId, type Member,
} from '@podium/protocol';
import type { AppContext } from '../context';
import { cursorDate, decodeCursor, pageLimit, slicePage } from '../http/pagination';
import type { SqlRunner } from '../storage/sql';
import { slugCandidate, slugFromName } from './slug';
import { toMember } from './dto';
import {
  countOwners, deleteMembership, findMember, findOrg, insertMembership, insertOrg, listMembers, lockOrg,
  renameOrg, setMemberRole, slugsStartingWith, type MemberRow, type OrgRow,
} from './store';

/** What org services need from the application context. */
export type OrgDeps = Pick<AppContext, 'sql' | 'now'>;

/** Who is acting on an organization: a member (by user id) or an API key (no user), with their role. */
export interface OrgActor {
  userId: UserId | null;
  role: OrgRole;
}

/** What creating an organization needs. */
export interface NewOrg {
  name: string;
  slug?: string;
  dataRegion: DataRegionName;
  ownerId: UserId;
  now: Date;
}

// Enough suffixes for any real collision streak; past it something is wrong (or hostile).
const MAX_SLUG_ATTEMPTS = 200;

/**
 * Creates an organization with its first owner, inside the caller's transaction. A given slug
 * must be free (SLUG_TAKEN); a derived one gets -2, -3… until the unique index accepts it.
 */
export async function createOrgWithOwner(tx: SqlRunner, o: NewOrg): Promise<OrgRow> {
  const name = o.name.trim() || o.name;
  const row = o.slug !== undefined ? await insertWithSlug(tx, o, name, o.slug) : await insertWithDerivedSlug(tx, o, name);
  await insertMembership(tx, { orgId: row.id, userId: o.ownerId, role: 'owner', createdAt: o.now });
  return row;
}

async function insertWithSlug(tx: SqlRunner, o: NewOrg, name: string, slug: string): Promise<OrgRow> {
  const row = await insertOrg(tx, { id: newId('org'), name, slug, dataRegion: o.dataRegion, createdAt: o.now });
  if (!row) throw new PodiumError('SLUG_TAKEN');
  return row;
}

async function insertWithDerivedSlug(tx: SqlRunner, o: NewOrg, name: string): Promise<OrgRow> {
  const base = slugFromName(name);
  const taken = new Set(await slugsStartingWith(tx, base));
  for (let n = 1; n <= MAX_SLUG_ATTEMPTS; n++) {
    const slug = slugCandidate(base, n);
    if (taken.has(slug)) continue;
    const row = await insertOrg(tx, { id: newId('org'), name, slug, dataRegion: o.dataRegion, createdAt: o.now });
    if (row) return row;
    taken.add(slug); // created meanwhile by a concurrent request: try the next one
  }
  throw new PodiumError('SLUG_TAKEN');
}

/** Creates an organization for a signed-in person, who becomes its owner. */
export async function createOrg(deps: OrgDeps, o: Omit<NewOrg, 'now'>): Promise<OrgRow> {
  const now = deps.now();
  return deps.sql.transaction((tx) => createOrgWithOwner(tx, { ...o, now }));
}

/** An organization, or ORG_NOT_FOUND. */
export async function getOrg(deps: OrgDeps, orgId: OrgId): Promise<OrgRow> {
  const row = await findOrg(deps.sql, orgId);
  if (!row) throw new PodiumError('ORG_NOT_FOUND');
  return row;
}

/** Renames an organization (its data region never changes after creation). */
export async function updateOrg(deps: OrgDeps, orgId: OrgId, patch: { name?: string }): Promise<OrgRow> {
  const name = patch.name?.trim();
  const row = name ? await renameOrg(deps.sql, orgId, name) : await findOrg(deps.sql, orgId);
  if (!row) throw new PodiumError('ORG_NOT_FOUND');
  return row;
}

/** A page of members in joining order. */
export async function listOrgMembers(deps: OrgDeps, orgId: OrgId, query: PageQuery): Promise<PageOf<Member>> {
  const limit = pageLimit(query);
  const after = decodeCursor(query.cursor, ['string', 'string'] as const);
  const rows = await listMembers(deps.sql, orgId, after && { joinedAt: cursorDate(after[0]), userId: after[1] }, limit + 1);
  return slicePage(rows, limit, (r) => [r.joined_at.toISOString(), r.user_id], toMember);
}

/** The acting member's current role, read inside the transaction so a concurrent demotion counts. */
async function currentActorRole(tx: SqlRunner, orgId: OrgId, actor: OrgActor): Promise<OrgRole> {
  if (actor.userId === null) return actor.role;
  const me = await findMember(tx, orgId, actor.userId);
  if (!me) throw new PodiumError('FORBIDDEN');
  return me.role;
}

/** Locks the organization and loads the target member; the lock makes the last-owner check race-free. */
async function lockAndLoad(tx: SqlRunner, orgId: OrgId, userId: UserId): Promise<MemberRow> {
  if (!(await lockOrg(tx, orgId))) throw new PodiumError('ORG_NOT_FOUND');
  const target = await findMember(tx, orgId, userId);
  if (!target) throw new PodiumError('MEMBER_NOT_FOUND');
  return target;
}

/**
 * Changes a member's role. Admins set host/admin; only owners grant or take away owner; nobody
 * raises their own role; the last owner stays an owner (LAST_OWNER).
 */
export async function changeMemberRole(deps: OrgDeps, orgId: OrgId, actor: OrgActor, userId: UserId, role: OrgRole): Promise<MemberRow> {
  return deps.sql.transaction(async (tx) => {
    const target = await lockAndLoad(tx, orgId, userId);
    if (target.role === role) return target;
    const actorRole = await currentActorRole(tx, orgId, actor);
    if (actor.userId === userId && roleAtLeast(role, target.role)) {
      throw new PodiumError('FORBIDDEN', 'You cannot raise your own role.');
    }
    if ((role === 'owner' || target.role === 'owner') && actorRole !== 'owner') {
      throw new PodiumError('FORBIDDEN', 'Only owners can grant or remove the owner role.');
    }
    if (target.role === 'owner' && (await countOwners(tx, orgId)) <= 1) throw new PodiumError('LAST_OWNER');
    await setMemberRole(tx, orgId, userId, role);
    return { ...target, role };
  });
}

/** Removes a member (or lets an admin leave). Only owners remove owners; the last owner stays. */
export async function removeMember(deps: OrgDeps, orgId: OrgId, actor: OrgActor, userId: UserId): Promise<void> {
  await deps.sql.transaction(async (tx) => {
    const target = await lockAndLoad(tx, orgId, userId);
    const actorRole = await currentActorRole(tx, orgId, actor);
    if (target.role === 'owner' && actorRole !== 'owner') {
      throw new PodiumError('FORBIDDEN', 'Only owners can remove an owner.');
    }
    if (target.role === 'owner' && (await countOwners(tx, orgId)) <= 1) throw new PodiumError('LAST_OWNER');
    await deleteMembership(tx, orgId, userId);
  });
}
