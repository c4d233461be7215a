import type { InvitationId, OrgId, OrgRole, UserId } from '@podium/protocol';
import type { SqlRunner } from '../storage/sql';

/** A row of `invitations` (the token itself is never stored, only its hash). */
export interface InvitationRow {
  id: InvitationId;
  org_id: OrgId;
  email: string;
  email_lower: string;
  role: OrgRole;
  invited_by: UserId | null;
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
}

/** A usable invitation with the name of its organization (for the preview and the email). */
export interface UsableInvitationRow extends InvitationRow {
  org_name: string;
}

const COLUMNS = 'i.id, i.org_id, i.email, i.email_lower, i.role, i.invited_by, i.created_at, i.expires_at, i.accepted_at, i.revoked_at';

/** Records an invitation. */
export async function insertInvitation(
  db: SqlRunner,
  i: { id: InvitationId; orgId: OrgId; email: string; emailLower: string; role: OrgRole; tokenHash: string; invitedBy: UserId | null; createdAt: Date; expiresAt: Date },
): Promise<InvitationRow> {
  const rows = await db.query<InvitationRow>(
    `insert into invitations as i (id, org_id, email, email_lower, role, token_hash, invited_by, created_at, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning ${COLUMNS}`,
    [i.id, i.orgId, i.email, i.emailLower, i.role, i.tokenHash, i.invitedBy, i.createdAt, i.expiresAt],
  );
  return rows[0];
}

/** Withdraws the pending invitations of an email in an organization (a new invitation replaces them). */
export async function revokePendingForEmail(db: SqlRunner, orgId: OrgId, emailLower: string, now: Date): Promise<void> {
  await db.query(
    `update invitations set revoked_at = $3
      where org_id = $1 and email_lower = $2 and accepted_at is null and revoked_at is null`,
    [orgId, emailLower, now],
  );
}

/** Invitations not revoked, newest first, after the given sort key; fetches `limit` rows. */
export async function listInvitations(
  db: SqlRunner,
  orgId: OrgId,
  after: { createdAt: Date; id: string } | null,
  limit: number,
): Promise<InvitationRow[]> {
  return db.query<InvitationRow>(
    `select ${COLUMNS} from invitations i
      where i.org_id = $1 and i.revoked_at is null
        and ($2::timestamptz is null or (i.created_at, i.id) < ($2::timestamptz, $3::text))
      order by i.created_at desc, i.id desc
      limit $4`,
    [orgId, after?.createdAt ?? null, after?.id ?? null, limit],
  );
}

/** Revokes a pending invitation; false when there is no such pending invitation in the organization. */
export async function revokeInvitation(db: SqlRunner, orgId: OrgId, id: InvitationId, now: Date): Promise<boolean> {
  const rows = await db.query(
    `update invitations set revoked_at = $3
      where id = $2 and org_id = $1 and accepted_at is null and revoked_at is null
      returning id`,
    [orgId, id, now],
  );
  return rows.length > 0;
}

/**
 * The pending, unexpired, unrevoked invitation with this token hash. With `lock`, the row stays
 * locked until the transaction ends, so one invitation is accepted once.
 */
export async function findUsableInvitation(db: SqlRunner, tokenHash: string, now: Date, lock = false): Promise<UsableInvitationRow | undefined> {
  const rows = await db.query<UsableInvitationRow>(
    `select ${COLUMNS}, o.name as org_name
       from invitations i join organizations o on o.id = i.org_id
      where i.token_hash = $1 and i.accepted_at is null and i.revoked_at is null and i.expires_at > $2
      ${lock ? 'for update of i' : ''}`,
    [tokenHash, now],
  );
  return rows[0];
}

/** Marks an invitation accepted. */
export async function markInvitationAccepted(db: SqlRunner, id: InvitationId, now: Date): Promise<void> {
  await db.query('update invitations set accepted_at = $2 where id = $1', [id, now]);
}
