// The recorder tap on real VP8 and Opus (encoded by ffmpeg from its test sources, packetized into
// RTP here): the WebM it writes decodes with ffmpeg, has the sent duration, survives reordering,
// RTP timestamp wrap-around and loss, and drops (counting) rather than buffering when the writer stalls.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Test-only: the bot package's encoders and packetizer (the SFU package itself does not depend on it).
import { encodeTestMedia, packetizeVp8, type EncodedMedia } from '../../../../tools/bot/src/encoded-media';
import { parseRtp } from '../rtp/rtp-packet';
import { buildRtp } from '../testing/rtp-builder';
import { MemoryWriter, openFileWriter } from './file-writer';
import { RecordingSink, type RecordingStats } from './recording-sink';
import { hasFfmpeg } from '../testing/ffmpeg';

const run = promisify(execFile);

interface Rtp {
  seq: number;
  ts: number;
  marker: boolean;
  payload: Buffer;
}

/** RTP packets of `seconds` of the clip (video at its fps, audio every 20 ms). */
function videoPackets(media: EncodedMedia, seconds: number, seq0: number, ts0: number): Rtp[] {
  const out: Rtp[] = [];
  let seq = seq0;
  for (let i = 0; i < seconds * media.fps; i++) {
    const frame = media.video[i % media.video.length];
    const ts = (ts0 + i * (90_000 / media.fps)) >>> 0;
    const parts = packetizeVp8(frame.data, i & 0x7fff);
    parts.forEach((payload, k) => out.push({ seq: seq++ & 0xffff, ts, marker: k === parts.length - 1, payload }));
  }
  return out;
}

function audioPackets(media: EncodedMedia, seconds: number, seq0: number, ts0: number): Rtp[] {
  return Array.from({ length: seconds * 50 }, (_, i) => ({ seq: (seq0 + i) & 0xffff, ts: (ts0 + i * 960) >>> 0, marker: false, payload: media.audio[i % media.audio.length] }));
}

function feed(sink: RecordingSink, packets: Rtp[], msPerPacket: number): void {
  packets.forEach((p, i) => {
    const buf = buildRtp({ payloadType: 96, sequenceNumber: p.seq, timestamp: p.ts, ssrc: 1234, marker: p.marker, payload: p.payload });
    sink.forward(parseRtp(buf)!, false, i * msPerPacket, 0);
  });
}

async function probe(path: string): Promise<{ duration: number; frames: number; codec: string }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'format=duration:stream=codec_name,nb_read_frames', '-of', 'json', path]);
  const j = JSON.parse(stdout) as { format: { duration: string }; streams: { codec_name: string; nb_read_frames: string }[] };
  return { duration: Number(j.format.duration), frames: Number(j.streams[0].nb_read_frames), codec: j.streams[0].codec_name };
}

async function decodeErrors(path: string): Promise<string> {
  const { stderr } = await run('ffmpeg', ['-v', 'error', '-i', path, '-f', 'null', '-']);
  return stderr;
}

describe.skipIf(!hasFfmpeg)('RecordingSink', () => {
  let dir: string;
  let media: EncodedMedia;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podium-rec-'));
    media = await encodeTestMedia('ffmpeg', dir, 4);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function record(codec: 'vp8' | 'h264' | 'opus', packets: Rtp[], msPerPacket: number, name: string): Promise<{ stats: RecordingStats; path: string }> {
    const path = join(dir, name);
    const sink = new RecordingSink({ id: 'r', codec, clockRate: codec === 'opus' ? 48_000 : 90_000, writer: await openFileWriter(path), requestKeyframe: () => undefined });
    feed(sink, packets, msPerPacket);
    return { stats: await sink.finish(), path };
  }

  it('writes VP8 as WebM that decodes without errors and lasts as long as what was sent', async () => {
    const { stats, path } = await record('vp8', videoPackets(media, 4, 100, 5000), 5, 'v.webm');
    expect(stats.frames).toBe(100);
    expect(stats.width).toBe(320);
    const p = await probe(path);
    expect(p.codec).toBe('vp8');
    expect(p.frames).toBe(100);
    expect(Math.abs(p.duration - 4)).toBeLessThan(0.1);
    expect(await decodeErrors(path)).toBe('');
  });

  it('writes Opus as WebM that decodes and lasts as long as what was sent, across an RTP timestamp wrap', async () => {
    const { stats, path } = await record('opus', audioPackets(media, 4, 65_500, 0xffffffff - 48_000), 20, 'a.webm');
    expect(stats.frames).toBe(200);
    const p = await probe(path);
    expect(p.codec).toBe('opus');
    expect(Math.abs(p.duration - 4)).toBeLessThan(0.1);
    expect(await decodeErrors(path)).toBe('');
  });

  it('puts reordered packets back in order, and skips frames with a lost packet until the next keyframe', async () => {
    const packets = videoPackets(media, 3, 60_000, 0);
    // Swap neighbours every 7 packets; drop one packet in the middle of the second second.
    for (let i = 3; i + 1 < packets.length; i += 7) [packets[i], packets[i + 1]] = [packets[i + 1], packets[i]];
    const lostAt = Math.floor(packets.length * 0.45);
    packets.splice(lostAt, 1);
    const { stats, path } = await record('vp8', packets, 5, 'reordered.webm');
    expect(stats.lostPackets, JSON.stringify(stats)).toBe(1);
    // Frames after the loss up to the next keyframe (at most one second) are left out, none else.
    expect(stats.frames).toBeGreaterThanOrEqual(75 - 26);
    expect(stats.frames).toBeLessThan(75);
    expect(await decodeErrors(path)).toBe('');
    expect(Math.abs((await probe(path)).duration - 3)).toBeLessThan(0.1);
  });

  it('writes H.264 (single NAL units, STAP-A, FU-A) as Matroska that decodes and lasts as long as what was sent', async () => {
    const h264 = join(dir, 'clip.h264');
    await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=25:duration=3', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-profile:v', 'baseline', '-g', '25', '-x264-params', 'aud=1', '-bsf:v', 'h264_mp4toannexb', '-f', 'h264', h264]);
    const bytes = (await import('node:fs')).readFileSync(h264);
    // Annex B → NAL units → access units (each begins with an access-unit delimiter).
    const nals: Buffer[] = [];
    let start = -1;
    for (let i = 0; i + 3 <= bytes.length; i++) {
      if (bytes[i] === 0 && bytes[i + 1] === 0 && bytes[i + 2] === 1) {
        if (start >= 0) nals.push(bytes.subarray(start, i > 0 && bytes[i - 1] === 0 ? i - 1 : i));
        start = i + 3;
        i += 2;
      }
    }
    nals.push(bytes.subarray(start));
    const frames: Buffer[][] = [];
    for (const n of nals) {
      if ((n[0] & 0x1f) === 9 || frames.length === 0) frames.push([]);
      frames.at(-1)!.push(n);
    }
    const packets: Rtp[] = [];
    let seq = 40_000;
    frames.forEach((au, f) => {
      const ts = (f * 3600) >>> 0;
      const payloads: Buffer[] = [];
      const small = au.filter((n) => n.length < 200);
      // Small NAL units together in one STAP-A; each big one in FU-A fragments of 500 bytes.
      if (small.length > 1) payloads.push(Buffer.concat([Buffer.from([24 | (small[0][0] & 0x60)]), ...small.flatMap((n) => [Buffer.from([n.length >> 8, n.length & 0xff]), n])]));
      else payloads.push(...small);
      for (const n of au.filter((x) => x.length >= 200)) {
        const body = n.subarray(1);
        for (let o = 0; o < body.length; o += 500) {
          const fu = (o === 0 ? 0x80 : 0) | (o + 500 >= body.length ? 0x40 : 0) | (n[0] & 0x1f);
          payloads.push(Buffer.concat([Buffer.from([(n[0] & 0xe0) | 28, fu]), body.subarray(o, o + 500)]));
        }
      }
      payloads.forEach((payload, k) => packets.push({ seq: seq++ & 0xffff, ts, marker: k === payloads.length - 1, payload }));
    });
    const { stats, path } = await record('h264', packets, 5, 'h.mkv');
    expect(stats.frames).toBe(75);
    const p = await probe(path);
    expect(p.codec).toBe('h264');
    expect(p.frames).toBe(75);
    expect(Math.abs(p.duration - 3)).toBeLessThan(0.1);
    expect(await decodeErrors(path)).toBe('');
  });

  it('drops and counts frames instead of buffering without bound while the writer is stalled', async () => {
    const writer = new MemoryWriter();
    writer.stalled = true;
    const requests: number[] = [];
    const sink = new RecordingSink({ id: 'r', codec: 'vp8', clockRate: 90_000, writer, maxQueuedBytes: 64 * 1024, requestKeyframe: () => requests.push(1) });
    const packets = videoPackets(media, 4, 1, 0);
    feed(sink, packets, 5);
    expect(sink.stats.droppedPackets).toBeGreaterThan(0);
    expect(sink.pendingBytes).toBeLessThanOrEqual(64 * 1024 + 4096);
    expect(requests.length).toBeGreaterThan(0);
    writer.release();
    const stats = await sink.finish();
    expect(stats.frames + stats.droppedPackets).toBeGreaterThan(0);
    expect(stats.packets).toBe(packets.length);
  });
});
