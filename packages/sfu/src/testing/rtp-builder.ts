/**
 * Allocating, object-model RTP serializer used by tests, fuzz seeds and the "naive" benchmark path.
 * Deliberately simple and independent of the zero-copy parser so each can check the other.
 */

/** One header-extension element. */
export interface BuiltExtension {
  /** Local id. */
  id: number;
  /** Element data. */
  data: Buffer;
}

/** Description of an RTP packet to build. */
export interface RtpPacketSpec {
  /** Payload type (0..127). */
  payloadType: number;
  /** Sequence number. */
  sequenceNumber: number;
  /** Timestamp. */
  timestamp: number;
  /** SSRC. */
  ssrc: number;
  /** Marker bit. */
  marker?: boolean;
  /** CSRC list. */
  csrcs?: number[];
  /** Extension elements. */
  extensions?: BuiltExtension[];
  /** Force the two-byte form (otherwise chosen when an id > 14 or a length is 0 or > 16). */
  twoByte?: boolean;
  /** Payload bytes. */
  payload?: Buffer;
  /** Padding bytes to append (sets the P bit); 0 for none. */
  padding?: number;
}

/** Serializes `spec` into a new Buffer. */
export function buildRtp(spec: RtpPacketSpec): Buffer {
  const csrcs = spec.csrcs ?? [];
  const exts = spec.extensions ?? [];
  const payload = spec.payload ?? Buffer.alloc(0);
  const padding = spec.padding ?? 0;
  const twoByte = spec.twoByte || exts.some((e) => e.id > 14 || e.data.length === 0 || e.data.length > 16);
  const parts: Buffer[] = [];
  const header = Buffer.alloc(12 + csrcs.length * 4);
  header[0] = 0x80 | (padding > 0 ? 0x20 : 0) | (exts.length > 0 ? 0x10 : 0) | csrcs.length;
  header[1] = (spec.marker ? 0x80 : 0) | spec.payloadType;
  header.writeUInt16BE(spec.sequenceNumber & 0xffff, 2);
  header.writeUInt32BE(spec.timestamp >>> 0, 4);
  header.writeUInt32BE(spec.ssrc >>> 0, 8);
  csrcs.forEach((c, i) => header.writeUInt32BE(c >>> 0, 12 + i * 4));
  parts.push(header);
  if (exts.length > 0) {
    const elems: Buffer[] = [];
    for (const e of exts) {
      elems.push(twoByte ? Buffer.from([e.id, e.data.length]) : Buffer.from([(e.id << 4) | (e.data.length - 1)]));
      elems.push(e.data);
    }
    let body = Buffer.concat(elems);
    const padded = Math.ceil(body.length / 4) * 4;
    body = Buffer.concat([body, Buffer.alloc(padded - body.length)]);
    const extHeader = Buffer.alloc(4);
    extHeader.writeUInt16BE(twoByte ? 0x1000 : 0xbede, 0);
    extHeader.writeUInt16BE(padded / 4, 2);
    parts.push(extHeader, body);
  }
  parts.push(payload);
  if (padding > 0) {
    const pad = Buffer.alloc(padding);
    pad[padding - 1] = padding;
    parts.push(pad);
  }
  return Buffer.concat(parts);
}

/** A VP8 payload: descriptor with a 15-bit PictureID and TL0PICIDX/TID, then `size` bytes of frame data. */
export function vp8Payload(opts: {
  pictureId: number;
  tl0PicIdx?: number;
  temporalId?: number;
  start?: boolean;
  keyframe?: boolean;
  size?: number;
}): Buffer {
  const size = opts.size ?? 20;
  const withTl0 = opts.tl0PicIdx !== undefined;
  const withT = opts.temporalId !== undefined;
  const desc: number[] = [0x80 | (opts.start ? 0x10 : 0), 0x80 | (withTl0 ? 0x40 : 0) | (withT ? 0x20 : 0)];
  desc.push(0x80 | ((opts.pictureId >> 8) & 0x7f), opts.pictureId & 0xff);
  if (withTl0) desc.push(opts.tl0PicIdx! & 0xff);
  if (withT) desc.push((opts.temporalId! & 3) << 6);
  const frame = Buffer.alloc(size, 0xab);
  // VP8 payload header: P bit (bit 0) is 0 for a keyframe.
  if (size > 0) frame[0] = opts.keyframe ? 0x10 : 0x11;
  return Buffer.concat([Buffer.from(desc), frame]);
}
