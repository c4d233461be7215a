/**
 * Zero-copy view of an RTP packet (RFC 3550) with RFC 8285 header extensions.
 *
 * The hot path keeps ONE RtpPacket per receiving transport and re-parses every datagram into it, so
 * parsing allocates nothing: the fields are numbers and the extension index lives in small typed
 * arrays allocated once. Parsing never throws and never reads at or past `length`.
 */

/** Profile of RFC 8285 one-byte header extensions. */
export const ONE_BYTE_PROFILE = 0xbede;
/** Profile of RFC 8285 two-byte header extensions (low 4 bits are "appbits"). */
export const TWO_BYTE_PROFILE = 0x1000;
/** Most extension elements indexed per packet; further ones are ignored (not forwarded). */
export const MAX_EXTENSIONS = 16;
/** Largest datagram accepted (the UDP payload limit); offsets are kept in 16 bits. */
export const MAX_RTP_PACKET_SIZE = 0xffff;

const RTP_HEADER_SIZE = 12;
const EMPTY = Buffer.alloc(0);

/** A parsed RTP packet: header fields and offsets into the caller's buffer (valid until re-parse). */
export class RtpPacket {
  /** The datagram the offsets refer to (not copied). */
  buffer: Buffer = EMPTY;
  /** Bytes of `buffer` that belong to the packet. */
  length = 0;
  /** P bit: the packet ends with `paddingLength` padding bytes. */
  padding = false;
  /** Padding bytes at the end (including the count byte); 0 without the P bit. */
  paddingLength = 0;
  /** M bit. */
  marker = false;
  /** 7-bit payload type. */
  payloadType = 0;
  /** 16-bit sequence number. */
  sequenceNumber = 0;
  /** 32-bit RTP timestamp (unsigned). */
  timestamp = 0;
  /** 32-bit synchronisation source (unsigned). */
  ssrc = 0;
  /** Number of CSRCs (0..15) following the fixed header at offset 12. */
  csrcCount = 0;
  /** Extension profile (0xBEDE, 0x100X, or any other value for an opaque block); -1 without the X bit. */
  extensionProfile = -1;
  /** Offset of the extension data (after its 4-byte header); 0 when there is none. */
  extensionOffset = 0;
  /** Bytes of extension data (a multiple of 4). */
  extensionLength = 0;
  /** Offset of the payload (= header length). */
  payloadOffset = 0;
  /** Payload bytes, excluding padding. */
  payloadLength = 0;
  /** Number of indexed extension elements. */
  extensionCount = 0;
  /** Local ids of the indexed elements (1..14 one-byte, 1..255 two-byte). */
  readonly extensionIds = new Uint8Array(MAX_EXTENSIONS);
  /** Offsets of the elements' data in `buffer`. */
  readonly extensionOffsets = new Uint16Array(MAX_EXTENSIONS);
  /** Lengths of the elements' data (0..255). */
  readonly extensionLengths = new Uint8Array(MAX_EXTENSIONS);

  /** Index (0..extensionCount-1) of the element with local id `id`, or -1. */
  findExtension(id: number): number {
    if (id <= 0) return -1;
    const ids = this.extensionIds;
    for (let i = 0; i < this.extensionCount; i++) if (ids[i] === id) return i;
    return -1;
  }

  /** Offset in `buffer` of the data of extension `id`, or -1 when absent. */
  extensionDataOffset(id: number): number {
    const i = this.findExtension(id);
    return i < 0 ? -1 : this.extensionOffsets[i];
  }

  /** Length of the data of extension `id`, or -1 when absent. */
  extensionDataLength(id: number): number {
    const i = this.findExtension(id);
    return i < 0 ? -1 : this.extensionLengths[i];
  }
}

/**
 * Parses `buf[0..length)` as RTP into `into` (or a new RtpPacket). Returns null when the bytes are not
 * a well-formed RTP packet: shorter than 12 bytes, version ≠ 2, CSRCs/extension/padding overrunning
 * the packet, or a zero padding count (`into` is then left in an unspecified state). Malformed extension ELEMENTS inside a well-framed block only
 * stop the element scan (as libwebrtc does); the packet stays valid.
 */
export function parseRtp(buf: Buffer, length: number = buf.length, into?: RtpPacket): RtpPacket | null {
  if (length > buf.length) length = buf.length;
  if (length < RTP_HEADER_SIZE || length > MAX_RTP_PACKET_SIZE) return null;
  const b0 = buf[0];
  if (b0 >> 6 !== 2) return null;
  const b1 = buf[1];
  // A second byte of 200..204 is an RTCP SR/RR/SDES/BYE/APP (RFC 5761 demultiplexing), not RTP.
  if (b1 >= 200 && b1 <= 204) return null;
  const csrcCount = b0 & 0x0f;
  let offset = RTP_HEADER_SIZE + csrcCount * 4;
  if (offset > length) return null;

  let paddingLength = 0;
  if (b0 & 0x20) {
    paddingLength = buf[length - 1];
    if (paddingLength === 0) return null;
  }

  const p = into ?? new RtpPacket();
  p.extensionProfile = -1;
  p.extensionOffset = 0;
  p.extensionLength = 0;
  p.extensionCount = 0;

  if (b0 & 0x10) {
    if (offset + 4 > length) return null;
    const profile = (buf[offset] << 8) | buf[offset + 1];
    const words = (buf[offset + 2] << 8) | buf[offset + 3];
    const dataOffset = offset + 4;
    const dataLength = words * 4;
    if (dataOffset + dataLength > length) return null;
    p.extensionProfile = profile;
    p.extensionOffset = dataOffset;
    p.extensionLength = dataLength;
    if (profile === ONE_BYTE_PROFILE) indexOneByte(p, buf, dataOffset, dataOffset + dataLength);
    else if ((profile & 0xfff0) === TWO_BYTE_PROFILE) indexTwoByte(p, buf, dataOffset, dataOffset + dataLength);
    offset = dataOffset + dataLength;
  }

  if (offset + paddingLength > length) return null;

  p.buffer = buf;
  p.length = length;
  p.padding = paddingLength > 0;
  p.paddingLength = paddingLength;
  p.marker = (b1 & 0x80) !== 0;
  p.payloadType = b1 & 0x7f;
  p.sequenceNumber = (buf[2] << 8) | buf[3];
  p.timestamp = readU32(buf, 4);
  p.ssrc = readU32(buf, 8);
  p.csrcCount = csrcCount;
  p.payloadOffset = offset;
  p.payloadLength = length - offset - paddingLength;
  return p;
}

function indexOneByte(p: RtpPacket, buf: Buffer, start: number, end: number): void {
  let i = start;
  let n = 0;
  while (i < end && n < MAX_EXTENSIONS) {
    const b = buf[i];
    if (b === 0) {
      i++; // padding byte between elements
      continue;
    }
    const id = b >> 4;
    if (id === 15) return; // RFC 8285: stop processing the block
    const len = (b & 0x0f) + 1;
    if (i + 1 + len > end) return;
    p.extensionIds[n] = id;
    p.extensionOffsets[n] = i + 1;
    p.extensionLengths[n] = len;
    n++;
    p.extensionCount = n;
    i += 1 + len;
  }
}

function indexTwoByte(p: RtpPacket, buf: Buffer, start: number, end: number): void {
  let i = start;
  let n = 0;
  while (i < end && n < MAX_EXTENSIONS) {
    const id = buf[i];
    if (id === 0) {
      i++; // padding byte
      continue;
    }
    if (i + 2 > end) return;
    const len = buf[i + 1];
    if (i + 2 + len > end) return;
    p.extensionIds[n] = id;
    p.extensionOffsets[n] = i + 2;
    p.extensionLengths[n] = len;
    n++;
    p.extensionCount = n;
    i += 2 + len;
  }
}

/** Reads an unsigned big-endian 32-bit value without bounds checks (callers checked the length). */
export function readU32(buf: Buffer, offset: number): number {
  return buf[offset] * 0x1000000 + ((buf[offset + 1] << 16) | (buf[offset + 2] << 8) | buf[offset + 3]);
}

/** Writes an unsigned big-endian 32-bit value without bounds checks. */
export function writeU32(buf: Buffer, offset: number, value: number): void {
  buf[offset] = value >>> 24;
  buf[offset + 1] = value >>> 16;
  buf[offset + 2] = value >>> 8;
  buf[offset + 3] = value;
}

/** Sequence number straight from an RTP datagram (caller ensures ≥ 12 bytes). */
export function rtpSequenceNumber(buf: Buffer): number {
  return (buf[2] << 8) | buf[3];
}

/** Timestamp straight from an RTP datagram (caller ensures ≥ 12 bytes). */
export function rtpTimestamp(buf: Buffer): number {
  return readU32(buf, 4);
}

/** SSRC straight from an RTP datagram (caller ensures ≥ 12 bytes). */
export function rtpSsrc(buf: Buffer): number {
  return readU32(buf, 8);
}

/** Marker bit straight from an RTP datagram. */
export function rtpMarker(buf: Buffer): boolean {
  return (buf[1] & 0x80) !== 0;
}

/** Payload type straight from an RTP datagram. */
export function rtpPayloadType(buf: Buffer): number {
  return buf[1] & 0x7f;
}

/**
 * RFC 5761 / RFC 7983 demultiplexing of a datagram on a bundled SRTP port: true for RTCP (packet type
 * 192..223 in the second byte), false for RTP. Only meaningful for first bytes 128..191.
 */
export function looksLikeRtcp(buf: Buffer, length: number = buf.length): boolean {
  if (length < 4 || buf[0] >> 6 !== 2) return false;
  const pt = buf[1];
  return pt >= 192 && pt <= 223;
}
