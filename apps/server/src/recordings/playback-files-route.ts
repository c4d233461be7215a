/**
 * Slide decks for the public playback page (packages/protocol/src/api/recordings-playback.ts):
 * with a published recording's token, a signed link to a deck that its timeline put on stage —
 * never to another file of the event. Hosts use files.link instead.
 */
import { PodiumError, publicRecordingSlideLink, type FileId, type RecordingId, type RecordingTimeline } from '@podium/protocol';
import type { AppContext } from '../context';
import type { ApiRegistry } from '../http/api-registry';
import { signFileLink } from '../files/links';
import { findReadyFile } from '../files/store';
import { publicRow } from './routes';
import type { RecordingRow } from './store';

/** How long a deck's link from a published recording lasts (the page asks again when the deck changes). */
const LINK_TTL_SECONDS = 3600;

/** Whether the timeline ever put `fileId` on stage. */
async function timelineShows(ctx: AppContext, r: RecordingRow, fileId: FileId): Promise<boolean> {
  if (!r.timeline_key) return false;
  const chunks: Buffer[] = [];
  for await (const c of await ctx.blobs.get(r.timeline_key)) chunks.push(c as Buffer);
  const timeline = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordingTimeline;
  return timeline.entries.some((e) => (e.type === 'initial' || e.type === 'stage') && e.stage.slides?.fileId === fileId);
}

/** Registers recordings.public.slideLink. */
export function registerPlaybackFileRoutes(api: ApiRegistry, ctx: AppContext): void {
  api.handle(publicRecordingSlideLink, async ({ params, query }) => {
    const r = await publicRow(ctx, params.recordingId as RecordingId, query.token);
    const fileId = params.fileId as FileId;
    if (!(await timelineShows(ctx, r, fileId))) throw new PodiumError('FILE_NOT_FOUND');
    const file = await findReadyFile(ctx.sql, fileId);
    if (!file || file.event_id !== r.event_id) throw new PodiumError('FILE_NOT_FOUND');
    return signFileLink(ctx, file.id, LINK_TTL_SECONDS);
  });
}
