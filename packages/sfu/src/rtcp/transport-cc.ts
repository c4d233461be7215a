/**
 * Transport-wide congestion-control feedback, exactly per draft-holmer-rmcat-transport-wide-cc-
 * extensions-01 §3.1: packet status chunks (run-length, 1-bit and 2-bit status vectors), small
 * (1 byte, unsigned) and large (2 bytes, signed) receive deltas in 250 µs units, and padding to a
 * 32-bit boundary with the P bit and a length field that counts it (werift omits the padding).
 */
import { readU32, writeU32 } from '../rtp/rtp-packet';
import { RtcpFeedbackFormat, RtcpPacketType, type TransportCcFeedback } from './rtcp-packets';

/** Duration of one receive-delta tick. */
export const TWCC_DELTA_TICK_US = 250;
/** Duration of one reference-time unit. */
export const TWCC_REFERENCE_TICK_US = 64_000;
/** Status counts above this are rejected when parsing (a 20-byte packet could claim 65535). */
export const TWCC_MAX_STATUS_COUNT = 0x4000;

const NOT_RECEIVED = 0;
const SMALL = 1;
const LARGE = 2;
const FIXED_SIZE = 20; // RTCP header 4 + sender SSRC 4 + media SSRC 4 + base/count 4 + ref/fbcount 4
const MAX_RUN = 0x1fff;
const ONE_BIT_CAPACITY = 14;
const TWO_BIT_CAPACITY = 7;

/** Status symbol of a delta: 0 not received, 1 small, 2 large. Throws RangeError past ±8.19 s. */
function symbolOf(delta: number | null): number {
  if (delta === null) return NOT_RECEIVED;
  if (delta >= 0 && delta <= 0xff) return SMALL;
  if (delta >= -0x8000 && delta <= 0x7fff) return LARGE;
  throw new RangeError(`TWCC delta ${delta} ticks does not fit 16 bits`);
}

/** Greedy chunk encoder, the same strategy as libwebrtc's TransportFeedback::LastChunk. */
class ChunkEncoder {
  readonly chunks: number[] = [];
  private readonly symbols = new Uint8Array(ONE_BIT_CAPACITY);
  private size = 0;
  private allSame = true;
  private hasLarge = false;

  add(symbol: number): void {
    if (!this.canAdd(symbol)) this.chunks.push(this.emit());
    if (this.size < ONE_BIT_CAPACITY) this.symbols[this.size] = symbol;
    this.size++;
    this.allSame = this.allSame && symbol === this.symbols[0];
    this.hasLarge = this.hasLarge || symbol === LARGE;
  }

  finish(): number[] {
    if (this.size > 0) {
      if (this.allSame) this.chunks.push(this.runLength());
      else if (this.size <= TWO_BIT_CAPACITY) this.chunks.push(this.twoBit(this.size));
      else this.chunks.push(this.oneBit());
    }
    return this.chunks;
  }

  private canAdd(symbol: number): boolean {
    if (this.size < TWO_BIT_CAPACITY) return true;
    if (this.size < ONE_BIT_CAPACITY && !this.hasLarge && symbol !== LARGE) return true;
    if (this.size < MAX_RUN && this.allSame && symbol === this.symbols[0]) return true;
    return false;
  }

  private emit(): number {
    if (this.allSame) {
      const chunk = this.runLength();
      this.reset();
      return chunk;
    }
    if (this.size === ONE_BIT_CAPACITY) {
      const chunk = this.oneBit();
      this.reset();
      return chunk;
    }
    // size is 7..13 with a large delta among them: emit the first 7 as a 2-bit vector, keep the rest.
    const chunk = this.twoBit(TWO_BIT_CAPACITY);
    const rest = this.size - TWO_BIT_CAPACITY;
    this.size = rest;
    this.allSame = true;
    this.hasLarge = false;
    for (let i = 0; i < rest; i++) {
      const s = this.symbols[TWO_BIT_CAPACITY + i];
      this.symbols[i] = s;
      this.allSame = this.allSame && s === this.symbols[0];
      this.hasLarge = this.hasLarge || s === LARGE;
    }
    return chunk;
  }

  private reset(): void {
    this.size = 0;
    this.allSame = true;
    this.hasLarge = false;
  }

  private runLength(): number {
    return (this.symbols[0] << 13) | this.size;
  }

  private oneBit(): number {
    let chunk = 0x8000;
    for (let i = 0; i < this.size; i++) chunk |= this.symbols[i] << (ONE_BIT_CAPACITY - 1 - i);
    return chunk;
  }

  private twoBit(n: number): number {
    let chunk = 0xc000;
    for (let i = 0; i < n; i++) chunk |= this.symbols[i] << (2 * (TWO_BIT_CAPACITY - 1 - i));
    return chunk;
  }
}

/**
 * Serializes a transport-cc feedback packet. Deltas must fit 16 signed bits (the recorder starts a
 * new feedback otherwise) and there must be 1..65535 statuses; violations throw RangeError.
 */
export function serializeTransportCc(fb: Omit<TransportCcFeedback, 'type'>): Buffer {
  const n = fb.deltas.length;
  if (n < 1 || n > 0xffff) throw new RangeError(`TWCC status count ${n} out of range`);
  const encoder = new ChunkEncoder();
  let deltaBytes = 0;
  for (const d of fb.deltas) {
    const s = symbolOf(d);
    encoder.add(s);
    deltaBytes += s === SMALL ? 1 : s === LARGE ? 2 : 0;
  }
  const chunks = encoder.finish();
  const unpadded = FIXED_SIZE + chunks.length * 2 + deltaBytes;
  const padding = (4 - (unpadded % 4)) % 4;
  const total = unpadded + padding;
  const buf = Buffer.alloc(total);
  buf[0] = 0x80 | (padding > 0 ? 0x20 : 0) | RtcpFeedbackFormat.TRANSPORT_CC;
  buf[1] = RtcpPacketType.RTPFB;
  buf.writeUInt16BE(total / 4 - 1, 2);
  writeU32(buf, 4, fb.senderSsrc);
  writeU32(buf, 8, fb.mediaSsrc);
  buf.writeUInt16BE(fb.baseSequence & 0xffff, 12);
  buf.writeUInt16BE(n, 14);
  buf.writeUIntBE(fb.referenceTime & 0xffffff, 16, 3);
  buf[19] = fb.feedbackPacketCount & 0xff;
  let i = FIXED_SIZE;
  for (const c of chunks) {
    buf.writeUInt16BE(c, i);
    i += 2;
  }
  for (const d of fb.deltas) {
    if (d === null) continue;
    if (d >= 0 && d <= 0xff) buf[i++] = d;
    else {
      buf.writeInt16BE(d, i);
      i += 2;
    }
  }
  if (padding > 0) buf[total - 1] = padding; // RFC 3550: the last padding octet counts the padding
  return buf;
}

/**
 * Parses the transport-cc packet `buf[start..end)` (header included; `end` already excludes RTCP
 * padding). Returns null when truncated, when chunks or deltas run past the end, when a reserved
 * status symbol appears, or when the status count is implausibly large.
 */
export function parseTransportCc(buf: Buffer, start: number, end: number): TransportCcFeedback | null {
  if (end - start < FIXED_SIZE) return null;
  const count = (buf[start + 14] << 8) | buf[start + 15];
  if (count === 0 || count > TWCC_MAX_STATUS_COUNT) return null;
  const symbols = new Uint8Array(count);
  let filled = 0;
  let i = start + FIXED_SIZE;
  while (filled < count) {
    if (i + 2 > end) return null;
    const chunk = (buf[i] << 8) | buf[i + 1];
    i += 2;
    if ((chunk & 0x8000) === 0) {
      const symbol = (chunk >> 13) & 0x03;
      if (symbol === 3) return null;
      const run = Math.min(chunk & MAX_RUN, count - filled);
      symbols.fill(symbol, filled, filled + run);
      filled += run;
    } else if ((chunk & 0x4000) === 0) {
      for (let k = 0; k < ONE_BIT_CAPACITY && filled < count; k++) symbols[filled++] = (chunk >> (13 - k)) & 0x01;
    } else {
      for (let k = 0; k < TWO_BIT_CAPACITY && filled < count; k++) {
        const symbol = (chunk >> (2 * (6 - k))) & 0x03;
        if (symbol === 3) return null;
        symbols[filled++] = symbol;
      }
    }
  }
  const deltas: Array<number | null> = new Array<number | null>(count);
  for (let k = 0; k < count; k++) {
    const s = symbols[k];
    if (s === NOT_RECEIVED) deltas[k] = null;
    else if (s === SMALL) {
      if (i + 1 > end) return null;
      deltas[k] = buf[i++];
    } else {
      if (i + 2 > end) return null;
      deltas[k] = (((buf[i] << 8) | buf[i + 1]) << 16) >> 16;
      i += 2;
    }
  }
  return {
    type: 'transport-cc',
    senderSsrc: readU32(buf, start + 4),
    mediaSsrc: readU32(buf, start + 8),
    baseSequence: (buf[start + 12] << 8) | buf[start + 13],
    referenceTime: (buf[start + 16] << 16) | (buf[start + 17] << 8) | buf[start + 18],
    feedbackPacketCount: buf[start + 19],
    deltas,
  };
}

/**
 * Arrival time of every reported packet in the feedback sender's clock (µs since its epoch, from the
 * raw reference time; the caller unwraps the 24-bit reference across feedbacks). NaN when lost.
 */
export function twccArrivalTimesUs(fb: TransportCcFeedback, referenceTimeUs = fb.referenceTime * TWCC_REFERENCE_TICK_US): Float64Array {
  const out = new Float64Array(fb.deltas.length);
  let ticks = 0;
  for (let k = 0; k < fb.deltas.length; k++) {
    const d = fb.deltas[k];
    if (d === null) out[k] = Number.NaN;
    else {
      ticks += d;
      out[k] = referenceTimeUs + ticks * TWCC_DELTA_TICK_US;
    }
  }
  return out;
}
