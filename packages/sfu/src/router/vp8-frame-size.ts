/**
 * Frame size of a VP8 keyframe (RFC 6386 §9.1): after the 3-byte frame tag come the start code
 * 9d 01 2a and the 14-bit width and height. The SFU learns each simulcast layer's resolution from
 * it, which layer selection compares with the viewer's viewport.
 */
import { parseVp8Descriptor, Vp8Descriptor } from '../codecs/vp8';

const desc = new Vp8Descriptor();

/** Width and height of the keyframe starting in this RTP payload, or null when it is not one. */
export function vp8KeyframeSize(buf: Buffer, offset: number, length: number): { width: number; height: number } | null {
  if (!parseVp8Descriptor(buf, offset, length, desc) || !desc.keyframe) return null;
  const p = offset + desc.length;
  if (p + 10 > offset + length) return null;
  if (buf[p + 3] !== 0x9d || buf[p + 4] !== 0x01 || buf[p + 5] !== 0x2a) return null;
  const width = (buf[p + 6] | (buf[p + 7] << 8)) & 0x3fff;
  const height = (buf[p + 8] | (buf[p + 9] << 8)) & 0x3fff;
  return width > 0 && height > 0 ? { width, height } : null;
}
