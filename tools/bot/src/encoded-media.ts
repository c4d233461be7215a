/**
 * Real encoded media for bots that must publish something decodable (recording tests): VP8 frames
 * from an IVF file and Opus packets from an Ogg file, both made by ffmpeg from its test sources,
 * and VP8 RTP packetization (RFC 7741) of a frame.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Encoded media a bot sends in a loop: VP8 frames (with their keyframe flags) and 20 ms Opus packets. */
export interface EncodedMedia {
  fps: number;
  video: { data: Buffer; keyframe: boolean }[];
  audio: Buffer[];
}

/** VP8 frames of an IVF file. */
export function parseIvf(file: Buffer): { data: Buffer; keyframe: boolean }[] {
  if (file.subarray(0, 4).toString('ascii') !== 'DKIF') throw new Error('not an IVF file');
  const headerLength = file.readUInt16LE(6);
  const out: { data: Buffer; keyframe: boolean }[] = [];
  let i = headerLength;
  while (i + 12 <= file.length) {
    const size = file.readUInt32LE(i);
    const data = file.subarray(i + 12, i + 12 + size);
    out.push({ data, keyframe: (data[0] & 0x01) === 0 });
    i += 12 + size;
  }
  return out;
}

/** The packets of an Ogg stream, without the Opus header packets. */
export function parseOggOpus(file: Buffer): Buffer[] {
  const packets: Buffer[] = [];
  let partial: Buffer[] = [];
  let i = 0;
  while (i + 27 <= file.length && file.subarray(i, i + 4).toString('ascii') === 'OggS') {
    const segments = file[i + 26];
    const table = file.subarray(i + 27, i + 27 + segments);
    let p = i + 27 + segments;
    for (const len of table) {
      partial.push(file.subarray(p, p + len));
      p += len;
      if (len < 255) {
        packets.push(Buffer.concat(partial));
        partial = [];
      }
    }
    i = p;
  }
  return packets.filter((p) => !p.subarray(0, 8).toString('ascii').startsWith('Opus'));
}

/** Encodes `seconds` of ffmpeg's test picture (VP8, 25 fps, a keyframe each second) and a tone (Opus, 20 ms) into `dir`. */
export async function encodeTestMedia(ffmpeg: string, dir: string, seconds: number, size = '320x180'): Promise<EncodedMedia> {
  const run = promisify(execFile);
  const ivf = join(dir, 'bot-video.ivf');
  const ogg = join(dir, 'bot-audio.ogg');
  await run(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc=size=${size}:rate=25:duration=${seconds}`, '-c:v', 'libvpx', '-b:v', '300k', '-g', '25', '-deadline', 'realtime', '-f', 'ivf', ivf]);
  await run(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`, '-ac', '2', '-c:a', 'libopus', '-b:a', '48k', '-frame_duration', '20', '-f', 'ogg', ogg]);
  return { fps: 25, video: parseIvf(await readFile(ivf)), audio: parseOggOpus(await readFile(ogg)) };
}

/** RTP payloads of one VP8 frame: a 4-byte descriptor (PictureID, 15 bits) and at most `mtu` bytes each. */
export function packetizeVp8(frame: Buffer, pictureId: number, mtu = 1100): Buffer[] {
  const out: Buffer[] = [];
  for (let off = 0; off < frame.length || out.length === 0; off += mtu) {
    const desc = Buffer.from([0x80 | (off === 0 ? 0x10 : 0), 0x80, 0x80 | ((pictureId >> 8) & 0x7f), pictureId & 0xff]);
    out.push(Buffer.concat([desc, frame.subarray(off, Math.min(frame.length, off + mtu))]));
  }
  return out;
}
