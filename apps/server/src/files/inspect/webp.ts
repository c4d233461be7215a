import { ByteReader } from './byte-reader';
import { checkDimensions, type ImageInfo } from './image-limits';
import { fileInvalid, truncated } from './invalid';

const broken = (why: string) => fileInvalid('broken', `The WebP image is damaged: ${why}.`);
const MAX_CHUNKS = 100_000;

/** Canvas size from the first chunk: lossy (VP8), lossless (VP8L) or extended (VP8X). */
function dimensionsOf(fourcc: string, d: Buffer): { width: number; height: number } {
  if (fourcc === 'VP8 ') {
    if (d.length < 10 || d[3] !== 0x9d || d[4] !== 0x01 || d[5] !== 0x2a) throw broken('the VP8 frame header is wrong');
    return { width: d.readUInt16LE(6) & 0x3fff, height: d.readUInt16LE(8) & 0x3fff };
  }
  if (fourcc === 'VP8L') {
    if (d.length < 5 || d[0] !== 0x2f) throw broken('the lossless header is wrong');
    const bits = d.readUInt32LE(1);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (fourcc === 'VP8X') {
    if (d.length < 10) throw broken('the extended header is wrong');
    return { width: d.readUIntLE(4, 3) + 1, height: d.readUIntLE(7, 3) + 1 };
  }
  throw broken('its first chunk is not an image');
}

/**
 * Checks a WebP's RIFF container: the size in its header equals the bytes that follow (so a cut
 * file is caught), every chunk fits, and the first chunk gives an acceptable canvas size.
 */
export async function checkWebp(source: AsyncIterable<Uint8Array>): Promise<ImageInfo> {
  const r = new ByteReader(source, 'WebP');
  if ((await r.bytes(4)).toString('latin1') !== 'RIFF') throw broken('the header is wrong');
  const riffSize = await r.u32le();
  if ((await r.bytes(4)).toString('latin1') !== 'WEBP') throw broken('the header is wrong');
  const end = 8 + riffSize;
  let info: ImageInfo | null = null;
  for (let chunks = 0; r.position < end; chunks++) {
    if (chunks > MAX_CHUNKS) throw fileInvalid('too-complex', 'The WebP image has too many chunks.');
    const fourcc = (await r.bytes(4)).toString('latin1');
    const size = await r.u32le();
    const padded = size + (size & 1);
    if (r.position + padded > end) throw broken('a chunk is longer than the file');
    if (!info) {
      const head = await r.bytes(Math.min(size, 10));
      const d = dimensionsOf(fourcc, head);
      info = checkDimensions('WebP', d.width, d.height);
      await r.skip(padded - head.length);
    } else {
      await r.skip(padded);
    }
  }
  if (!info) throw truncated('WebP');
  if (!(await r.atEnd())) throw broken('there are bytes after its end');
  return info;
}
