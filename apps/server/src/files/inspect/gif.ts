import { ByteReader } from './byte-reader';
import { MAX_IMAGE_FRAMES, checkDimensions, type ImageInfo } from './image-limits';
import { fileInvalid } from './invalid';

const broken = (why: string) => fileInvalid('broken', `The GIF image is damaged: ${why}.`);
const MAX_EXTENSIONS = 100_000;

async function skipSubBlocks(r: ByteReader): Promise<void> {
  for (let size = await r.u8(); size !== 0; size = await r.u8()) await r.skip(size);
}

/**
 * Walks a GIF's blocks from the header to the trailer (0x3B): colour tables, extensions, and each
 * frame's descriptor and data sub-blocks. A file that stops before the trailer is truncated.
 */
export async function checkGif(source: AsyncIterable<Uint8Array>): Promise<ImageInfo> {
  const r = new ByteReader(source, 'GIF');
  const header = (await r.bytes(6)).toString('latin1');
  if (header !== 'GIF87a' && header !== 'GIF89a') throw broken('the header is wrong');
  const info = checkDimensions('GIF', await r.u16le(), await r.u16le());
  const packed = await r.u8();
  await r.skip(2);
  if (packed & 0x80) await r.skip(3 * 2 ** ((packed & 7) + 1));
  let frames = 0;
  let extensions = 0;
  for (;;) {
    const block = await r.u8();
    if (block === 0x3b) break;
    if (block === 0x21) {
      if (++extensions > MAX_EXTENSIONS) throw fileInvalid('too-complex', 'The GIF image has too many extension blocks.');
      await r.skip(1);
      await skipSubBlocks(r);
    } else if (block === 0x2c) {
      if (++frames > MAX_IMAGE_FRAMES) throw fileInvalid('too-complex', `The GIF image has more than ${MAX_IMAGE_FRAMES} frames.`);
      await r.skip(4);
      checkDimensions('GIF', await r.u16le(), await r.u16le());
      const local = await r.u8();
      if (local & 0x80) await r.skip(3 * 2 ** ((local & 7) + 1));
      const codeSize = await r.u8();
      if (codeSize < 2 || codeSize > 11) throw broken('a frame has an invalid code size');
      await skipSubBlocks(r);
    } else {
      throw broken('a block is of an unknown kind');
    }
  }
  if (frames === 0) throw broken('it has no frame');
  return info;
}
