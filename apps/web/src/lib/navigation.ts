import type { MembershipSummary } from '@podium/protocol';

/**
 * The in-app path to go to after signing in, from a `?next=` value. Only same-site paths are kept
 * (a leading single slash), so a crafted link cannot send people to another site after sign-in.
 */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (!next) return fallback;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (/[\u0000-\u001f]/.test(next)) return fallback;
  return next;
}

/** Where the current organization is remembered between visits. */
export const LAST_ORG_KEY = 'podium.lastOrg';

/**
 * The organization to show: the one in the URL when the person belongs to it, else the one
 * remembered from the last visit, else the first membership; null when they belong to none.
 */
export function pickOrg(
  memberships: readonly MembershipSummary[],
  urlOrgId: string | undefined,
  rememberedOrgId: string | null,
): MembershipSummary | null {
  const find = (id: string | null | undefined) => (id ? memberships.find((m) => m.orgId === id) : undefined);
  return find(urlOrgId) ?? find(rememberedOrgId) ?? memberships[0] ?? null;
}

/** Reads the remembered organization id (null when storage is unavailable). */
export function readLastOrg(): string | null {
  try {
    return localStorage.getItem(LAST_ORG_KEY);
  } catch {
    return null;
  }
}

/** Remembers the organization the person last looked at. */
export function writeLastOrg(orgId: string): void {
  try {
    localStorage.setItem(LAST_ORG_KEY, orgId);
  } catch {
    // Private mode or storage full: remembering is a convenience, the URL still carries the org.
  }
}
