/**
 * Salvaging a recording its server did not get to stop (a crash, a kill, power lost): what the
 * spool folder holds is stored as if the recording had been stopped at the last moment written.
 * Each track's file is finished in place (salvageWebm: cut after the last complete frame, Cues
 * and Duration written); a track starts where its row says it began (the row is written when its
 * recorder starts, a moment before the first frame). The timeline comes from the journal; the
 * recording lasts until its last track frame or timeline entry.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { salvageWebm } from '@podium/sfu';
import type { EventId, OrgId, RecordingId, RecordingTrackId } from '@podium/protocol';
import type { AppContext } from '../context';
import { updateRecording, updateTrack } from './store';
import { storeTimeline, storeTrack } from './stored-files';
import { JOURNAL_FILE, readTimelineJournal } from './timeline-journal';

/** The recording to salvage, from its row. */
export interface OrphanRecording {
  id: RecordingId;
  orgId: OrgId;
  eventId: EventId;
  startedAt: Date;
}

/**
 * Stores what `dir` holds of `rec` and marks it ready; null (nothing changed) when there is
 * nothing to salvage: no folder here (it ran on another server, or the disk was lost) or no journal.
 */
export async function salvageRecording(ctx: AppContext, dir: string, rec: OrphanRecording): Promise<{ tracks: number; durationMs: number } | null> {
  if (!(await stat(dir).then((x) => x.isDirectory(), () => false))) return null;
  const entries = await readTimelineJournal(join(dir, JOURNAL_FILE));
  if (!entries || entries[0]?.type !== 'initial') return null;
  const rows = await ctx.sql.query<{ id: RecordingTrackId; created_at: Date }>(`select id, created_at from recording_tracks where recording_id = $1 order by created_at, id`, [rec.id]);
  let end = entries.reduce((m, e) => Math.max(m, e.at), 0);
  let tracks = 0;
  for (const row of rows) {
    const path = join(dir, `${row.id}.webm`);
    const file = (await stat(path).then(() => true, () => false)) ? await salvageWebm(path) : null;
    if (!file) {
      await updateTrack(ctx.sql, row.id, { status: 'failed' });
      continue;
    }
    const offsetMs = Math.max(0, new Date(row.created_at).getTime() - rec.startedAt.getTime());
    await storeTrack(ctx, rec.orgId, rec.id, row.id, path, { offsetMs, durationMs: file.durationMs, width: file.width || null, height: file.height || null, droppedPackets: 0 });
    end = Math.max(end, offsetMs + file.durationMs);
    tracks++;
  }
  const durationMs = Math.round(end);
  await updateRecording(ctx.sql, rec.id, { status: 'processing', ended_at: new Date(rec.startedAt.getTime() + durationMs), duration_ms: durationMs });
  await storeTimeline(ctx, rec, durationMs, entries, false);
  return { tracks, durationMs };
}
