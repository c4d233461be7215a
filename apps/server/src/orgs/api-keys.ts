import { newId, PodiumError, type ApiKey, type ApiKeyId, type OrgId, type PageOf, type PageQuery } from '@podium/protocol';
import { API_KEY_SECRET_PREFIX } from '../accounts/authenticate';
import { cursorDate, decodeCursor, pageLimit, slicePage } from '../http/pagination';
import { hashToken, randomToken } from '../security/secrets';
import { insertApiKey, listApiKeys, revokeApiKey, type ApiKeyRow } from './api-keys-store';
import { toApiKey } from './dto';
import type { OrgActor, OrgDeps } from './service';

/** Characters of the secret (after `pdm_`) kept in clear to recognise a key in lists. */
export const API_KEY_PREFIX_LENGTH = 8;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A new key with its secret, which exists only in this answer. */
export interface NewApiKey {
  row: ApiKeyRow;
  secret: string;
}

/** Creates an API key of the organization; only the secret's hash is stored. */
export async function createApiKey(
  deps: OrgDeps, orgId: OrgId, actor: OrgActor, b: { name: string; expiresInDays?: number },
): Promise<NewApiKey> {
  const body = randomToken();
  const secret = `${API_KEY_SECRET_PREFIX}${body}`;
  const now = deps.now();
  const row = await insertApiKey(deps.sql, {
    id: newId('apiKey'),
    orgId,
    name: b.name.trim() || b.name,
    prefix: body.slice(0, API_KEY_PREFIX_LENGTH),
    keyHash: hashToken(secret),
    createdBy: actor.userId,
    createdAt: now,
    expiresAt: b.expiresInDays ? new Date(now.getTime() + b.expiresInDays * DAY_MS) : null,
  });
  return { row, secret };
}

/** A page of the organization's API keys, newest first (revoked ones included, marked). */
export async function listOrgApiKeys(deps: OrgDeps, orgId: OrgId, query: PageQuery): Promise<PageOf<ApiKey>> {
  const limit = pageLimit(query);
  const after = decodeCursor(query.cursor, ['string', 'string'] as const);
  const rows = await listApiKeys(deps.sql, orgId, after && { createdAt: cursorDate(after[0]), id: after[1] }, limit + 1);
  return slicePage(rows, limit, (r) => [r.created_at.toISOString(), r.id], toApiKey);
}

/** Revokes a key at once (idempotent); API_KEY_NOT_FOUND when it is not a key of this organization. */
export async function revokeOrgApiKey(deps: OrgDeps, orgId: OrgId, id: ApiKeyId): Promise<void> {
  if (!(await revokeApiKey(deps.sql, orgId, id, deps.now()))) throw new PodiumError('API_KEY_NOT_FOUND');
}
