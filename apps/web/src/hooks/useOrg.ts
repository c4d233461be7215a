import { useEffect } from 'react';
import { useParams } from 'react-router-dom';
import { roleAtLeast, type MembershipSummary } from '@podium/protocol';
import { useSession } from '../session';

/** The organization of the `/o/:orgId` URL and the signed-in person's membership of it. */
export interface OrgContext {
  orgId: string;
  /** Undefined when the person is not a member (the server then answers ORG_NOT_FOUND/FORBIDDEN). */
  membership: MembershipSummary | undefined;
  /** Admins and owners manage members, API keys and the outbox. */
  isAdmin: boolean;
  isOwner: boolean;
}

/** Reads the current organization from the URL and the session. */
export function useOrg(): OrgContext {
  const { orgId = '' } = useParams();
  const { me } = useSession();
  const membership = me?.memberships.find((m) => m.orgId === orgId);
  return {
    orgId,
    membership,
    isAdmin: membership ? roleAtLeast(membership.role, 'admin') : false,
    isOwner: membership?.role === 'owner',
  };
}

/** Sets the browser tab title to "<title> · Podium". */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Podium` : 'Podium';
  }, [title]);
}
