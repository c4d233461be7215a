/**
 * Send side retransmission store for one outgoing stream: the REWRITTEN packets (exactly the bytes
 * the consumer got) are copied into one preallocated slab, indexed by sequence number in a fixed ring.
 * A NACKed packet comes back as a view into the slab, or wrapped as RTX (RFC 4588) in a preallocated
 * buffer. Memory is bounded by the slab; old packets are overwritten, never reallocated.
 *
 * Zero-copy use on the hot path: reserve() a region, let the RtpRewriter write the outgoing packet
 * straight into it, then commit() it. store() copies instead (one extra copy, and Node allocates a
 * view when the source is a sub-range of a Buffer).
 */
import type { OutputRegion } from '../rtp/rewriter';
import { parseRtp, RtpPacket, writeU32 } from '../rtp/rtp-packet';

/** RTX (RFC 4588) parameters of the stream. */
export interface RtxOptions {
  /** SSRC of the RTX stream. */
  ssrc: number;
  /** RTX payload type (its apt= is the media payload type). */
  payloadType: number;
  /** First RTX sequence number (random when omitted). */
  initialSequenceNumber?: number;
}

/** Options of a RetransmissionBuffer. */
export interface RetransmissionBufferOptions {
  /** Bytes of packet storage. Default 256 KiB (about 1.5 s of 1.5 Mbps video). */
  slabSize?: number;
  /** Index ring size (power of two), the most packets addressable. Default 1024. */
  maxPackets?: number;
  /** Packets older than this are not retransmitted (the receiver has moved on). Default 1000 ms. */
  maxAgeMs?: number;
  /** Wrap retransmissions as RTX. */
  rtx?: RtxOptions;
  /** Largest packet the RTX copy must hold (plus the 2-byte OSN). Default 1500. */
  maxPacketSize?: number;
  /** Local id of transport-wide-cc in the stored packets, so each resend gets a fresh number. */
  transportWideCcId?: number;
}

/** A packet to resend: `buffer[offset..offset+length)`, valid until the buffer is next used. */
export interface PacketView {
  /** Slab or RTX buffer (reused). */
  buffer: Buffer;
  /** Start of the packet. */
  offset: number;
  /** Bytes. */
  length: number;
}

/** Bounded per-stream store of sent packets for NACK answers (see file comment). */
export class RetransmissionBuffer {
  private readonly slab: Buffer;
  private readonly mask: number;
  private readonly seqs: Int32Array;
  private readonly positions: Float64Array;
  private readonly lengths: Uint16Array;
  private readonly times: Float64Array;
  private readonly maxAgeMs: number;
  private readonly twccId: number;
  private readonly rtx: RtxOptions | undefined;
  private readonly rtxBuf: Buffer;
  private rtxSeq: number;
  private writePos = 0;
  private reservedAbs = -1;
  private readonly region: OutputRegion;
  private readonly view: PacketView;
  private readonly parsed = new RtpPacket();

  /** The slab every stored packet (and every region of reserve()) lives in. */
  get slabBuffer(): Buffer {
    return this.slab;
  }

  /** Allocates the slab and index once. */
  constructor(options: RetransmissionBufferOptions = {}) {
    const maxPackets = options.maxPackets ?? 1024;
    if (maxPackets < 16 || (maxPackets & (maxPackets - 1)) !== 0) throw new RangeError('maxPackets must be a power of two ≥ 16');
    this.slab = Buffer.alloc(Math.max(options.slabSize ?? 256 * 1024, 2048));
    this.mask = maxPackets - 1;
    this.seqs = new Int32Array(maxPackets).fill(-1);
    this.positions = new Float64Array(maxPackets);
    this.lengths = new Uint16Array(maxPackets);
    this.times = new Float64Array(maxPackets);
    this.maxAgeMs = options.maxAgeMs ?? 1000;
    this.twccId = options.transportWideCcId ?? 0;
    this.rtx = options.rtx;
    this.rtxBuf = Buffer.alloc(this.rtx ? (options.maxPacketSize ?? 1500) + 2 : 0);
    this.rtxSeq = (this.rtx?.initialSequenceNumber ?? Math.floor(Math.random() * 0x10000)) & 0xffff;
    this.view = { buffer: this.slab, offset: 0, length: 0 };
    this.region = { buffer: this.slab, offset: 0, end: 0 };
  }

  /**
   * A region of the slab where the next packet (at most `maxLength` bytes) may be written, valid
   * until the next reserve()/store(). The region is given up (its old packets forgotten) even when
   * nothing is committed. Null when `maxLength` exceeds the slab.
   */
  reserve(maxLength: number): OutputRegion | null {
    const size = this.slab.length;
    if (maxLength > size || maxLength < 12) return null;
    let abs = this.writePos;
    let phys = abs % size;
    if (phys + maxLength > size) {
      abs += size - phys; // skip the tail so a packet is never split
      phys = 0;
    }
    this.reservedAbs = abs;
    this.writePos = abs + maxLength; // whatever is written there, old packets in it are gone
    const r = this.region;
    r.offset = phys;
    r.end = phys + maxLength;
    return r;
  }

  /** Records the packet written at `slab[offset..offset+length)` inside the last reservation. */
  commit(offset: number, length: number, nowMs: number): void {
    const r = this.region;
    const reservedAbs = this.reservedAbs;
    this.reservedAbs = -1;
    if (reservedAbs < 0 || length < 12 || length > 0xffff || offset < r.offset || offset + length > r.end) return;
    const abs = reservedAbs + (offset - r.offset);
    const seq = (this.slab[offset + 2] << 8) | this.slab[offset + 3];
    const slot = seq & this.mask;
    this.seqs[slot] = seq;
    this.positions[slot] = abs;
    this.lengths[slot] = length;
    this.times[slot] = nowMs;
    this.writePos = abs + length;
  }

  /** Copies a sent packet (`packet.buffer[offset..offset+length)`, an RTP packet) into the slab. */
  store(packet: PacketView, nowMs: number): void {
    const { buffer, offset, length } = packet;
    if (length < 12 || offset < 0 || offset + length > buffer.length) return;
    const r = this.reserve(length);
    if (!r) return;
    if (offset === 0 && length === buffer.length) this.slab.set(buffer, r.offset);
    else buffer.copy(this.slab, r.offset, offset, offset + length);
    this.commit(r.offset, length, nowMs);
  }

  /** The stored packet `seq` as sent, or null when unknown, overwritten or older than maxAgeMs. */
  get(seq: number, nowMs: number): PacketView | null {
    const slot = seq & this.mask;
    if (this.seqs[slot] !== (seq & 0xffff)) return null;
    const pos = this.positions[slot];
    if (pos < this.writePos - this.slab.length) return null; // bytes overwritten since
    if (nowMs - this.times[slot] > this.maxAgeMs) return null;
    const v = this.view;
    v.buffer = this.slab;
    v.offset = pos % this.slab.length;
    v.length = this.lengths[slot];
    return v;
  }

  /**
   * The packet to send in answer to a NACK of `seq`: the stored bytes (with a fresh transport-wide
   * sequence number when `transportSeq` ≥ 0) or, when RTX is configured, the RTX-wrapped copy
   * (RTX SSRC, payload type and sequence number; original sequence number as the first 2 payload
   * bytes; padding removed). Null when the packet is no longer available.
   */
  retransmit(seq: number, nowMs: number, transportSeq = -1): PacketView | null {
    const v = this.get(seq, nowMs);
    if (!v) return null;
    const pkt = parseRtp(this.slab.subarray(v.offset, v.offset + v.length), v.length, this.parsed);
    if (!pkt) return null;
    if (!this.rtx) {
      this.writeTransportSeq(pkt, transportSeq);
      return v;
    }
    const src = pkt.buffer;
    const dst = this.rtxBuf;
    const header = pkt.payloadOffset;
    const total = header + 2 + pkt.payloadLength;
    if (total > dst.length) return null;
    src.copy(dst, 0, 0, header);
    dst[0] &= ~0x20; // padding is not carried over
    dst[1] = (dst[1] & 0x80) | (this.rtx.payloadType & 0x7f);
    dst[2] = this.rtxSeq >> 8;
    dst[3] = this.rtxSeq & 0xff;
    writeU32(dst, 8, this.rtx.ssrc >>> 0);
    dst[header] = src[2];
    dst[header + 1] = src[3];
    src.copy(dst, header + 2, header, header + pkt.payloadLength);
    this.rtxSeq = (this.rtxSeq + 1) & 0xffff;
    if (transportSeq >= 0 && this.twccId > 0) {
      const i = pkt.findExtension(this.twccId);
      if (i >= 0 && pkt.extensionLengths[i] === 2) {
        const o = pkt.extensionOffsets[i];
        dst[o] = (transportSeq >> 8) & 0xff;
        dst[o + 1] = transportSeq & 0xff;
      }
    }
    const r = this.view;
    r.buffer = dst;
    r.offset = 0;
    r.length = total;
    return r;
  }

  private writeTransportSeq(pkt: RtpPacket, transportSeq: number): void {
    if (transportSeq < 0 || this.twccId <= 0) return;
    const i = pkt.findExtension(this.twccId);
    if (i < 0 || pkt.extensionLengths[i] !== 2) return;
    const o = pkt.extensionOffsets[i];
    pkt.buffer[o] = (transportSeq >> 8) & 0xff;
    pkt.buffer[o + 1] = transportSeq & 0xff;
  }
}
