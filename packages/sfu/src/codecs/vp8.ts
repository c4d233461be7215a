/**
 * VP8 RTP payload (RFC 7741): payload-descriptor parsing, keyframe detection, and the PictureID /
 * TL0PICIDX rewriting that keeps a consumer's decoder happy across simulcast layer switches.
 */
import type { PayloadRewriter } from './payload-rewriter';

/** Fields of a VP8 payload descriptor, parsed into a reusable object. */
export class Vp8Descriptor {
  /** Bytes of the descriptor; the VP8 payload header follows. */
  length = 0;
  /** S bit: the packet starts a VP8 partition. */
  startOfPartition = false;
  /** Partition index (PID, 3 bits). */
  partitionIndex = 0;
  /** N bit: the frame is not used as a reference. */
  nonReference = false;
  /** PictureID, or -1 when absent. */
  pictureId = -1;
  /** 7 or 15 bits; 0 when absent. */
  pictureIdBits = 0;
  /** Offset (from the payload start) of the PictureID field, or -1. */
  pictureIdOffset = -1;
  /** TL0PICIDX, or -1 when absent. */
  tl0PicIdx = -1;
  /** Offset (from the payload start) of TL0PICIDX, or -1. */
  tl0PicIdxOffset = -1;
  /** Temporal layer id, or -1 when absent. */
  temporalId = -1;
  /** Y bit (layer sync). */
  layerSync = false;
  /** True for the first packet of a keyframe. */
  keyframe = false;
}

/**
 * Parses the VP8 descriptor of the payload `buf[offset..offset+length)` into `out`. Returns false
 * when it is truncated. Never reads outside the given range.
 */
export function parseVp8Descriptor(buf: Buffer, offset: number, length: number, out: Vp8Descriptor): boolean {
  if (length < 1) return false;
  const end = offset + length;
  let i = offset;
  const b0 = buf[i++];
  out.startOfPartition = (b0 & 0x10) !== 0;
  out.partitionIndex = b0 & 0x07;
  out.nonReference = (b0 & 0x20) !== 0;
  out.pictureId = -1;
  out.pictureIdBits = 0;
  out.pictureIdOffset = -1;
  out.tl0PicIdx = -1;
  out.tl0PicIdxOffset = -1;
  out.temporalId = -1;
  out.layerSync = false;
  out.keyframe = false;
  if (b0 & 0x80) {
    if (i >= end) return false;
    const x = buf[i++];
    if (x & 0x80) {
      if (i >= end) return false;
      out.pictureIdOffset = i - offset;
      const p0 = buf[i++];
      if (p0 & 0x80) {
        if (i >= end) return false;
        out.pictureId = ((p0 & 0x7f) << 8) | buf[i++];
        out.pictureIdBits = 15;
      } else {
        out.pictureId = p0;
        out.pictureIdBits = 7;
      }
    }
    if (x & 0x40) {
      if (i >= end) return false;
      out.tl0PicIdxOffset = i - offset;
      out.tl0PicIdx = buf[i++];
    }
    if (x & 0x30) {
      if (i >= end) return false;
      const t = buf[i++];
      if (x & 0x20) {
        out.temporalId = t >> 6;
        out.layerSync = (t & 0x20) !== 0;
      }
    }
  }
  out.length = i - offset;
  // The VP8 payload header's P bit (inverse keyframe flag) is only present at partition 0's start.
  if (out.startOfPartition && out.partitionIndex === 0 && i < end) out.keyframe = (buf[i] & 0x01) === 0;
  return true;
}

const scratch = new Vp8Descriptor();

/** True when the payload is the first packet of a VP8 keyframe. */
export function isVp8Keyframe(buf: Buffer, offset: number, length: number): boolean {
  return parseVp8Descriptor(buf, offset, length, scratch) && scratch.keyframe;
}

/**
 * Per-consumer VP8 rewriter: PictureID and TL0PICIDX continue from the last values sent when the
 * source stream changes, so the receiver sees one stream with no picture gap at a layer switch.
 */
export class Vp8PayloadRewriter implements PayloadRewriter {
  private readonly desc = new Vp8Descriptor();
  private pictureIdOffset = 0;
  private tl0Offset = 0;
  private lastPictureId = -1;
  private lastTl0 = -1;

  /** See PayloadRewriter.rewrite. */
  rewrite(buf: Buffer, offset: number, length: number, switched: boolean, newest: boolean): boolean {
    const d = this.desc;
    if (!parseVp8Descriptor(buf, offset, length, d)) return false;
    if (d.pictureId >= 0) {
      if (switched) this.pictureIdOffset = this.lastPictureId < 0 ? 0 : (this.lastPictureId + 1 - d.pictureId) & 0x7fff;
      const o = offset + d.pictureIdOffset;
      let pid: number;
      if (d.pictureIdBits === 15) {
        pid = (d.pictureId + this.pictureIdOffset) & 0x7fff;
        buf[o] = 0x80 | (pid >> 8);
        buf[o + 1] = pid & 0xff;
      } else {
        pid = (d.pictureId + this.pictureIdOffset) & 0x7f;
        buf[o] = pid;
      }
      if (newest || switched) this.lastPictureId = pid;
    }
    if (d.tl0PicIdx >= 0) {
      if (switched) this.tl0Offset = this.lastTl0 < 0 ? 0 : (this.lastTl0 + 1 - d.tl0PicIdx) & 0xff;
      const tl0 = (d.tl0PicIdx + this.tl0Offset) & 0xff;
      buf[offset + d.tl0PicIdxOffset] = tl0;
      if (newest || switched) this.lastTl0 = tl0;
    }
    return true;
  }
}
