/**
 * Test helpers of the recordings domain: a finished recording made straight in SQL and the
 * BlobStore (no media), for tests of the routes, retention and authorization.
 */
import { newId, type EventId, type OrgId, type RecordingId, type RecordingTrackId } from '@podium/protocol';
import type { AppContext } from '../context';
import { insertRecording, insertTrack, recordingPrefix, updateRecording, updateTrack } from './store';

/** A seeded recording: ids, the publish token, and the keys of its objects. */
export interface SeededRecording {
  recordingId: RecordingId;
  trackId: RecordingTrackId;
  token: string;
  keys: string[];
}

/** Inserts a `ready`, published recording with one audio track, a timeline and an MP4 (placeholder bytes). */
export async function seedRecording(ctx: AppContext, orgId: OrgId | string, eventId: EventId | string, o: { startedAt?: Date; expiresAt?: Date | null } = {}): Promise<SeededRecording> {
  const recordingId = newId('recording');
  const trackId = newId('recordingTrack');
  const startedAt = o.startedAt ?? ctx.now();
  await insertRecording(ctx.sql, { id: recordingId, orgId: orgId as OrgId, eventId: eventId as EventId, startedAt, startedBy: null, expiresAt: o.expiresAt ?? null });
  const prefix = recordingPrefix(orgId as OrgId, recordingId);
  const trackKey = `${prefix}tracks/${trackId}.webm`;
  const timelineKey = `${prefix}timeline.json`;
  const mp4Key = `${prefix}recording.mp4`;
  await ctx.blobs.put(trackKey, [Buffer.from('\x1a\x45\xdf\xa3 placeholder webm bytes')], { maxBytes: 1 << 20 });
  const timeline = { recordingId, eventId, startedAt: startedAt.toISOString(), durationMs: 1000, entries: [], truncated: false };
  const tl = Buffer.from(JSON.stringify(timeline));
  await ctx.blobs.put(timelineKey, [tl], { maxBytes: 1 << 20 });
  const mp4 = await ctx.blobs.put(mp4Key, [Buffer.from('placeholder mp4 bytes')], { maxBytes: 1 << 20 });
  await insertTrack(ctx.sql, { id: trackId, recordingId, kind: 'audio', participantId: newId('participant'), displayName: 'Hugo Host', producerId: 'prd_seed', codec: 'audio/opus', at: startedAt });
  await updateTrack(ctx.sql, trackId, { status: 'ready', offsetMs: 0, durationMs: 1000, size: 30, droppedPackets: 0, blobKey: trackKey });
  const nonce = newId('job').slice(4);
  await updateRecording(ctx.sql, recordingId, {
    status: 'ready', ended_at: new Date(startedAt.getTime() + 1000), duration_ms: 1000, timeline_key: timelineKey, timeline_size: tl.length,
    mp4_status: 'ready', mp4_progress: 1, mp4_key: mp4Key, mp4_size: mp4.size, publish_nonce: nonce,
  });
  const token = ctx.secrets.hmac('recording-publish', `${recordingId}.${nonce}`).toString('base64url');
  return { recordingId, trackId, token, keys: [trackKey, timelineKey, mp4Key] };
}
