/**
 * The file library quota of an organization: the sizes of its ready files against its own quota
 * (organizations.file_quota_bytes) or the configured default (fileQuotaBytes); 0 is no limit.
 * Checked before an upload streams (it may send at most what is left) and again, under a lock on
 * the organization's row, before the file becomes ready, so concurrent uploads cannot pass it.
 */
import { PodiumError, type OrgId } from '@podium/protocol';
import type { SqlRunner } from '../storage/sql';

/** What an organization stores and may store. */
export interface FileUsage {
  usedBytes: number;
  /** null: no limit. */
  limitBytes: number | null;
}

/** The organization's usage; `lock` holds its row for the rest of the transaction. */
export async function fileUsage(db: SqlRunner, orgId: OrgId, defaultLimit: number, o: { lock?: boolean } = {}): Promise<FileUsage> {
  const org = await db.query<{ quota: number | null }>(
    `select file_quota_bytes::float8 as quota from organizations where id = $1${o.lock ? ' for update' : ''}`, [orgId],
  );
  const used = await db.query<{ used: number }>(
    `select coalesce(sum(size), 0)::float8 as used from files where org_id = $1 and status = 'ready'`, [orgId],
  );
  const limit = org[0]?.quota ?? defaultLimit;
  return { usedBytes: used[0].used, limitBytes: limit > 0 ? limit : null };
}

/** Bytes the organization may still store (Infinity without a limit). */
export function remainingBytes(u: FileUsage): number {
  return u.limitBytes === null ? Number.POSITIVE_INFINITY : Math.max(0, u.limitBytes - u.usedBytes);
}

/** FILE_QUOTA_EXCEEDED with the organization's usage. */
export function quotaExceeded(u: FileUsage): PodiumError {
  return new PodiumError('FILE_QUOTA_EXCEEDED', undefined, { usedBytes: u.usedBytes, limitBytes: u.limitBytes });
}
