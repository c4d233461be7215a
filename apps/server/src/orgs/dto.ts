import type { ApiKey, Invitation, Member, Org } from '@podium/protocol';
import type { MemberRow, OrgRow } from './store';
import type { InvitationRow } from './invitations-store';
import type { ApiKeyRow } from './api-keys-store';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** The public form of an organization. */
export function toOrg(row: OrgRow): Org {
  return { id: row.id, name: row.name, slug: row.slug, dataRegion: row.data_region, createdAt: row.created_at.toISOString() };
}

/** The public form of a membership. */
export function toMember(row: MemberRow): Member {
  return { userId: row.user_id, email: row.email, name: row.name, role: row.role, joinedAt: row.joined_at.toISOString() };
}

/** The public form of an invitation (never its token). */
export function toInvitation(row: InvitationRow): Invitation {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    acceptedAt: iso(row.accepted_at),
  };
}

/** The public form of an API key (never its secret or hash). */
export function toApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: iso(row.last_used_at),
    expiresAt: iso(row.expires_at),
    revokedAt: iso(row.revoked_at),
  };
}
