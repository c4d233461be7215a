import type { EventId, FileContentType, FileId, FilePurpose, OrgId, RoomFile, UserId } from '@podium/protocol';
import type { SqlRunner } from '../storage/sql';

/** A stored file as its row holds it (`size` and `content_type` are set once it is ready). */
export interface FileRow {
  id: FileId;
  org_id: OrgId;
  event_id: EventId | null;
  purpose: FilePurpose;
  status: 'uploading' | 'ready';
  name: string;
  content_type: FileContentType | null;
  size: number | null;
  sha256: string | null;
  page_count: number | null;
  blob_key: string;
  created_at: Date;
}

/** A file that finished uploading. */
export type ReadyFileRow = FileRow & { status: 'ready'; content_type: FileContentType; size: number; sha256: string };

// size is bigint in SQL; a double holds every size up to 2^53 exactly and arrives as a number from both stores.
const COLUMNS = `id, org_id, event_id, purpose, status, name, content_type, size::float8 as size, sha256, page_count, blob_key, created_at`;
/** Most files one listing returns (the per-event limit is far below it). */
const MAX_LISTED = 10_000;

/** Locks the event of `orgId` for the rest of the transaction; false when there is none. */
export async function lockEvent(tx: SqlRunner, orgId: OrgId, eventId: EventId): Promise<boolean> {
  return (await tx.query('select 1 from events where id = $1 and org_id = $2 for update', [eventId, orgId])).length > 0;
}

/** True when the event exists and belongs to `orgId`. */
export async function eventExists(db: SqlRunner, orgId: OrgId, eventId: EventId): Promise<boolean> {
  return (await db.query('select 1 from events where id = $1 and org_id = $2', [eventId, orgId])).length > 0;
}

/** Files of an event, uploading or ready. */
export async function countEventFiles(db: SqlRunner, eventId: EventId): Promise<number> {
  const rows = await db.query<{ n: number }>('select count(*)::int as n from files where event_id = $1', [eventId]);
  return rows[0].n;
}

/** Records an upload that has started: its bytes are not stored or checked yet. */
export async function insertUploadingFile(db: SqlRunner, f: {
  id: FileId; orgId: OrgId; eventId: EventId; purpose: FilePurpose; name: string; blobKey: string; uploadedBy: UserId | null; createdAt: Date;
}): Promise<void> {
  await db.query(
    `insert into files (id, org_id, event_id, purpose, status, name, blob_key, uploaded_by, created_at)
     values ($1, $2, $3, $4, 'uploading', $5, $6, $7, $8)`,
    [f.id, f.orgId, f.eventId, f.purpose, f.name, f.blobKey, f.uploadedBy, f.createdAt],
  );
}

/** Marks an upload stored and checked; null when its row is gone (its event was deleted meanwhile). */
export async function markFileReady(db: SqlRunner, id: FileId, f: {
  contentType: FileContentType; size: number; sha256: string; pageCount: number | null;
}): Promise<ReadyFileRow | null> {
  const rows = await db.query<ReadyFileRow>(
    `update files set status = 'ready', content_type = $2, size = $3, sha256 = $4, page_count = $5
      where id = $1 and status = 'uploading' returning ${COLUMNS}`,
    [id, f.contentType, f.size, f.sha256, f.pageCount],
  );
  return rows[0] ?? null;
}

/** A ready file of an event of `orgId` (tenant-scoped); null when absent or another organization's. */
export async function findEventFile(db: SqlRunner, orgId: OrgId, eventId: EventId, fileId: FileId): Promise<ReadyFileRow | null> {
  const rows = await db.query<ReadyFileRow>(
    `select ${COLUMNS} from files where id = $1 and org_id = $2 and event_id = $3 and status = 'ready'`,
    [fileId, orgId, eventId],
  );
  return rows[0] ?? null;
}

/** A ready file by id alone (signed links name no organization: the signature is the authority). */
export async function findReadyFile(db: SqlRunner, fileId: FileId): Promise<ReadyFileRow | null> {
  const rows = await db.query<ReadyFileRow>(`select ${COLUMNS} from files where id = $1 and status = 'ready'`, [fileId]);
  return rows[0] ?? null;
}

/** One page of an event's ready files, oldest first; keyset on (created_at, id); fetches `limit + 1` rows. */
export async function listEventFileRows(
  db: SqlRunner, eventId: EventId, after: { createdAt: Date; id: string } | null, limit: number,
): Promise<ReadyFileRow[]> {
  const params: unknown[] = [eventId, limit + 1];
  let where = `event_id = $1 and status = 'ready'`;
  if (after) {
    params.push(after.createdAt, after.id);
    where += ' and (created_at, id) > ($3::timestamptz, $4::text)';
  }
  return db.query<ReadyFileRow>(`select ${COLUMNS} from files where ${where} order by created_at, id limit $2`, params);
}

/** The room's view of an event's files: every ready file, oldest first. The room coordinator loads its files with this. */
export async function listEventFiles(sql: SqlRunner, eventId: EventId): Promise<RoomFile[]> {
  const rows = await sql.query<ReadyFileRow>(
    `select ${COLUMNS} from files where event_id = $1 and status = 'ready' order by created_at, id limit ${MAX_LISTED}`,
    [eventId],
  );
  return rows.map(toRoomFile);
}

/** Deletes a file's row (a trigger queues its bytes for deletion); returns its blob key, or null when there was none. */
export async function deleteFileRow(db: SqlRunner, fileId: FileId, scope?: { orgId: OrgId; eventId: EventId }): Promise<string | null> {
  const rows = scope
    ? await db.query<{ blob_key: string }>('delete from files where id = $1 and org_id = $2 and event_id = $3 and status = \'ready\' returning blob_key', [fileId, scope.orgId, scope.eventId])
    : await db.query<{ blob_key: string }>('delete from files where id = $1 returning blob_key', [fileId]);
  return rows[0]?.blob_key ?? null;
}

/** Deletes the rows of uploads that started before `before` and never finished (a crash); their bytes are queued for deletion. */
export async function deleteStaleUploads(db: SqlRunner, before: Date, limit: number): Promise<number> {
  const rows = await db.query(
    `delete from files where id in (select id from files where status = 'uploading' and created_at < $1 order by created_at limit $2) returning id`,
    [before, limit],
  );
  return rows.length;
}

/** Blob keys queued for deletion, oldest first. */
export async function queuedBlobDeletions(db: SqlRunner, limit: number, only?: string): Promise<string[]> {
  const rows = only
    ? await db.query<{ blob_key: string }>('select blob_key from blob_deletions where blob_key = $1', [only])
    : await db.query<{ blob_key: string }>('select blob_key from blob_deletions order by queued_at limit $1', [limit]);
  return rows.map((r) => r.blob_key);
}

/** Removes a key from the deletion queue once its bytes are gone. */
export async function dequeueBlobDeletion(db: SqlRunner, key: string): Promise<void> {
  await db.query('delete from blob_deletions where blob_key = $1', [key]);
}

/** The API and room form of a file. */
export function toRoomFile(row: ReadyFileRow): RoomFile {
  return {
    id: row.id,
    name: row.name,
    contentType: row.content_type,
    size: row.size,
    purpose: row.purpose,
    ...(row.page_count !== null ? { pageCount: row.page_count } : {}),
    uploadedAt: row.created_at.toISOString(),
  };
}
