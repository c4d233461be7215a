import type { ApiKeyId, OrgId, OrgRole, UserId } from '@podium/protocol';

/** Who is calling. Resolved once per request from the session cookie or the API key. */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'user'; userId: UserId; isInstanceAdmin: boolean; sessionHash: string; csrfToken: string }
  | { kind: 'apiKey'; apiKeyId: ApiKeyId; orgId: OrgId };

/** The role API keys act with inside their organization. */
export const API_KEY_ROLE: OrgRole = 'admin';

/** Name of the session cookie (httpOnly, SameSite=Lax). */
export const SESSION_COOKIE = 'podium_session';
/** Header carrying the CSRF token on cookie-authenticated writes. */
export const CSRF_HEADER = 'x-csrf-token';
