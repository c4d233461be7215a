import { roleAtLeast, type MembershipSummary, type OrgRole } from '@podium/protocol';
import { useSession } from '../../session';

/** The signed-in person's membership in an organization, and whether it reaches a role (to hide actions the server would refuse). */
export function useOrgMembership(orgId: string | undefined): { membership: MembershipSummary | undefined; atLeast(role: OrgRole): boolean } {
  const { me } = useSession();
  const membership = me?.memberships.find((m) => m.orgId === orgId);
  return { membership, atLeast: (role) => !!membership && roleAtLeast(membership.role, role) };
}
