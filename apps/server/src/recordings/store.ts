/**
 * SQL of the recordings domain: the recordings and recording_tracks rows (migration 005) and
 * their API form.
 */
import type { EventId, OrgId, Recording, RecordingId, RecordingStatus, RecordingTrack, RecordingTrackId, RecordingTrackKind } from '@podium/protocol';
import type { SqlRunner } from '../storage/sql';

/** A recordings row. */
export interface RecordingRow {
  id: RecordingId;
  org_id: OrgId;
  event_id: EventId;
  event_title: string;
  status: RecordingStatus;
  started_at: Date;
  ended_at: Date | null;
  duration_ms: string | number | null;
  started_by: string | null;
  error: string | null;
  timeline_key: string | null;
  mp4_status: Recording['mp4']['status'];
  mp4_progress: number;
  mp4_error: string | null;
  mp4_key: string | null;
  mp4_size: string | number | null;
  expires_at: Date | null;
  retention_set: boolean;
  warned_at: Date | null;
  publish_nonce: string | null;
  publish_expires_at: Date | null;
}

/** A recording_tracks row. */
export interface TrackRow {
  id: RecordingTrackId;
  recording_id: RecordingId;
  kind: RecordingTrackKind;
  participant_id: string;
  display_name: string;
  producer_id: string;
  codec: string;
  status: 'recording' | 'ready' | 'failed';
  offset_ms: string | number;
  duration_ms: string | number;
  size: string | number;
  width: number | null;
  height: number | null;
  dropped_packets: string | number;
  blob_key: string | null;
}

const COLUMNS = `r.id, r.org_id, r.event_id, e.title as event_title, r.status, r.started_at, r.ended_at, r.duration_ms, r.started_by, r.error,
  r.timeline_key, r.mp4_status, r.mp4_progress, r.mp4_error, r.mp4_key, r.mp4_size, r.expires_at, r.retention_set, r.warned_at,
  r.publish_nonce, r.publish_expires_at`;

/** Inserts a recording that starts now. */
export async function insertRecording(db: SqlRunner, r: { id: RecordingId; orgId: OrgId; eventId: EventId; startedAt: Date; startedBy: string | null; expiresAt: Date | null }): Promise<void> {
  await db.query(
    `insert into recordings (id, org_id, event_id, status, started_at, started_by, expires_at, created_at) values ($1, $2, $3, 'recording', $4, $5, $6, $4)`,
    [r.id, r.orgId, r.eventId, r.startedAt, r.startedBy, r.expiresAt],
  );
}

/** One recording of the organization, or null. */
export async function findRecording(db: SqlRunner, id: RecordingId, orgId?: OrgId): Promise<RecordingRow | null> {
  const rows = await db.query<RecordingRow>(
    `select ${COLUMNS} from recordings r join events e on e.id = r.event_id where r.id = $1 ${orgId ? 'and r.org_id = $2' : ''}`,
    orgId ? [id, orgId] : [id],
  );
  return rows[0] ?? null;
}

/** A page of recordings, newest first, after the cursor (started_at, id). */
export async function listRecordingRows(db: SqlRunner, f: { orgId: OrgId; eventId?: EventId }, after: { startedAt: Date; id: string } | null, limit: number): Promise<RecordingRow[]> {
  const args: unknown[] = [f.orgId];
  let where = 'r.org_id = $1';
  if (f.eventId) {
    args.push(f.eventId);
    where += ` and r.event_id = $${args.length}`;
  }
  if (after) {
    args.push(after.startedAt, after.id);
    where += ` and (r.started_at, r.id) < ($${args.length - 1}, $${args.length})`;
  }
  args.push(limit + 1);
  return db.query<RecordingRow>(`select ${COLUMNS} from recordings r join events e on e.id = r.event_id where ${where} order by r.started_at desc, r.id desc limit $${args.length}`, args);
}

/** The tracks of recordings, in creation order. */
export async function tracksOf(db: SqlRunner, ids: readonly RecordingId[]): Promise<TrackRow[]> {
  if (!ids.length) return [];
  return db.query<TrackRow>(
    `select id, recording_id, kind, participant_id, display_name, producer_id, codec, status, offset_ms, duration_ms, size, width, height, dropped_packets, blob_key
       from recording_tracks where recording_id = any($1::text[]) order by created_at, id`,
    [ids],
  );
}

/** Inserts a track whose recorder starts now. */
export async function insertTrack(db: SqlRunner, t: { id: RecordingTrackId; recordingId: RecordingId; kind: RecordingTrackKind; participantId: string; displayName: string; producerId: string; codec: string; at: Date }): Promise<void> {
  await db.query(
    `insert into recording_tracks (id, recording_id, kind, participant_id, display_name, producer_id, codec, status, created_at) values ($1, $2, $3, $4, $5, $6, $7, 'recording', $8)`,
    [t.id, t.recordingId, t.kind, t.participantId, t.displayName, t.producerId, t.codec, t.at],
  );
}

/** Stores what a track's recorder did. */
export async function updateTrack(db: SqlRunner, id: RecordingTrackId, t: { status: TrackRow['status']; offsetMs?: number; durationMs?: number; size?: number; width?: number | null; height?: number | null; droppedPackets?: number; blobKey?: string | null }): Promise<void> {
  await db.query(
    `update recording_tracks set status = $2, offset_ms = coalesce($3, offset_ms), duration_ms = coalesce($4, duration_ms), size = coalesce($5, size),
       width = coalesce($6, width), height = coalesce($7, height), dropped_packets = coalesce($8, dropped_packets), blob_key = coalesce($9, blob_key) where id = $1`,
    [id, t.status, t.offsetMs ?? null, t.durationMs ?? null, t.size ?? null, t.width ?? null, t.height ?? null, t.droppedPackets ?? null, t.blobKey ?? null],
  );
}

/** Changes some columns of a recording. */
export async function updateRecording(db: SqlRunner, id: RecordingId, set: Record<string, unknown>): Promise<void> {
  const cols = Object.keys(set);
  if (!cols.length) return;
  // Column names come from this module's callers, never from input.
  await db.query(`update recordings set ${cols.map((c, i) => `${c} = $${i + 2}`).join(', ')} where id = $1`, [id, ...cols.map((c) => set[c])]);
}

/** The API form of a recording (publication filled in by the caller, who knows how to make the link). */
export function toRecording(r: RecordingRow, tracks: TrackRow[], published: Recording['published']): Recording {
  const n = (v: string | number | null) => (v === null ? null : Number(v));
  return {
    id: r.id,
    orgId: r.org_id,
    eventId: r.event_id,
    eventTitle: r.event_title,
    status: r.status,
    startedAt: r.started_at.toISOString(),
    endedAt: r.ended_at?.toISOString() ?? null,
    durationMs: n(r.duration_ms),
    tracks: tracks.filter((t) => t.recording_id === r.id && t.status === 'ready').map(toTrack),
    mp4: { status: r.mp4_status, progress: Number(r.mp4_progress), error: r.mp4_error, size: n(r.mp4_size) },
    expiresAt: r.expires_at?.toISOString() ?? null,
    published,
    error: r.error,
  };
}

function toTrack(t: TrackRow): RecordingTrack {
  return {
    id: t.id,
    kind: t.kind,
    participantId: t.participant_id as RecordingTrack['participantId'],
    displayName: t.display_name,
    codec: t.codec,
    contentType: trackContentType(t),
    offsetMs: Number(t.offset_ms),
    durationMs: Number(t.duration_ms),
    size: Number(t.size),
    ...(t.width ? { width: t.width } : {}),
    ...(t.height ? { height: t.height } : {}),
    droppedPackets: Number(t.dropped_packets),
  };
}

/** A track file's media type: WebM for VP8 and Opus, Matroska for H.264 (not a WebM codec). */
export function trackContentType(t: Pick<TrackRow, 'kind' | 'codec'>): string {
  if (t.codec.toLowerCase() === 'video/h264') return 'video/x-matroska';
  return t.kind === 'audio' ? 'audio/webm' : 'video/webm';
}

/** The BlobStore prefix of a recording's objects. */
export function recordingPrefix(orgId: OrgId, id: RecordingId): string {
  return `orgs/${orgId}/recordings/${id}/`;
}
