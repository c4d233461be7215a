// A track file whose writer died mid-way (no Cues, no Duration, sizes unknown, cut inside a
// block) becomes a finished WebM: ffprobe reads the duration, ffmpeg decodes every frame kept
// without an error, and it matches a file finished normally with the same frames.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeTestMedia, type EncodedMedia } from '../../../../tools/bot/src/encoded-media';
import { salvageWebm } from './webm-salvage';
import { type WebmCodec, WebmMuxer } from './webm-muxer';
import { hasFfmpeg } from '../testing/ffmpeg';

const run = promisify(execFile);

async function probe(path: string): Promise<{ duration: number; frames: number }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'format=duration:stream=nb_read_frames', '-of', 'json', path]);
  const j = JSON.parse(stdout) as { format: { duration?: string }; streams: { nb_read_frames: string }[] };
  return { duration: Number(j.format.duration), frames: Number(j.streams[0]?.nb_read_frames) };
}

async function decodeErrors(path: string): Promise<string> {
  return (await run('ffmpeg', ['-v', 'error', '-i', path, '-f', 'null', '-'])).stderr;
}

/** Writes `frames` with a muxer into `path`; finished or not (as a crash leaves it). Returns the bytes written after each frame. */
function write(path: string, codec: WebmCodec, frames: { data: Buffer; keyframe: boolean; ms: number }[], finish: boolean): number[] {
  const chunks: Buffer[] = [];
  const ends: number[] = [];
  const muxer = new WebmMuxer({ codec, width: 320, height: 180, emit: (b) => chunks.push(b) });
  for (const f of frames) {
    muxer.writeFrame(f.ms, f.keyframe, f.data);
    ends.push(muxer.size);
  }
  if (finish) {
    const { patches } = muxer.finish(Math.round((frames.at(-1)?.ms ?? 0) + (codec === 'opus' ? 20 : 40)));
    const file = Buffer.concat(chunks);
    for (const p of patches) p.bytes.copy(file, p.position);
    writeFileSync(path, file);
  } else writeFileSync(path, Buffer.concat(chunks));
  return ends;
}

describe.skipIf(!hasFfmpeg)('salvageWebm', () => {
  let dir: string;
  let media: EncodedMedia;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podium-salvage-'));
    media = await encodeTestMedia('ffmpeg', dir, 6);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finishes a VP8 track cut inside a block: every complete frame decodes, duration and seeking as if it had been stopped', async () => {
    const frames = media.video.slice(0, 125).map((f, i) => ({ ...f, ms: i * 40 }));
    const cut = join(dir, 'cut.webm');
    const ends = write(cut, 'vp8', frames, false);
    // The process died while writing frame 120: half of it reached the disk.
    truncateSync(cut, ends[119]! + Math.floor((ends[120]! - ends[119]!) / 2));
    const before = await probe(cut);
    expect(Number.isNaN(before.duration) || before.duration === 0, 'an unfinished file has no duration').toBe(true);

    const salvaged = await salvageWebm(cut);
    expect(salvaged).toMatchObject({ frames: 120, width: 320, height: 180, bytes: statSync(cut).size });
    expect(salvaged!.truncatedBytes).toBeGreaterThan(0);
    const finished = join(dir, 'finished.webm');
    write(finished, 'vp8', frames.slice(0, 120), true);
    const [a, b] = [await probe(cut), await probe(finished)];
    expect(a.frames).toBe(120);
    expect(a.frames).toBe(b.frames);
    expect(Math.abs(a.duration - b.duration)).toBeLessThan(0.05);
    expect(await decodeErrors(cut)).toBe('');
    // Seeking works (Cues): decoding from 3 s on starts at a keyframe without errors.
    const { stderr } = await run('ffmpeg', ['-v', 'error', '-ss', '3', '-i', cut, '-f', 'null', '-']);
    expect(stderr).toBe('');
    // A salvaged file is a finished file: salvaging it again leaves every byte as it is.
    const bytes = readFileSync(cut);
    const again = await salvageWebm(cut);
    expect(again).toMatchObject({ frames: 120, bytes: salvaged!.bytes, truncatedBytes: 0 });
    expect(readFileSync(cut).equals(bytes)).toBe(true);
  });

  it('finishes an Opus track cut between blocks, and refuses what is not one of its files', async () => {
    const frames = media.audio.slice(0, 250).map((data, i) => ({ data, keyframe: true, ms: i * 20 }));
    const cut = join(dir, 'cut.opus.webm');
    const ends = write(cut, 'opus', frames, false);
    truncateSync(cut, ends[199]!);
    const salvaged = await salvageWebm(cut);
    expect(salvaged).toMatchObject({ frames: 200, width: 0, height: 0, truncatedBytes: 0 });
    const p = await probe(cut);
    expect(Math.abs(p.duration - 4)).toBeLessThan(0.05);
    expect(await decodeErrors(cut)).toBe('');

    const junk = join(dir, 'junk.webm');
    writeFileSync(junk, Buffer.from('not a webm file at all'));
    expect(await salvageWebm(junk)).toBeNull();
    // Only the header reached the disk: no frame to keep.
    const empty = join(dir, 'empty.webm');
    const headerOnly = write(empty, 'opus', frames.slice(0, 1), false);
    truncateSync(empty, headerOnly[0]! - frames[0]!.data.length - 4);
    expect(await salvageWebm(empty)).toBeNull();
  });
});
