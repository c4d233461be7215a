import { ByteReader } from './byte-reader';
import { checkDimensions, type ImageInfo } from './image-limits';
import { fileInvalid, truncated } from './invalid';

const broken = (why: string) => fileInvalid('broken', `The JPEG image is damaged: ${why}.`);
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const isRestart = (m: number) => m >= 0xd0 && m <= 0xd7;
const MAX_SEGMENTS = 100_000;

/** Skips entropy-coded data up to the next marker; returns that marker's code (0xFF already consumed). */
async function skipScan(r: ByteReader): Promise<number> {
  let sawFF = false;
  for (;;) {
    const piece = await r.piece();
    if (!piece) throw truncated('JPEG');
    for (let i = 0; i < piece.length; i++) {
      const b = piece[i];
      if (sawFF) {
        sawFF = b === 0xff;
        // FF00 is a stuffed data byte and RSTn a restart inside the scan; anything else ends the scan.
        if (b !== 0x00 && b !== 0xff && !isRestart(b)) {
          r.unread(piece.length - i - 1);
          return b;
        }
      } else if (b === 0xff) sawFF = true;
    }
  }
}

/**
 * Walks a JPEG's segments from SOI: a frame header (SOF) with the image size before the first
 * scan, the scans' entropy-coded data skipped marker to marker, up to EOI. A file that stops
 * before EOI is truncated. Bytes after EOI (e.g. the second picture of an MPF photo) are left alone.
 */
export async function checkJpeg(source: AsyncIterable<Uint8Array>): Promise<ImageInfo> {
  const r = new ByteReader(source, 'JPEG');
  if ((await r.u16be()) !== 0xffd8) throw broken('it does not start with SOI');
  let info: ImageInfo | null = null;
  let marker: number | null = null;
  for (let segments = 0; segments < MAX_SEGMENTS; segments++) {
    if (marker === null) {
      if ((await r.u8()) !== 0xff) throw broken('a segment does not start with a marker');
      marker = await r.u8();
      while (marker === 0xff) marker = await r.u8();
    }
    const m = marker;
    marker = null;
    if (m === 0xd9) {
      if (!info) throw broken('it ends before its frame header');
      return info;
    }
    if (isRestart(m) || m === 0x01) continue;
    if (m === 0xd8 || m === 0x00) throw broken('a marker is out of place');
    const length = await r.u16be();
    if (length < 2) throw broken('a segment length is wrong');
    if (SOF.has(m)) {
      if (length < 8) throw broken('the frame header is too short');
      const h = await r.bytes(5);
      if (!info) info = checkDimensions('JPEG', h.readUInt16BE(3), h.readUInt16BE(1));
      await r.skip(length - 7);
    } else if (m === 0xda) {
      if (!info) throw broken('a scan comes before the frame header');
      await r.skip(length - 2);
      marker = await skipScan(r);
    } else {
      await r.skip(length - 2);
    }
  }
  throw fileInvalid('too-complex', 'The JPEG image has too many segments.');
}
