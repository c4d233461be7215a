import type { ApiKeyId, OrgId, UserId } from '@podium/protocol';
import type { SqlRunner } from '../storage/sql';

/** A row of `api_keys` without the secret's hash. */
export interface ApiKeyRow {
  id: ApiKeyId;
  org_id: OrgId;
  name: string;
  prefix: string;
  created_by: UserId | null;
  created_at: Date;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS = 'id, org_id, name, prefix, created_by, created_at, last_used_at, expires_at, revoked_at';

/** Records an API key by the hash of its secret. */
export async function insertApiKey(
  db: SqlRunner,
  k: { id: ApiKeyId; orgId: OrgId; name: string; prefix: string; keyHash: string; createdBy: UserId | null; createdAt: Date; expiresAt: Date | null },
): Promise<ApiKeyRow> {
  const rows = await db.query<ApiKeyRow>(
    `insert into api_keys (id, org_id, name, prefix, key_hash, created_by, created_at, expires_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8) returning ${COLUMNS}`,
    [k.id, k.orgId, k.name, k.prefix, k.keyHash, k.createdBy, k.createdAt, k.expiresAt],
  );
  return rows[0];
}

/** API keys of an organization (revoked ones too), newest first, after the given sort key. */
export async function listApiKeys(
  db: SqlRunner,
  orgId: OrgId,
  after: { createdAt: Date; id: string } | null,
  limit: number,
): Promise<ApiKeyRow[]> {
  return db.query<ApiKeyRow>(
    `select ${COLUMNS} from api_keys
      where org_id = $1 and ($2::timestamptz is null or (created_at, id) < ($2::timestamptz, $3::text))
      order by created_at desc, id desc
      limit $4`,
    [orgId, after?.createdAt ?? null, after?.id ?? null, limit],
  );
}

/** Revokes a key of the organization (keeps the first revocation time); false when it is not one of its keys. */
export async function revokeApiKey(db: SqlRunner, orgId: OrgId, id: ApiKeyId, now: Date): Promise<boolean> {
  const rows = await db.query(
    'update api_keys set revoked_at = coalesce(revoked_at, $3) where id = $2 and org_id = $1 returning id',
    [orgId, id, now],
  );
  return rows.length > 0;
}
