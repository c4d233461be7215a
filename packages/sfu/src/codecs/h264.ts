/**
 * H264 RTP payload (RFC 6184): keyframe detection through single NAL units, STAP-A aggregates and
 * FU-A fragments. A packet counts as a keyframe start when it carries an IDR slice or an SPS.
 */

/** NAL unit type of an IDR slice. */
export const NAL_IDR = 5;
/** NAL unit type of a sequence parameter set. */
export const NAL_SPS = 7;
/** NAL unit type of a single-time aggregation packet. */
export const NAL_STAP_A = 24;
/** NAL unit type of a fragmentation unit (type A). */
export const NAL_FU_A = 28;

function isKeyNal(type: number): boolean {
  return type === NAL_IDR || type === NAL_SPS;
}

/** True when the payload `buf[offset..offset+length)` starts (or is) an H264 keyframe. */
export function isH264Keyframe(buf: Buffer, offset: number, length: number): boolean {
  if (length < 1) return false;
  const end = offset + length;
  const type = buf[offset] & 0x1f;
  if (type === NAL_STAP_A) {
    let i = offset + 1;
    while (i + 2 < end) {
      const size = (buf[i] << 8) | buf[i + 1];
      i += 2;
      if (size === 0 || i + size > end) return false;
      if (isKeyNal(buf[i] & 0x1f)) return true;
      i += size;
    }
    return false;
  }
  if (type === NAL_FU_A) {
    if (length < 2) return false;
    const header = buf[offset + 1];
    return (header & 0x80) !== 0 && isKeyNal(header & 0x1f);
  }
  return isKeyNal(type);
}
