/**
 * The little of EBML (RFC 8794) a WebM writer needs: element ids, variable-length sizes, and
 * elements of unsigned, float, string, binary and master type, built into Buffers.
 */

/** An "unknown" 8-byte size (live streams, patched later when known). */
export const UNKNOWN_SIZE = Buffer.from([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

/** The bytes of an element id (ids carry their own length marker). */
export function idBytes(id: number): Buffer {
  if (id <= 0xff) return Buffer.from([id]);
  if (id <= 0xffff) return Buffer.from([id >> 8, id & 0xff]);
  if (id <= 0xffffff) return Buffer.from([id >> 16, (id >> 8) & 0xff, id & 0xff]);
  return Buffer.from([id >>> 24, (id >> 16) & 0xff, (id >> 8) & 0xff, id & 0xff]);
}

/** A size as the shortest EBML variable-length integer (all-ones values are reserved, so they take a byte more). */
export function vintSize(n: number): Buffer {
  for (let len = 1; len <= 8; len++) {
    const max = 2 ** (7 * len) - 1;
    if (n < max) return vintFixed(n, len);
  }
  throw new RangeError('EBML size too large');
}

/** A size in exactly `len` bytes (for sizes patched in place later). */
export function vintFixed(n: number, len: number): Buffer {
  const b = Buffer.alloc(len);
  let v = n;
  for (let i = len - 1; i >= 0; i--) {
    b[i] = v % 256;
    v = Math.floor(v / 256);
  }
  b[0] |= 0x80 >> (len - 1);
  return b;
}

/** An element with raw data. */
export function element(id: number, data: Buffer): Buffer {
  return Buffer.concat([idBytes(id), vintSize(data.length), data]);
}

/** A master element of the given children. */
export function master(id: number, children: Buffer[]): Buffer {
  return element(id, Buffer.concat(children));
}

/** An unsigned-integer element (shortest big-endian form). */
export function uint(id: number, value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  do {
    bytes.unshift(v % 256);
    v = Math.floor(v / 256);
  } while (v > 0);
  return element(id, Buffer.from(bytes));
}

/** A 64-bit float element. */
export function float64(id: number, value: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(value);
  return element(id, b);
}

/** A UTF-8 string element. */
export function str(id: number, value: string): Buffer {
  return element(id, Buffer.from(value, 'utf8'));
}

/** A Void element occupying exactly `total` bytes (≥ 2). */
export function voidElement(total: number): Buffer {
  if (total < 2) throw new RangeError('a Void element takes at least 2 bytes');
  // 1 id byte + size: 1 byte up to 126 data bytes, else 8 bytes.
  if (total - 2 < 127) return Buffer.concat([Buffer.from([0xec]), vintFixed(total - 2, 1), Buffer.alloc(total - 2)]);
  return Buffer.concat([Buffer.from([0xec]), vintFixed(total - 9, 8), Buffer.alloc(total - 9)]);
}

/** Element ids of Matroska/WebM used by the writer. */
export const Id = {
  EBML: 0x1a45dfa3, EBMLVersion: 0x4286, EBMLReadVersion: 0x42f7, EBMLMaxIDLength: 0x42f2, EBMLMaxSizeLength: 0x42f3,
  DocType: 0x4282, DocTypeVersion: 0x4287, DocTypeReadVersion: 0x4285,
  Segment: 0x18538067, SeekHead: 0x114d9b74, Seek: 0x4dbb, SeekID: 0x53ab, SeekPosition: 0x53ac, Void: 0xec,
  Info: 0x1549a966, TimecodeScale: 0x2ad7b1, Duration: 0x4489, MuxingApp: 0x4d80, WritingApp: 0x5741,
  Tracks: 0x1654ae6b, TrackEntry: 0xae, TrackNumber: 0xd7, TrackUID: 0x73c5, TrackType: 0x83, FlagLacing: 0x9c, CodecID: 0x86,
  CodecPrivate: 0x63a2, CodecDelay: 0x56aa, SeekPreRoll: 0x56bb, Video: 0xe0, PixelWidth: 0xb0, PixelHeight: 0xba,
  Audio: 0xe1, SamplingFrequency: 0xb5, Channels: 0x9f,
  Cluster: 0x1f43b675, Timecode: 0xe7, SimpleBlock: 0xa3,
  Cues: 0x1c53bb6b, CuePoint: 0xbb, CueTime: 0xb3, CueTrackPositions: 0xb7, CueTrack: 0xf7, CueClusterPosition: 0xf1,
} as const;
