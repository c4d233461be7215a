import type { Readable } from 'node:stream';
import {
  PodiumError, newId, roomSubjects,
  type EventId, type FileId, type FilePurpose, type OrgId, type RoomFile, type UserId,
} from '@podium/protocol';
import type { AppContext } from '../context';
import { BlobTooLargeError } from '../storage/blob-store';
import { displayFileName } from './file-name';
import { fileUsage, quotaExceeded, remainingBytes } from './quota';
import { blobSource } from './inspect/blob-source';
import { describeFormat, inspectFile, mayBeAllowed, typeNotAllowed } from './inspect/inspect-file';
import type { PdfChecker } from './pdf/pdf-checker';
import { SNIFF_BYTES, sniffFormat } from './sniff';
import {
  countEventFiles, deleteFileRow, eventExists, deleteStaleUploads, dequeueBlobDeletion, insertUploadingFile, lockEvent, markFileReady,
  queuedBlobDeletions, toRoomFile,
} from './store';

/** An upload that has not finished after this long was cut off by a crash: its row and bytes are removed. */
const STALE_UPLOAD_MS = 6 * 3_600_000;
const HOUSEKEEPING_BATCH = 200;

/** One upload as the route hands it over. */
export interface UploadInput {
  orgId: OrgId;
  eventId: EventId;
  purpose: FilePurpose;
  /** The name the client sent (sanitized here). */
  name: string;
  uploadedBy: UserId | null;
  /** The request body, unread; undefined for a request without one. */
  body: Readable | undefined;
  /** The request's Content-Length, when it sent one. */
  declaredLength: number | undefined;
}

/** Where a file of an organization keeps its bytes. */
export function fileBlobKey(orgId: OrgId, fileId: FileId): string {
  return `orgs/${orgId}/files/${fileId}`;
}

function tooLarge(maxBytes: number): PodiumError {
  const mb = maxBytes / 1024 ** 2;
  const shown = mb >= 1 ? `${Number.isInteger(mb) ? mb : mb.toFixed(1)} MB` : `${Math.ceil(maxBytes / 1024)} KB`;
  return new PodiumError('PAYLOAD_TOO_LARGE', `The file is larger than ${shown}, the most this server accepts.`, { maxBytes });
}

/** The body as it streams to storage, refused after its first bytes when they show a type the purpose cannot accept. */
async function* sniffedFirst(body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, purpose: FilePurpose): AsyncGenerator<Uint8Array> {
  const head: Buffer[] = [];
  let headBytes = 0;
  let sniffed = false;
  const decide = (complete: boolean) => {
    sniffed = true;
    const format = sniffFormat(Buffer.concat(head), complete);
    if (!mayBeAllowed(format, purpose)) throw typeNotAllowed(purpose, describeFormat(format));
  };
  for await (const chunk of body) {
    if (sniffed) {
      yield chunk;
      continue;
    }
    head.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    headBytes += chunk.byteLength;
    if (headBytes >= SNIFF_BYTES) {
      decide(false);
      yield* head;
    }
  }
  if (!sniffed && headBytes > 0) {
    decide(true);
    yield* head;
  }
}

/** True for the errors a request stream raises when its client went away mid-upload. */
function isClientAbort(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (err as Error | undefined)?.message === 'aborted';
}

/** Tells the event's live room (if it has one) that its files changed; never waits for or fails on it. */
function tellRoom(ctx: AppContext, eventId: EventId): void {
  ctx.bus.request(roomSubjects(eventId).commands, { kind: 'files-changed', eventId }, { timeoutMs: 2000 }).catch(() => {});
}

/**
 * Stores an upload: a row first ('uploading'), then the bytes streamed to the BlobStore (refused
 * as soon as they pass the size limit or their first bytes show a type the purpose cannot take),
 * then the full check of the stored bytes; only then is the file 'ready' and the room told.
 * Whatever fails on the way, neither row nor bytes remain.
 */
export async function uploadEventFile(ctx: AppContext, pdf: PdfChecker, input: UploadInput): Promise<RoomFile> {
  const maxBytes = ctx.config.fileMaxUploadBytes;
  if (input.declaredLength !== undefined && input.declaredLength > maxBytes) throw tooLarge(maxBytes);
  // The quota: the upload may bring at most what is left (checked again, exactly, before it becomes ready).
  const usage = await fileUsage(ctx.sql, input.orgId, ctx.config.fileQuotaBytes);
  const left = remainingBytes(usage);
  if (left === 0 || (input.declaredLength !== undefined && input.declaredLength > left)) throw quotaExceeded(usage);
  const id = newId('file');
  const key = fileBlobKey(input.orgId, id);
  const name = displayFileName(input.name);
  await ctx.sql.transaction(async (tx) => {
    // The event's row lock serializes uploads to one event, so the file limit holds exactly.
    if (!(await lockEvent(tx, input.orgId, input.eventId))) throw new PodiumError('EVENT_NOT_FOUND');
    if ((await countEventFiles(tx, input.eventId)) >= ctx.config.fileMaxPerEvent) {
      throw new PodiumError('FILE_LIMIT_REACHED', undefined, { maxFiles: ctx.config.fileMaxPerEvent });
    }
    await insertUploadingFile(tx, { id, orgId: input.orgId, eventId: input.eventId, purpose: input.purpose, name, blobKey: key, uploadedBy: input.uploadedBy, createdAt: ctx.now() });
  });
  try {
    // Not destroyed when refused early: the server answers first, and Node discards the rest of the body.
    const body = input.body ? input.body.iterator({ destroyOnReturn: false }) : [];
    const stored = await ctx.blobs.put(key, sniffedFirst(body, input.purpose), { maxBytes: Math.min(maxBytes, left) });
    const inspected = await inspectFile(blobSource(ctx.blobs, key, stored.size), input.purpose, name, pdf);
    const row = await ctx.sql.transaction(async (tx) => {
      // Under the organization's row lock: uploads finishing together cannot pass the quota.
      const now = await fileUsage(tx, input.orgId, ctx.config.fileQuotaBytes, { lock: true });
      if (stored.size > remainingBytes(now)) throw quotaExceeded(now);
      return markFileReady(tx, id, { ...inspected, size: stored.size, sha256: stored.sha256, pageCount: inspected.pageCount ?? null });
    });
    if (!row) throw new PodiumError('EVENT_NOT_FOUND');
    tellRoom(ctx, input.eventId);
    return toRoomFile(row);
  } catch (err) {
    await discardUpload(ctx, id, key);
    if (err instanceof BlobTooLargeError) throw left < maxBytes ? quotaExceeded(await fileUsage(ctx.sql, input.orgId, ctx.config.fileQuotaBytes)) : tooLarge(maxBytes);
    if (!(err instanceof PodiumError) && isClientAbort(err)) throw new PodiumError('VALIDATION_FAILED', 'The upload was interrupted before the whole file arrived.');
    throw err;
  } finally {
    void housekeeping(ctx);
  }
}

/** Removes a failed upload's row and bytes. */
async function discardUpload(ctx: AppContext, id: FileId, key: string): Promise<void> {
  await deleteFileRow(ctx.sql, id);
  await purgeDeletedBlobs(ctx, key);
}

/** Deletes a ready file of an event (FILE_NOT_FOUND when the event has no such file), its bytes with it, and tells the room. */
export async function deleteEventFile(ctx: AppContext, orgId: OrgId, eventId: EventId, fileId: FileId): Promise<void> {
  const key = await deleteFileRow(ctx.sql, fileId, { orgId, eventId });
  if (!key) throw new PodiumError((await eventExists(ctx.sql, orgId, eventId)) ? 'FILE_NOT_FOUND' : 'EVENT_NOT_FOUND');
  await purgeDeletedBlobs(ctx, key);
  tellRoom(ctx, eventId);
}

/**
 * Deletes from the BlobStore the objects whose rows are gone (deleted files, and files that went
 * with their event or organization), then their queue entries; `only` limits it to one key.
 * Returns how many objects were removed. Safe to run anywhere, any time, concurrently.
 */
export async function purgeDeletedBlobs(ctx: AppContext, only?: string): Promise<number> {
  const keys = await queuedBlobDeletions(ctx.sql, HOUSEKEEPING_BATCH, only);
  for (const key of keys) {
    await ctx.blobs.delete(key);
    await dequeueBlobDeletion(ctx.sql, key);
  }
  return keys.length;
}

/**
 * Removes uploads a crash cut off and the bytes of deleted files; with `sweepStores`, also what
 * puts cut off left inside the stores (temporary files, unfinished multipart uploads). Errors are
 * logged, never thrown (it runs after requests and on a timer).
 */
export async function housekeeping(ctx: AppContext, o: { sweepStores?: boolean } = {}): Promise<void> {
  try {
    await deleteStaleUploads(ctx.sql, new Date(ctx.now().getTime() - STALE_UPLOAD_MS), HOUSEKEEPING_BATCH);
    await purgeDeletedBlobs(ctx);
    if (o.sweepStores) await ctx.blobs.sweepIncomplete(STALE_UPLOAD_MS);
  } catch (err) {
    ctx.log.warn({ err: { name: (err as Error).name, message: (err as Error).message } }, 'files: housekeeping failed');
  }
}
