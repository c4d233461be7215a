/**
 * The composed MP4 of a recording (H.264 + AAC, 1280×720), made by ffmpeg in a durable job that is
 * retried with backoff. Layout: the screen share large with the active speaker's camera as a
 * picture-in-picture while there is a screen share, otherwise the active speaker's camera large —
 * switching with the timeline's active-speaker changes; every audio track mixed at its offset.
 * Progress comes from ffmpeg's `-progress pipe:1` and is kept in the row. Without ffmpeg the job
 * says so plainly and stops (no retries): "MP4 needs ffmpeg, which is not installed".
 */
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, constants, mkdtemp, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { RecordingId, RecordingTimeline } from '@podium/protocol';
import type { AppContext } from '../context';
import { findRecording, recordingPrefix, tracksOf, updateRecording, type TrackRow } from './store';

/** The MP4 job's kind. */
export const MP4_JOB = 'recordings.mp4';
/** What a recording says when this server has no ffmpeg. */
export const FFMPEG_MISSING = 'MP4 needs ffmpeg, which is not installed';
const W = 1280;
const H = 720;
const PIP_W = 320;
const PIP_H = 180;
const MAX_MP4_BYTES = 50 * 1024 ** 3;

/**
 * The static ffmpeg build shipped inside an npm package (@ffmpeg-installer/ffmpeg, an optional
 * dependency: `npm install` brings it where the platform has one), or null.
 */
export function bundledFfmpeg(): string | null {
  try {
    return (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
  } catch {
    return null;
  }
}

/**
 * The ffmpeg to use: `ffmpegPath` from the configuration (and only that one when set), else
 * `ffmpeg` on the PATH (the system's), else the build shipped in the npm package; null when there
 * is none.
 */
export async function findFfmpeg(configured: string, path = process.env.PATH ?? '', bundled: string | null = bundledFfmpeg()): Promise<string | null> {
  const candidates = configured ? [configured] : [...path.split(delimiter).filter(Boolean).map((d) => join(d, 'ffmpeg')), ...(bundled ? [bundled] : [])];
  for (const c of candidates) {
    try {
      await access(c, constants.X_OK);
      return c;
    } catch {
      // not here
    }
  }
  return null;
}

/** A time span [from, to) in seconds. */
interface Span {
  from: number;
  to: number;
}

/** Which camera is "the speaker's" when: the active speaker's camera while they have one, else the last one shown, else the first camera there is. */
export function speakerSpans(cameras: { id: string; participantId: string; from: number; to: number }[], changes: { at: number; participantId: string | null }[], duration: number): Map<string, Span[]> {
  const out = new Map<string, Span[]>(cameras.map((c) => [c.id, []]));
  if (!cameras.length) return out;
  // Decide per 100 ms step: simple, and exact enough for a picture switch.
  const step = 0.1;
  let current: string | null = null;
  let speaker: string | null = null;
  let ci = 0;
  const sorted = [...changes].sort((a, b) => a.at - b.at);
  for (let k = 0; k * step < duration; k++) {
    // Whole steps (k / 10), not a running sum: 0.1 added eighty times is not 8.
    const t = k / 10;
    while (ci < sorted.length && sorted[ci].at <= k * 100) speaker = sorted[ci++].participantId;
    const live = cameras.filter((c) => c.from <= t && t < c.to);
    const bySpeaker = speaker ? live.find((c) => c.participantId === speaker) : undefined;
    const keep = live.find((c) => c.id === current);
    const chosen = bySpeaker ?? keep ?? live[0];
    current = chosen?.id ?? current;
    if (!chosen) continue;
    const spans = out.get(chosen.id)!;
    const last = spans.at(-1);
    if (last && Math.abs(last.to - t) < step / 2) last.to = Math.min(duration, t + step);
    else spans.push({ from: t, to: Math.min(duration, t + step) });
  }
  return out;
}

function enableExpr(spans: Span[]): string {
  return spans.map((s) => `between(t,${s.from.toFixed(2)},${s.to.toFixed(2)})`).join('+');
}

/** The ffmpeg arguments composing the tracks in `dir` (see file comment). */
export function composeArgs(tracks: { file: string; kind: string; participantId: string; offsetMs: number; durationMs: number; id: string }[], timeline: RecordingTimeline | null, durationMs: number, out: string): string[] {
  const D = Math.max(0.5, durationMs / 1000);
  const args: string[] = ['-v', 'error', '-y', '-nostats', '-progress', 'pipe:1'];
  const filters: string[] = [`color=c=black:s=${W}x${H}:r=25:d=${D.toFixed(3)}[base]`];
  const span = (t: { offsetMs: number; durationMs: number }) => ({ from: t.offsetMs / 1000, to: Math.min(D, (t.offsetMs + t.durationMs) / 1000) });
  tracks.forEach((t) => args.push('-i', t.file));
  const video = tracks.map((t, i) => ({ ...t, input: i })).filter((t) => t.kind !== 'audio');
  const audio = tracks.map((t, i) => ({ ...t, input: i })).filter((t) => t.kind === 'audio');
  const screens = video.filter((t) => t.kind === 'screen');
  const cameras = video.filter((t) => t.kind === 'video');
  const changes = (timeline?.entries ?? []).flatMap((e) => (e.type === 'active-speaker' ? [{ at: e.at, participantId: e.participantId as string | null }] : []));
  const camSpans = speakerSpans(cameras.map((c) => ({ id: c.id, participantId: c.participantId, ...span(c) })), changes, D);
  let last = 'base';
  let n = 0;
  const overlay = (t: (typeof video)[number], w: number, h: number, where: string, spans: Span[]) => {
    if (!spans.length) return;
    const off = (t.offsetMs / 1000).toFixed(3);
    filters.push(`[${t.input}:v]fps=25,scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2,setsar=1,tpad=start_duration=${off}:color=black[v${n}]`);
    filters.push(`[${last}][v${n}]overlay=${where}:eof_action=pass:enable='${enableExpr(spans)}'[o${n}]`);
    last = `o${n}`;
    n++;
  };
  // Screens large (each while it runs); the speaker's camera large when no screen is shared, small over a screen.
  for (const s of screens) overlay(s, W, H, '0:0', [span(s)]);
  const screenSpans = screens.map(span);
  const inScreen = (t: number) => screenSpans.some((s) => s.from <= t && t < s.to);
  for (const c of cameras) {
    const spans = camSpans.get(c.id) ?? [];
    const large: Span[] = [];
    const small: Span[] = [];
    for (const s of spans) (inScreen((s.from + s.to) / 2) ? small : large).push(s);
    overlay(c, W, H, '0:0', large);
    overlay(c, PIP_W, PIP_H, `W-w-24:H-h-24`, small);
  }
  filters.push(`[${last}]format=yuv420p[vout]`);
  if (audio.length) {
    audio.forEach((a, i) => filters.push(`[${a.input}:a]aresample=48000,adelay=${Math.round(a.offsetMs)}:all=1[a${i}]`));
    if (audio.length === 1) filters.push('[a0]apad[aout]');
    else filters.push(`${audio.map((_, i) => `[a${i}]`).join('')}amix=inputs=${audio.length}:duration=longest:normalize=0,apad[aout]`);
  } else {
    filters.push('anullsrc=r=48000:cl=stereo[aout]');
  }
  args.push('-filter_complex', filters.join(';'), '-map', '[vout]', '-map', '[aout]');
  args.push('-c:v', 'libx264', '-preset', 'veryfast', '-crf', '26', '-r', '25', '-c:a', 'aac', '-b:a', '128k', '-ac', '2', '-t', D.toFixed(3), '-movflags', '+faststart', out);
  return args;
}

/** Runs ffmpeg, calling `onProgress` with the seconds written so far; rejects with its last error lines. */
function runFfmpeg(ffmpeg: string, args: string[], onProgress: (seconds: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let buf = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buf += chunk;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        const m = /^out_time_(?:us|ms)=(\d+)$/.exec(line);
        if (m) onProgress(Number(m[1]) / 1e6);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err = (err + chunk).slice(-2000);
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`))));
  });
}

/** Makes the MP4 of one recording (the job's work; throws to be retried). */
export async function composeMp4(ctx: AppContext, recordingId: RecordingId, attempt: number, maxAttempts: number): Promise<void> {
  const rec = await findRecording(ctx.sql, recordingId);
  if (!rec || rec.status !== 'ready') return; // deleted, expired or failed meanwhile: nothing to make
  const ffmpeg = await findFfmpeg(ctx.config.ffmpegPath);
  if (!ffmpeg) {
    await updateRecording(ctx.sql, recordingId, { mp4_status: 'failed', mp4_error: FFMPEG_MISSING, mp4_progress: 0 });
    ctx.log.warn({ recordingId }, 'recordings: no ffmpeg, the MP4 is not made');
    return;
  }
  const tracks = (await tracksOf(ctx.sql, [recordingId])).filter((t): t is TrackRow & { blob_key: string } => t.status === 'ready' && !!t.blob_key);
  await updateRecording(ctx.sql, recordingId, { mp4_status: 'running', mp4_progress: 0, mp4_error: null });
  const dir = await mkdtemp(join(tmpdir(), 'podium-mp4-'));
  try {
    const files = [];
    for (const t of tracks) {
      const file = join(dir, `${t.id}.webm`);
      await pipeline(await ctx.blobs.get(t.blob_key), createWriteStream(file));
      files.push({ file, kind: t.kind, participantId: t.participant_id, offsetMs: Number(t.offset_ms), durationMs: Number(t.duration_ms), id: t.id });
    }
    let timeline: RecordingTimeline | null = null;
    if (rec.timeline_key) {
      const chunks: Buffer[] = [];
      for await (const c of await ctx.blobs.get(rec.timeline_key)) chunks.push(c as Buffer);
      timeline = JSON.parse(Buffer.concat(chunks).toString('utf8')) as RecordingTimeline;
    }
    const durationMs = Number(rec.duration_ms ?? 0);
    const out = join(dir, 'out.mp4');
    let lastWrite = 0;
    let pending: Promise<void> = Promise.resolve();
    await runFfmpeg(ffmpeg, composeArgs(files, timeline, durationMs, out), (seconds) => {
      const now = Date.now();
      if (now - lastWrite < 1000) return;
      lastWrite = now;
      const progress = Math.min(0.99, durationMs > 0 ? (seconds * 1000) / durationMs : 0);
      pending = pending.then(() => updateRecording(ctx.sql, recordingId, { mp4_progress: progress })).catch(() => undefined);
    });
    await pending;
    const key = `${recordingPrefix(rec.org_id, recordingId)}recording.mp4`;
    const put = await ctx.blobs.put(key, createReadStream(out), { maxBytes: MAX_MP4_BYTES });
    // Deleted while composing: the new object must not outlive its row.
    const still = await findRecording(ctx.sql, recordingId);
    if (!still || still.status !== 'ready') {
      await ctx.blobs.delete(key);
      return;
    }
    await updateRecording(ctx.sql, recordingId, { mp4_status: 'ready', mp4_progress: 1, mp4_key: key, mp4_size: put.size, mp4_error: null });
    ctx.log.info({ recordingId, bytes: (await stat(out)).size }, 'recordings: MP4 made');
  } catch (err) {
    const message = (err as Error).message.slice(0, 500);
    const final = attempt >= maxAttempts;
    await updateRecording(ctx.sql, recordingId, final
      ? { mp4_status: 'failed', mp4_error: `The MP4 could not be made: ${message}` }
      : { mp4_status: 'pending', mp4_error: `Attempt ${attempt} of ${maxAttempts} failed; retrying: ${message}` });
    if (!final) throw err;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Max attempts of the MP4 job. */
export const MP4_ATTEMPTS = 3;

/** Registers the MP4 job. */
export function registerMp4Job(ctx: AppContext): void {
  ctx.jobs.handle(MP4_JOB, async (payload, job) => {
    await composeMp4(ctx, payload.recordingId as RecordingId, job.attempt, MP4_ATTEMPTS);
  });
}
