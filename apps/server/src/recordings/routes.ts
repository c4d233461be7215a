/**
 * The recordings REST routes (packages/protocol/src/api/recordings.ts, docs/api.md): hosts of the
 * organization list, play, download, delete, retain and publish recordings; anyone with a valid
 * publish token plays a published one. Track and MP4 bytes are served with Range support.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  PodiumError, composeRecordingMp4, deleteRecording, getRecording, listEventRecordings, listRecordings, publicRecording, publicRecordingMp4,
  publicRecordingTimeline, publicRecordingTrack, publishRecording, recordingMp4Content, recordingTimeline, recordingTrackContent,
  setRecordingRetention, unpublishRecording,
  type EventId, type OrgId, type Recording, type RecordingId, type RecordingPublication, type RecordingTimeline, type RecordingTrackId,
} from '@podium/protocol';
import type { AppContext } from '../context';
import type { ApiRegistry } from '../http/api-registry';
import { cursorDate, decodeCursor, pageLimit, slicePage } from '../http/pagination';
import { contentDisposition } from '../files/content';
import { parseRange } from '../files/range';
import { purgeDeletedBlobs } from '../files/service';
import { eventExists } from '../files/store';
import { safeEqual } from '../security/secrets';
import type { Principal } from '../http/principal';
import { auditRecordingAccess } from '../privacy/recordings-hook';
import { BlobNotFoundError } from '../storage/blob-store';
import { findRecording, listRecordingRows, toRecording, trackContentType, tracksOf, updateRecording, type RecordingRow } from './store';
import { deleteRecordingBlobs, expiryFor } from './retention';
import { MP4_ATTEMPTS, MP4_JOB } from './mp4-job';

const org = (p: { orgId: string }) => p.orgId as OrgId;
const rid = (p: { recordingId: string }) => p.recordingId as RecordingId;

/** The publish token of a recording: an HMAC of its id and the nonce of its current publication (no token is stored). */
function publishToken(ctx: AppContext, id: RecordingId, nonce: string): string {
  return ctx.secrets.hmac('recording-publish', `${id}.${nonce}`).toString('base64url');
}

function publication(ctx: AppContext, r: RecordingRow): RecordingPublication | null {
  if (!r.publish_nonce) return null;
  const token = publishToken(ctx, r.id, r.publish_nonce);
  return { token, url: `${ctx.config.publicUrl}/recordings/${r.id}?token=${token}`, expiresAt: r.publish_expires_at?.toISOString() ?? null };
}

/** The recording of the organization (RECORDING_NOT_FOUND otherwise). */
async function hostRecording(ctx: AppContext, orgId: OrgId, id: RecordingId): Promise<RecordingRow> {
  const r = await findRecording(ctx.sql, id, orgId);
  if (!r) throw new PodiumError('RECORDING_NOT_FOUND');
  return r;
}

/** The published recording the token opens; one error for every way a token fails, so it tells nothing. */
export async function publicRow(ctx: AppContext, id: RecordingId, token: string): Promise<RecordingRow> {
  const r = await findRecording(ctx.sql, id);
  const ok = !!r && !!r.publish_nonce && r.status === 'ready' && safeEqual(token, publishToken(ctx, r.id, r.publish_nonce))
    && (!r.publish_expires_at || r.publish_expires_at.getTime() > ctx.now().getTime());
  if (!ok || !r) throw new PodiumError('RECORDING_LINK_INVALID');
  return r;
}

async function dto(ctx: AppContext, r: RecordingRow, forPublic = false): Promise<Recording> {
  return toRecording(r, await tracksOf(ctx.sql, [r.id]), forPublic ? null : publication(ctx, r));
}

async function readTimeline(ctx: AppContext, r: RecordingRow): Promise<RecordingTimeline> {
  if (!r.timeline_key) throw new PodiumError('RECORDING_NOT_READY');
  const chunks: Buffer[] = [];
  for await (const c of await ctx.blobs.get(r.timeline_key)) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordingTimeline;
}

/** Sends a stored object with Range support (206/416), never cached publicly. */
async function sendBlob(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, key: string, contentType: string, name: string, disposition: 'inline' | 'attachment'): Promise<FastifyReply> {
  const info = await ctx.blobs.stat(key);
  if (!info) throw new PodiumError('RECORDING_NOT_READY');
  const size = info.size;
  const etag = `"${key.split('/').pop()}-${size}"`;
  reply
    .header('content-type', contentType)
    .header('accept-ranges', 'bytes')
    .header('etag', etag)
    .header('cache-control', 'private, max-age=3600')
    .header('content-disposition', contentDisposition(disposition, name))
    .header('x-content-type-options', 'nosniff')
    .header('cross-origin-resource-policy', 'same-origin');
  const ifRange = req.headers['if-range'];
  const range = ifRange && ifRange !== etag ? null : parseRange(req.headers.range, size);
  if (range === 'unsatisfiable') {
    reply.header('content-range', `bytes */${size}`);
    throw new PodiumError('RANGE_NOT_SATISFIABLE', undefined, { size });
  }
  const r = range ?? { start: 0, end: size - 1 };
  let stream;
  try {
    stream = await ctx.blobs.get(key, r);
  } catch (err) {
    if (err instanceof BlobNotFoundError) throw new PodiumError('RECORDING_NOT_READY');
    throw err;
  }
  reply.header('content-length', String(r.end - r.start + 1));
  if (range) reply.code(206).header('content-range', `bytes ${r.start}-${r.end}/${size}`);
  else reply.code(200);
  return reply.send(stream);
}

async function sendTrack(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, r: RecordingRow, trackId: RecordingTrackId): Promise<FastifyReply> {
  const t = (await tracksOf(ctx.sql, [r.id])).find((x) => x.id === trackId && x.status === 'ready' && x.blob_key);
  if (!t || !t.blob_key) throw new PodiumError('RECORDING_NOT_FOUND', 'This recording has no such track.');
  const type = trackContentType(t);
  return sendBlob(ctx, req, reply, t.blob_key, type, `${t.kind}-${t.id}.${type === 'video/x-matroska' ? 'mkv' : 'webm'}`, 'inline');
}

async function sendMp4(ctx: AppContext, req: FastifyRequest, reply: FastifyReply, r: RecordingRow): Promise<FastifyReply> {
  if (r.mp4_status !== 'ready' || !r.mp4_key) throw new PodiumError('RECORDING_NOT_READY', r.mp4_error ?? 'The MP4 is not ready yet.');
  const name = `${r.event_title.replace(/[^\p{L}\p{N} ._-]/gu, '').trim() || 'recording'}.mp4`;
  return sendBlob(ctx, req, reply, r.mp4_key, 'video/mp4', name, 'attachment');
}

/** Who accessed a recording, for the audit log (ids only). */
function actorOf(p: Principal | null): string {
  if (!p || p.kind === 'anonymous') return 'public-link';
  return p.kind === 'user' ? p.userId : p.apiKeyId;
}

/** A download starts at byte 0 (the Range requests of a player seeking are not separate downloads). */
function startsDownload(req: FastifyRequest): boolean {
  const range = req.headers.range;
  return !range || /^bytes=0-/.test(range.trim());
}

/** Registers the recordings routes. */
export function registerRecordingRoutes(api: ApiRegistry, ctx: AppContext): void {
  const audit = (r: RecordingRow, who: Principal | null, how: 'view' | 'download' | 'link' | 'delete') =>
    auditRecordingAccess(ctx.sql, { orgId: r.org_id, actor: actorOf(who), recordingId: r.id, how }, ctx.now());

  const page = async (f: { orgId: OrgId; eventId?: EventId }, query: { limit?: number; cursor?: string }) => {
    const limit = pageLimit(query);
    const after = decodeCursor(query.cursor, ['string', 'string'] as const);
    const rows = await listRecordingRows(ctx.sql, f, after ? { startedAt: cursorDate(after[0]), id: after[1] } : null, limit);
    const tracks = await tracksOf(ctx.sql, rows.slice(0, limit).map((r) => r.id));
    return slicePage(rows, limit, (r) => [r.started_at.toISOString(), r.id], (r) => toRecording(r, tracks, publication(ctx, r)));
  };

  api.handle(listRecordings, async ({ params, query }) => page({ orgId: org(params), ...(query.eventId ? { eventId: query.eventId as EventId } : {}) }, query));

  api.handle(listEventRecordings, async ({ params, query }) => {
    if (!(await eventExists(ctx.sql, org(params), params.eventId as EventId))) throw new PodiumError('EVENT_NOT_FOUND');
    return page({ orgId: org(params), eventId: params.eventId as EventId }, query);
  });

  api.handle(getRecording, async ({ params }) => dto(ctx, await hostRecording(ctx, org(params), rid(params))));

  // Playing back (the timeline is fetched once per playback) and downloads are audited; byte ranges of a seeking player are not.
  api.handle(recordingTimeline, async ({ params, principal }) => {
    const r = await hostRecording(ctx, org(params), rid(params));
    const timeline = await readTimeline(ctx, r);
    await audit(r, principal, 'view');
    return timeline;
  });

  api.handle(recordingTrackContent, async ({ params, req, reply }) => sendTrack(ctx, req, reply, await hostRecording(ctx, org(params), rid(params)), params.trackId as RecordingTrackId));

  api.handle(recordingMp4Content, async ({ params, req, reply, principal }) => {
    const r = await hostRecording(ctx, org(params), rid(params));
    if (r.mp4_status === 'ready' && startsDownload(req)) await audit(r, principal, 'download');
    return sendMp4(ctx, req, reply, r);
  });

  api.handle(composeRecordingMp4, async ({ params }) => {
    const r = await hostRecording(ctx, org(params), rid(params));
    if (r.status !== 'ready') throw new PodiumError('RECORDING_NOT_READY', 'Only a finished recording can be composed.');
    if (r.mp4_status !== 'running') {
      await updateRecording(ctx.sql, r.id, { mp4_status: 'pending', mp4_progress: 0, mp4_error: null });
      await ctx.jobs.enqueue(MP4_JOB, { recordingId: r.id }, { dedupeKey: `${MP4_JOB}:${r.id}:${ctx.now().getTime()}`, maxAttempts: MP4_ATTEMPTS });
    }
    return dto(ctx, (await findRecording(ctx.sql, r.id))!);
  });

  api.handle(deleteRecording, async ({ params, principal }) => {
    const r = await hostRecording(ctx, org(params), rid(params));
    if (r.status === 'recording') throw new PodiumError('RECORDING_ACTIVE', 'Stop the recording in the room first.');
    await deleteRecordingBlobs(ctx, r.org_id, r.id, [r.timeline_key, r.mp4_key]);
    await ctx.sql.query('delete from recordings where id = $1', [r.id]);
    await audit(r, principal, 'delete');
    // The row's keys were queued for deletion by its trigger; they are gone already, so this only empties the queue.
    await purgeDeletedBlobs(ctx);
    return { ok: true as const };
  });

  api.handle(setRecordingRetention, async ({ params, body }) => {
    const r = await hostRecording(ctx, org(params), rid(params));
    if (r.status === 'expired') throw new PodiumError('RECORDING_NOT_FOUND', 'This recording was deleted by retention.');
    if (body.expiresAt === 'default') {
      await updateRecording(ctx.sql, r.id, { expires_at: await expiryFor(ctx, r.org_id, r.started_at), retention_set: false, warned_at: null });
    } else {
      const at = body.expiresAt === null ? null : new Date(body.expiresAt);
      if (at && Number.isNaN(at.getTime())) throw new PodiumError('VALIDATION_FAILED', 'expiresAt is not a date.');
      await updateRecording(ctx.sql, r.id, { expires_at: at, retention_set: true, warned_at: null });
    }
    return dto(ctx, (await findRecording(ctx.sql, r.id))!);
  });

  api.handle(publishRecording, async ({ params, body, principal }) => {
    const r = await hostRecording(ctx, org(params), rid(params));
    if (r.status !== 'ready') throw new PodiumError('RECORDING_NOT_READY', 'Only a finished recording can be published.');
    const expiresAt = body.expiresAt ? new Date(body.expiresAt) : null;
    if (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= ctx.now().getTime())) throw new PodiumError('VALIDATION_FAILED', 'expiresAt must be in the future.');
    const nonce = randomBytes(12).toString('base64url');
    await updateRecording(ctx.sql, r.id, { publish_nonce: nonce, publish_expires_at: expiresAt });
    await audit(r, principal, 'link');
    return publication(ctx, (await findRecording(ctx.sql, r.id))!)!;
  });

  api.handle(unpublishRecording, async ({ params }) => {
    const r = await hostRecording(ctx, org(params), rid(params));
    await updateRecording(ctx.sql, r.id, { publish_nonce: null, publish_expires_at: null });
    return { ok: true as const };
  });

  api.handle(publicRecording, async ({ params, query }) => dto(ctx, await publicRow(ctx, rid(params), query.token), true));
  api.handle(publicRecordingTimeline, async ({ params, query }) => {
    const r = await publicRow(ctx, rid(params), query.token);
    const timeline = await readTimeline(ctx, r);
    await audit(r, null, 'view');
    return timeline;
  });
  api.handle(publicRecordingTrack, async ({ params, query, req, reply }) => sendTrack(ctx, req, reply, await publicRow(ctx, rid(params), query.token), params.trackId as RecordingTrackId));
  api.handle(publicRecordingMp4, async ({ params, query, req, reply }) => {
    const r = await publicRow(ctx, rid(params), query.token);
    if (r.mp4_status === 'ready' && startsDownload(req)) await audit(r, null, 'download');
    return sendMp4(ctx, req, reply, r);
  });
}
