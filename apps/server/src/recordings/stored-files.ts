/**
 * The last steps of every recording, whether it was stopped or salvaged after a crash: a track's
 * WebM file into the BlobStore (its row `ready`), then the timeline JSON (the recording `ready`)
 * and the MP4 job queued.
 */
import { createReadStream } from 'node:fs';
import type { EventId, OrgId, RecordingId, RecordingTimeline, RecordingTrackId, TimelineEntry } from '@podium/protocol';
import type { AppContext } from '../context';
import { MP4_ATTEMPTS, MP4_JOB } from './mp4-job';
import { recordingPrefix, updateRecording, updateTrack } from './store';

/** Largest track file moved to the BlobStore (bytes). */
const MAX_TRACK_BYTES = 20 * 1024 ** 3;

/** What the row of a stored track says of it. */
export interface StoredTrackMeta {
  offsetMs: number;
  durationMs: number;
  width: number | null;
  height: number | null;
  droppedPackets: number;
}

/** Moves a finished track file into the BlobStore and marks its row ready. */
export async function storeTrack(ctx: AppContext, orgId: OrgId, recordingId: RecordingId, trackId: RecordingTrackId, path: string, meta: StoredTrackMeta): Promise<void> {
  const key = `${recordingPrefix(orgId, recordingId)}tracks/${trackId}.webm`;
  const put = await ctx.blobs.put(key, createReadStream(path), { maxBytes: MAX_TRACK_BYTES });
  await updateTrack(ctx.sql, trackId, { status: 'ready', ...meta, size: put.size, blobKey: key });
}

/** Stores the timeline (entries past the end are moved to it), marks the recording ready and queues its MP4. */
export async function storeTimeline(
  ctx: AppContext,
  rec: { id: RecordingId; orgId: OrgId; eventId: EventId; startedAt: Date },
  durationMs: number,
  entries: readonly TimelineEntry[],
  truncated: boolean,
): Promise<void> {
  const timeline: RecordingTimeline = {
    recordingId: rec.id, eventId: rec.eventId, startedAt: rec.startedAt.toISOString(), durationMs,
    entries: entries.map((e) => (e.at > durationMs ? { ...e, at: durationMs } : e)), truncated,
  };
  const bytes = Buffer.from(JSON.stringify(timeline));
  const timelineKey = `${recordingPrefix(rec.orgId, rec.id)}timeline.json`;
  await ctx.blobs.put(timelineKey, [bytes], { maxBytes: bytes.length });
  await updateRecording(ctx.sql, rec.id, { status: 'ready', timeline_key: timelineKey, timeline_size: bytes.length, mp4_status: 'pending', mp4_progress: 0 });
  await ctx.jobs.enqueue(MP4_JOB, { recordingId: rec.id }, { dedupeKey: `${MP4_JOB}:${rec.id}:1`, maxAttempts: MP4_ATTEMPTS });
}
