/**
 * Per-consumer rewrite of a forwarded RTP packet into the consumer's own PREALLOCATED buffer.
 *
 * Each consumer sees one continuous stream: its own SSRC, sequence numbers without jumps when the
 * source changes (simulcast layer switch), timestamps that keep advancing in real time across a
 * switch, its negotiated payload type and header-extension ids, its transport's transport-wide
 * sequence number. Nothing is allocated per packet; the result is a view valid until the next call.
 */
import type { PayloadRewriter } from '../codecs/payload-rewriter';
import { SeqUnwrapper } from '../util/seq';
import {
  absSendTime,
  buildExtensionTranslation,
  type ExtensionMap,
  RtpExtensionUri,
} from './header-extensions';
import { MAX_EXTENSIONS, type RtpPacket, writeU32 } from './rtp-packet';

/**
 * Most bytes a rewritten packet can be longer than its source: our own mid (≤ 255 + 2),
 * transport-cc (4), abs-send-time (5), a new extension header (4), one more byte per element in the
 * two-byte form (≤ 16) and block padding (3).
 */
const HEADER_GROWTH = 512;

/** Configuration of one consumer's rewriter. */
export interface RtpRewriterOptions {
  /** SSRC the consumer receives. */
  ssrc: number;
  /** RTP clock rate of the codec (for timestamp continuity across switches). */
  clockRate: number;
  /** Producer payload type → consumer payload type; packets with an unmapped type are dropped. */
  payloadTypes: ReadonlyMap<number, number>;
  /** Extension ids the producer negotiated (incoming direction). */
  producerExtensions: ExtensionMap;
  /** Extension ids the consumer negotiated (outgoing direction). */
  consumerExtensions: ExtensionMap;
  /** The consumer's MID, written when it negotiated sdes:mid (at most 255 bytes). */
  mid?: string;
  /** Codec hook (e.g. Vp8PayloadRewriter) for fields that must stay continuous across switches. */
  payloadRewriter?: PayloadRewriter;
  /** First outgoing sequence number (random when omitted). */
  initialSequenceNumber?: number;
  /** First outgoing timestamp (random when omitted). */
  initialTimestamp?: number;
  /** Largest source packet for the rewriter's own buffer (+ header growth). Default 1500. */
  maxPacketSize?: number;
}

/** Where a packet may be written: `buffer[offset..end)` (e.g. a RetransmissionBuffer reservation). */
export interface OutputRegion {
  /** Destination buffer. */
  buffer: Buffer;
  /** First byte that may be written. */
  offset: number;
  /** One past the last byte that may be written. */
  end: number;
}

/** The rewritten packet: `buffer[offset..offset+length)`, valid until the next write to that region. */
export interface RewrittenPacket {
  /** The output buffer (the rewriter's own, or the region's). */
  buffer: Buffer;
  /** Start of the packet in `buffer`. */
  offset: number;
  /** Bytes of the packet. */
  length: number;
  /** Outgoing sequence number. */
  sequenceNumber: number;
  /** Outgoing timestamp. */
  timestamp: number;
}

/**
 * Per-consumer RTP header rewriter (see file comment). A change of source SSRC is a switch: the
 * caller (layer selection) decides which packets to forward and should switch on a keyframe.
 */
export class RtpRewriter {
  /** The consumer's SSRC. */
  readonly ssrc: number;
  private readonly clockRate: number;
  private readonly ptMap = new Int16Array(128).fill(-1);
  private readonly extTranslation: Uint8Array;
  private readonly twccId: number;
  private readonly absSendTimeId: number;
  private readonly midId: number;
  private readonly midBytes: Buffer;
  private readonly twoByteIds: boolean;
  private readonly payloadRewriter: PayloadRewriter | undefined;
  private readonly out: RewrittenPacket;
  private readonly ownRegion: OutputRegion;
  /** Maximum bytes a rewritten packet can add to its source (see HEADER_GROWTH). */
  static readonly headerGrowth = HEADER_GROWTH;

  // Header plan of the packet being rewritten: elements to write (consumer id, source offset,
  // length), the extension form, and the per-connection elements.
  private readonly extIds = new Uint8Array(MAX_EXTENSIONS);
  private readonly extSrc = new Uint16Array(MAX_EXTENSIONS);
  private readonly extLen = new Uint8Array(MAX_EXTENSIONS);
  private planCount = 0;
  private planTwoByte = false;
  private planBlockBytes = 0;
  private planTwcc = false;

  // Current source stream and the offsets that map it onto the consumer's stream.
  private sourceSsrc = -1;
  private codecSwitchPending = false;
  private readonly unwrapper = new SeqUnwrapper();
  private sourceBaseExt = 0;
  private seqOffset = 0;
  private tsOffset = 0;
  private highestOutExt = -1;
  private lastOutTs = 0;
  private lastSentAtMs = 0;
  private readonly initialSeq: number;
  private readonly initialTs: number;

  /** Builds the rewriter and its output buffer once; the hot path only copies into it. */
  constructor(options: RtpRewriterOptions) {
    this.ssrc = options.ssrc >>> 0;
    this.clockRate = options.clockRate;
    for (const [from, to] of options.payloadTypes) if (from >= 0 && from < 128) this.ptMap[from] = to & 0x7f;
    this.extTranslation = buildExtensionTranslation(options.producerExtensions, options.consumerExtensions);
    const c = options.consumerExtensions;
    this.twccId = c.idOf(RtpExtensionUri.transportWideCc);
    this.absSendTimeId = c.idOf(RtpExtensionUri.absSendTime);
    this.midBytes = Buffer.from(options.mid ?? '', 'latin1').subarray(0, 255);
    this.midId = this.midBytes.length > 0 ? c.idOf(RtpExtensionUri.mid) : 0;
    this.twoByteIds = c.needsTwoByte || this.midBytes.length > 16;
    this.payloadRewriter = options.payloadRewriter;
    this.initialSeq = (options.initialSequenceNumber ?? Math.floor(Math.random() * 0x10000)) & 0xffff;
    this.initialTs = (options.initialTimestamp ?? Math.floor(Math.random() * 0x100000000)) >>> 0;
    // Room for the packet plus header growth (mid, transport-cc, abs-send-time, two-byte form).
    const own = Buffer.alloc((options.maxPacketSize ?? 1500) + HEADER_GROWTH);
    this.ownRegion = { buffer: own, offset: 0, end: own.length };
    this.out = { buffer: own, offset: 0, length: 0, sequenceNumber: 0, timestamp: 0 };
  }

  /** Highest outgoing sequence number so far, or -1 before the first packet. */
  get lastSequenceNumber(): number {
    return this.highestOutExt < 0 ? -1 : this.highestOutExt & 0xffff;
  }

  /** Timestamp of the newest packet sent. */
  get lastTimestamp(): number {
    return this.lastOutTs;
  }

  /**
   * Re-bases on the next packet as on a source switch (sequence numbers continue from the last one
   * sent, timestamps advance by the time elapsed), so a consumer resumed after a pause shows no gap
   * for the packets it skipped.
   */
  resync(): void {
    this.sourceSsrc = -1;
  }

  /**
   * Rewrites `packet` for this consumer into `region` (default: the rewriter's own buffer).
   * `transportSeq` is the next transport-wide sequence number of the consumer's transport (-1: omit
   * the extension); the transport should consume it only when a packet is returned. Returns null
   * when the packet must not be sent: unmapped payload type, older than the current source's first
   * packet, malformed codec payload, or too large for the region.
   *
   * When `packet.buffer` holds exactly the packet (a datagram), the whole datagram is copied with one
   * TypedArray.set at an offset that lands its payload right after the new header: Node's
   * Buffer.copy with a source range allocates a view per call, this does not.
   */
  /** The buffer rewrite() writes into when no region is given (reused by every such call). */
  get ownBuffer(): Buffer {
    return this.ownRegion.buffer;
  }

  rewrite(packet: RtpPacket, nowMs: number, transportSeq = -1, region: OutputRegion = this.ownRegion): RewrittenPacket | null {
    const pt = this.ptMap[packet.payloadType];
    if (pt < 0) return null;

    if (packet.ssrc !== this.sourceSsrc) {
      this.switchSource(packet, nowMs);
      this.codecSwitchPending = true;
    }
    const ext = this.unwrapper.unwrap(packet.sequenceNumber);
    // Packets from before the switch point would collide with sequence numbers already sent.
    if (ext < this.sourceBaseExt) return null;
    const outExt = ext + this.seqOffset;
    const newest = outExt > this.highestOutExt;

    const headerLength = this.planHeader(packet, transportSeq);
    const payloadOffset = packet.payloadOffset;
    const tail = packet.length - payloadOffset; // payload + padding
    const start = region.offset + (payloadOffset > headerLength ? payloadOffset - headerLength : 0);
    const payloadAt = start + headerLength;
    if (payloadAt + tail > region.end) return null;
    const src = packet.buffer;
    const dst = region.buffer;
    if (src.length === packet.length) dst.set(src, payloadAt - payloadOffset);
    else src.copy(dst, payloadAt, payloadOffset, packet.length);
    this.writeHeader(packet, dst, start, pt, outExt, transportSeq, nowMs);

    // Padding-only packets (probes) carry no codec payload to rewrite.
    if (this.payloadRewriter && packet.payloadLength > 0) {
      if (!this.payloadRewriter.rewrite(dst, payloadAt, packet.payloadLength, this.codecSwitchPending, newest)) return null;
      this.codecSwitchPending = false;
    }

    const ts = (packet.timestamp + this.tsOffset) >>> 0;
    if (newest) {
      this.highestOutExt = outExt;
      this.lastOutTs = ts;
      this.lastSentAtMs = nowMs;
    }
    const out = this.out;
    out.buffer = dst;
    out.offset = start;
    out.length = headerLength + tail;
    out.sequenceNumber = outExt & 0xffff;
    out.timestamp = ts;
    return out;
  }

  /** Re-bases sequence numbers and timestamps so the new source continues the consumer's stream. */
  private switchSource(packet: RtpPacket, nowMs: number): void {
    this.sourceSsrc = packet.ssrc;
    this.unwrapper.reset();
    const ext = this.unwrapper.unwrap(packet.sequenceNumber);
    this.sourceBaseExt = ext;
    if (this.highestOutExt < 0) {
      this.seqOffset = this.initialSeq - ext;
      this.tsOffset = (this.initialTs - packet.timestamp) >>> 0;
      return;
    }
    this.seqOffset = this.highestOutExt + 1 - ext;
    const elapsed = Math.max(1, Math.round(((nowMs - this.lastSentAtMs) * this.clockRate) / 1000));
    this.tsOffset = (this.lastOutTs + elapsed - packet.timestamp) >>> 0;
  }

  /** Decides which extension elements to write and in which form; returns the header length. */
  private planHeader(packet: RtpPacket, transportSeq: number): number {
    let n = 0;
    let twoByte = this.twoByteIds;
    let dataBytes = 0;
    const table = this.extTranslation;
    for (let i = 0; i < packet.extensionCount; i++) {
      const id = table[packet.extensionIds[i]];
      if (id === 0) continue;
      const len = packet.extensionLengths[i];
      if (len === 0 || len > 16) twoByte = true;
      this.extIds[n] = id;
      this.extSrc[n] = packet.extensionOffsets[i];
      this.extLen[n] = len;
      dataBytes += len;
      n++;
    }
    const writeTwcc = this.twccId !== 0 && transportSeq >= 0;
    let count = n;
    if (this.midId !== 0) {
      count++;
      dataBytes += this.midBytes.length;
    }
    if (writeTwcc) {
      count++;
      dataBytes += 2;
    }
    if (this.absSendTimeId !== 0) {
      count++;
      dataBytes += 3;
    }
    this.planCount = n;
    this.planTwoByte = twoByte;
    this.planTwcc = writeTwcc;
    this.planBlockBytes = count > 0 ? (dataBytes + count * (twoByte ? 2 : 1) + 3) & ~3 : 0;
    return 12 + packet.csrcCount * 4 + (count > 0 ? 4 + this.planBlockBytes : 0);
  }

  /** Writes the planned fixed header, CSRCs and extension block at `dst[at..]`. */
  private writeHeader(packet: RtpPacket, dst: Buffer, at: number, pt: number, outExt: number, transportSeq: number, nowMs: number): void {
    const src = packet.buffer;
    const seq = outExt & 0xffff;
    const csrcBytes = packet.csrcCount * 4;
    const blockBytes = this.planBlockBytes;
    const twoByte = this.planTwoByte;
    dst[at] = 0x80 | (packet.padding ? 0x20 : 0) | (blockBytes > 0 ? 0x10 : 0) | packet.csrcCount;
    dst[at + 1] = (packet.marker ? 0x80 : 0) | pt;
    dst[at + 2] = seq >> 8;
    dst[at + 3] = seq & 0xff;
    writeU32(dst, at + 4, (packet.timestamp + this.tsOffset) >>> 0);
    writeU32(dst, at + 8, this.ssrc);
    let i = at + 12;
    for (let b = 0; b < csrcBytes; b++) dst[i + b] = src[12 + b];
    i += csrcBytes;
    if (blockBytes === 0) return;

    dst[i] = twoByte ? 0x10 : 0xbe;
    dst[i + 1] = twoByte ? 0x00 : 0xde;
    dst[i + 2] = (blockBytes >> 10) & 0xff;
    dst[i + 3] = (blockBytes >> 2) & 0xff;
    i += 4;
    const end = i + blockBytes;
    for (let k = 0; k < this.planCount; k++) {
      const len = this.extLen[k];
      i = writeElementHeader(dst, i, this.extIds[k], len, twoByte);
      const o = this.extSrc[k];
      for (let b = 0; b < len; b++) dst[i + b] = src[o + b];
      i += len;
    }
    if (this.midId !== 0) {
      const mid = this.midBytes;
      i = writeElementHeader(dst, i, this.midId, mid.length, twoByte);
      for (let b = 0; b < mid.length; b++) dst[i + b] = mid[b];
      i += mid.length;
    }
    if (this.planTwcc) {
      i = writeElementHeader(dst, i, this.twccId, 2, twoByte);
      dst[i++] = (transportSeq >> 8) & 0xff;
      dst[i++] = transportSeq & 0xff;
    }
    if (this.absSendTimeId !== 0) {
      const t = absSendTime(nowMs);
      i = writeElementHeader(dst, i, this.absSendTimeId, 3, twoByte);
      dst[i++] = t >> 16;
      dst[i++] = (t >> 8) & 0xff;
      dst[i++] = t & 0xff;
    }
    while (i < end) dst[i++] = 0;
  }
}

function writeElementHeader(dst: Buffer, i: number, id: number, len: number, twoByte: boolean): number {
  if (twoByte) {
    dst[i] = id;
    dst[i + 1] = len;
    return i + 2;
  }
  dst[i] = (id << 4) | (len - 1);
  return i + 1;
}
