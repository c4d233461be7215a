// Small valid images written by hand (PNG with real zlib data and CRCs; JPEG, GIF and WebP with
// correct structure), for upload tests without binary fixtures.
import { crc32, deflateSync } from 'node:zlib';

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** An RGB PNG of `width`×`height` (a colour gradient), or with the header claiming another size. */
export function makePng(width = 64, height = 48, o: { claimWidth?: number; claimHeight?: number } = {}): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(o.claimWidth ?? width, 0);
  ihdr.writeUInt32BE(o.claimHeight ?? height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 3);
    for (let x = 0; x < width; x++) {
      raw[row + 1 + x * 3] = (x * 255) / Math.max(1, width - 1);
      raw[row + 2 + x * 3] = (y * 255) / Math.max(1, height - 1);
      raw[row + 3 + x * 3] = 160;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(raw)), pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A JPEG's segment structure (SOI, APP0, SOF0 with the size, SOS with scan bytes, EOI); its pixels are not decodable. */
export function makeJpeg(width = 64, height = 48): Buffer {
  const seg = (marker: number, data: Buffer) => {
    const len = Buffer.alloc(2);
    len.writeUInt16BE(data.length + 2, 0);
    return Buffer.concat([Buffer.from([0xff, marker]), len, data]);
  };
  const sof = Buffer.from([8, height >> 8, height & 255, width >> 8, width & 255, 1, 1, 0x11, 0]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    seg(0xc0, sof),
    seg(0xda, Buffer.from([1, 1, 0, 0, 63, 0])),
    Buffer.from([0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd0, 0x78]),
    Buffer.from([0xff, 0xd9]),
  ]);
}

/** A one-frame GIF's block structure with a 2-colour table. */
export function makeGif(width = 16, height = 16): Buffer {
  const u16 = (n: number) => Buffer.from([n & 255, n >> 8]);
  return Buffer.concat([
    Buffer.from('GIF89a', 'latin1'), u16(width), u16(height), Buffer.from([0x80, 0, 0]), Buffer.from([0, 0, 0, 255, 255, 255]),
    Buffer.from([0x2c]), u16(0), u16(0), u16(width), u16(height), Buffer.from([0]),
    Buffer.from([2, 2, 0x4c, 0x01, 0]), Buffer.from([0x3b]),
  ]);
}

/** A lossless WebP's RIFF structure with a VP8L header of the given size. */
export function makeWebp(width = 32, height = 32): Buffer {
  const bits = ((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14);
  const vp8l = Buffer.alloc(6);
  vp8l[0] = 0x2f;
  vp8l.writeUInt32LE(bits >>> 0, 1);
  const chunk = Buffer.concat([Buffer.from('VP8L', 'latin1'), Buffer.from([vp8l.length, 0, 0, 0]), vp8l]);
  const size = Buffer.alloc(4);
  size.writeUInt32LE(4 + chunk.length, 0);
  return Buffer.concat([Buffer.from('RIFF', 'latin1'), size, Buffer.from('WEBP', 'latin1'), chunk]);
}
