import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { createInflate, crc32 } from 'node:zlib';
import { ByteReader } from './byte-reader';
import { checkDimensions, type ImageInfo } from './image-limits';
import { fileInvalid, truncated } from './invalid';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const MAX_CHUNK = 0x7fffffff;
/** Samples per pixel of each colour type, and the bit depths it allows. */
const COLOUR_TYPES: Record<number, { channels: number; depths: number[] }> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16] },
  2: { channels: 3, depths: [8, 16] },
  3: { channels: 1, depths: [1, 2, 4, 8] },
  4: { channels: 2, depths: [8, 16] },
  6: { channels: 4, depths: [8, 16] },
};
const ADAM7 = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]];

const broken = (why: string) => fileInvalid('broken', `The PNG image is damaged: ${why}.`);

/** Bytes the image data must inflate to: one filter byte plus the packed samples of each row (of each Adam7 pass). */
export function pngRawSize(width: number, height: number, bitsPerPixel: number, interlaced: boolean): number {
  const rows = (w: number, h: number) => (w > 0 && h > 0 ? h * (1 + Math.ceil((w * bitsPerPixel) / 8)) : 0);
  if (!interlaced) return rows(width, height);
  return ADAM7.reduce((sum, [x0, y0, dx, dy]) => sum + rows(Math.ceil((width - x0) / dx), Math.ceil((height - y0) / dy)), 0);
}

/** Inflates the image data as it arrives, counting the output; more than expected is refused at once (a decompression bomb). */
class ImageData {
  private readonly inflate = createInflate();
  private produced = 0;
  private failure: Error | null = null;

  constructor(private readonly expected: number) {
    this.inflate.on('data', (out: Buffer) => {
      this.produced += out.length;
      if (this.produced > this.expected && !this.failure) {
        this.failure = broken('its pixel data is larger than its size says');
        this.inflate.destroy();
      }
    });
    this.inflate.on('error', (err) => {
      this.failure ??= broken(`its pixel data cannot be decompressed (${err.message})`);
    });
  }

  /** Feeds compressed bytes, waiting while the inflater is busy. */
  async write(piece: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.inflate.write(piece)) await Promise.race([once(this.inflate, 'drain'), once(this.inflate, 'close')]).catch(() => undefined);
    if (this.failure) throw this.failure;
  }

  /** Ends the data; throws unless it inflated to exactly the expected size. */
  async end(): Promise<void> {
    if (this.failure) throw this.failure;
    this.inflate.end();
    await finished(this.inflate).catch(() => undefined);
    if (this.failure) throw this.failure;
    if (this.produced !== this.expected) throw truncated('PNG');
  }
}

/**
 * Checks a PNG from first to last byte: signature, IHDR first with a valid colour type and bit
 * depth, every chunk's CRC, the image data inflating to exactly the size the header promises
 * (catching truncation and decompression bombs), IEND last and nothing after it.
 */
export async function checkPng(source: AsyncIterable<Uint8Array>): Promise<ImageInfo> {
  const r = new ByteReader(source, 'PNG');
  if (!(await r.bytes(8)).equals(SIGNATURE)) throw broken('the signature is wrong');
  let info: ImageInfo | null = null;
  let data: ImageData | null = null;
  let sawData = false;
  for (;;) {
    const length = await r.u32be();
    if (length > MAX_CHUNK) throw broken('a chunk is too long');
    const type = await r.bytes(4);
    const name = type.toString('latin1');
    let crc = crc32(type);
    if (!info && name !== 'IHDR') throw broken('it does not start with its header');
    if (name === 'IHDR') {
      if (info || length !== 13) throw broken('the header is wrong');
      const h = await r.bytes(13);
      crc = crc32(h, crc);
      const colour = COLOUR_TYPES[h[9]];
      const depth = h[8];
      if (!colour || !colour.depths.includes(depth) || h[10] !== 0 || h[11] !== 0 || h[12] > 1) throw broken('the header is wrong');
      info = checkDimensions('PNG', h.readUInt32BE(0), h.readUInt32BE(4));
      data = new ImageData(pngRawSize(info.width, info.height, colour.channels * depth, h[12] === 1));
    } else if (name === 'IDAT') {
      sawData = true;
      await r.each(length, async (piece) => {
        crc = crc32(piece, crc);
        await data!.write(piece);
      });
    } else {
      await r.each(length, (piece) => {
        crc = crc32(piece, crc);
      });
    }
    if ((await r.u32be()) !== crc >>> 0) throw broken(`the checksum of its ${name.replace(/[^A-Za-z]/g, '?')} chunk is wrong`);
    if (name === 'IEND') break;
  }
  if (!sawData) throw broken('it has no image data');
  await data!.end();
  if (!(await r.atEnd())) throw broken('there are bytes after its end');
  return info!;
}
