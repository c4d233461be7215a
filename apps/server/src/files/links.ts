import { PodiumError, type FileId } from '@podium/protocol';
import type { AppContext } from '../context';
import { safeEqual } from '../security/secrets';

const HMAC_PURPOSE = 'file-link';
/** Longest lifetime of a signed link. */
export const MAX_LINK_TTL_SECONDS = 7 * 24 * 3600;

/** A signed download link and when it stops working. */
export interface SignedFileLink {
  url: string;
  expiresAt: string;
}

function signature(ctx: AppContext, fileId: FileId, exp: number): string {
  return ctx.secrets.hmac(HMAC_PURPOSE, `${fileId}.${exp}`).toString('base64url');
}

/**
 * A link that downloads `fileId` for `ttlSeconds` (1 s to 7 days) without any other credential:
 * HMAC over file id and expiry, so links need no table and cannot be altered. The room gives
 * them to admitted participants; hosts get them through the REST API.
 */
export function signFileLink(ctx: AppContext, fileId: FileId, ttlSeconds: number): SignedFileLink {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_LINK_TTL_SECONDS) throw new RangeError('ttlSeconds out of range');
  const exp = Math.floor(ctx.now().getTime() / 1000) + ttlSeconds;
  const query = new URLSearchParams({ exp: String(exp), sig: signature(ctx, fileId, exp) });
  return { url: `${ctx.config.publicUrl}/api/v1/files/${fileId}/content?${query}`, expiresAt: new Date(exp * 1000).toISOString() };
}

/** Throws FILE_LINK_INVALID for a signature we did not make, FILE_LINK_EXPIRED for a genuine but expired link. */
export function verifyFileLink(ctx: AppContext, fileId: FileId, exp: number, sig: string): void {
  if (!safeEqual(sig, signature(ctx, fileId, exp))) throw new PodiumError('FILE_LINK_INVALID');
  if (exp * 1000 <= ctx.now().getTime()) throw new PodiumError('FILE_LINK_EXPIRED');
}
