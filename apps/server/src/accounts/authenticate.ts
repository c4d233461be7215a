import type { ApiKeyId, OrgId, OrgRole, UserId } from '@podium/protocol';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../context';
import { SESSION_COOKIE, type Principal } from '../http/principal';
import { hashToken } from '../security/secrets';

/** Prefix of API key secrets (`pdm_…`), so leaked keys are recognisable by scanners. */
export const API_KEY_SECRET_PREFIX = 'pdm_';

// Touch last_seen/last_used at most once a minute per credential: no write on every request.
const TOUCH_INTERVAL_MS = 60_000;

/** Resolves the caller from the `Authorization: Bearer pdm_…` API key or the session cookie. */
export async function authenticate(ctx: AppContext, req: FastifyRequest): Promise<Principal> {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const m = /^Bearer\s+(pdm_[A-Za-z0-9_-]{20,100})\s*$/.exec(auth);
    if (!m) return { kind: 'anonymous' };
    const rows = await ctx.sql.query<{ id: ApiKeyId; org_id: OrgId; last_used_at: Date | null }>(
      `select id, org_id, last_used_at from api_keys
        where key_hash = $1 and revoked_at is null and (expires_at is null or expires_at > $2)`,
      [hashToken(m[1]), ctx.now()],
    );
    const key = rows[0];
    if (!key) return { kind: 'anonymous' };
    if (!key.last_used_at || ctx.now().getTime() - key.last_used_at.getTime() > TOUCH_INTERVAL_MS) {
      await ctx.sql.query('update api_keys set last_used_at = $2 where id = $1', [key.id, ctx.now()]);
    }
    return { kind: 'apiKey', apiKeyId: key.id, orgId: key.org_id };
  }
  const cookie = req.cookies?.[SESSION_COOKIE];
  if (!cookie || cookie.length > 200) return { kind: 'anonymous' };
  const sessionHash = hashToken(cookie);
  const rows = await ctx.sql.query<{ user_id: UserId; is_instance_admin: boolean; csrf_token: string; last_seen_at: Date }>(
    `select s.user_id, u.is_instance_admin, s.csrf_token, s.last_seen_at
       from sessions s join users u on u.id = s.user_id
      where s.token_hash = $1 and s.expires_at > $2`,
    [sessionHash, ctx.now()],
  );
  const s = rows[0];
  if (!s) return { kind: 'anonymous' };
  if (ctx.now().getTime() - s.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
    await ctx.sql.query('update sessions set last_seen_at = $2 where token_hash = $1', [sessionHash, ctx.now()]);
  }
  return { kind: 'user', userId: s.user_id, isInstanceAdmin: s.is_instance_admin, sessionHash, csrfToken: s.csrf_token };
}

/** The role of a user in an organization, or null when not a member. */
export async function roleInOrg(ctx: AppContext, userId: UserId, orgId: string): Promise<OrgRole | null> {
  const rows = await ctx.sql.query<{ role: OrgRole }>('select role from memberships where org_id = $1 and user_id = $2', [orgId, userId]);
  return rows[0]?.role ?? null;
}
