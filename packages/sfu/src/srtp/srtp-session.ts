/**
 * One direction of an SRTP/SRTCP session (RFC 3711, RFC 7714): what we send is protected with our
 * keys, what we receive is unprotected with the peer's. A transport holds two of these.
 *
 * Cost per packet matters (every forwarded packet is protected once per consumer), so:
 *  - AES-CM uses one reused AES-ECB cipher per key (see aes-cm.ts), and outgoing RTP streams take
 *    their keystream from a KeystreamWindow: the next 16 packets' worth in one cipher call;
 *  - HMAC-SHA1 runs in JavaScript from precomputed pad states (hmac-sha1.ts): node:crypto cannot
 *    reset an Hmac, and a new one per packet costs more than hashing the packet;
 *  - GCM needs a fresh cipher per packet (node:crypto cannot re-IV one);
 *  - unprotect works in place in the received datagram; protect writes to a separate output
 *    (protectRtpInto: the transport's one reused send buffer, see transport/datagram-sender.ts),
 *    because the source (e.g. a retransmission buffer slot) must stay intact.
 * Nothing here throws on bad input: a packet that fails parsing, replay or authentication yields
 * -1 / null and leaves the state untouched.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { AesCmKeystream, wordsOf, xorInPlace } from './aes-cm';
import { HmacSha1 } from './hmac-sha1';
import { KeystreamWindow } from './keystream-window';
import { deriveSessionKeys } from './key-derivation';
import { SrtpProfile, type SrtpProfileId, srtpMasterSaltLength } from './srtp-profile';

const HMAC_TAG = 10;
const GCM_TAG = 16;
const RTCP_HEADER = 8;
const REPLAY_WINDOW = 256; // power of two
const MAX_STREAMS = 256;

/** Options of an SrtpSession. */
export interface SrtpSessionOptions {
  /** Most SSRCs tracked (ROC and replay state); further ones are refused. Default 256. */
  maxStreams?: number;
}

/** Per-SSRC rollover and replay state. */
class StreamState {
  roc = 0;
  highestSeq = 0;
  /** Highest packet index (roc * 65536 + seq) accepted, or -1. */
  highestIndex = -1;
  /** Index last accepted in each window slot, to reject replays exactly. */
  readonly window = new Float64Array(REPLAY_WINDOW).fill(-1);
  /** Next SRTCP index to send (outbound RTCP state). */
  rtcpIndex = 0;
  /** Bulk keystream of the next packets (outbound AES-CM streams that send in sequence). */
  keystream: KeystreamWindow | undefined;
}

/** Length of the RTP header at `buf[offset..offset+length)`, or -1 when malformed. */
export function rtpHeaderLength(buf: Buffer, offset: number, length: number): number {
  if (length < 12 || buf[offset] >> 6 !== 2) return -1;
  let n = 12 + (buf[offset] & 0x0f) * 4;
  if (buf[offset] & 0x10) {
    if (n + 4 > length) return -1;
    n += 4 + ((buf[offset + n + 2] << 8) | buf[offset + n + 3]) * 4;
  }
  return n <= length ? n : -1;
}

/** One direction of an SRTP session (see file comment). */
export class SrtpSession {
  /** The negotiated protection profile. */
  readonly profile: SrtpProfileId;
  private readonly gcm: boolean;
  private readonly rtpKey: Buffer;
  private readonly rtcpKey: Buffer;
  private readonly rtpSalt: Buffer;
  private readonly rtcpSalt: Buffer;
  private readonly rtpAuth: HmacSha1;
  private readonly rtcpAuth: HmacSha1;
  private readonly rtpCtr: AesCmKeystream | null;
  private readonly rtcpCtr: AesCmKeystream | null;
  private readonly maxStreams: number;
  private readonly rtpStreams = new Map<number, StreamState>();
  private readonly rtcpStreams = new Map<number, StreamState>();
  private readonly iv = Buffer.alloc(16);
  private readonly scratch4 = Buffer.alloc(4);
  private readonly aad = Buffer.alloc(12);
  /** The outgoing RTP stream of the last protectRtpInto (a consumer sends one SSRC, two with RTX). */
  private lastOut: StreamState | null = null;
  private lastOutSsrc = -1;
  /** The stream used before lastOut: a transport's audio and video consumers alternate. */
  private otherOut: StreamState | null = null;
  private otherOutSsrc = -1;
  /** RTP header length of the packet outgoingRoc last took (bytes). */
  outHeaderLength = 0;
  /** Highest index of that packet's stream before it (-1: its first packet). */
  private outPreviousHighest = -1;
  /** The session's native SRTP context (transport/send-batch.ts), -1 before nativeContext(). */
  private native = -1;
  private readonly rtpAuthKey: Buffer;
  /** Word view of the last destination's ArrayBuffer (a transport protects into one reused buffer). */
  private dstWords: Uint32Array | undefined;
  private dstWordsBuffer: ArrayBufferLike | undefined;

  /** Derives the session keys from the master key and salt exported by DTLS-SRTP. */
  constructor(profile: SrtpProfileId, masterKey: Buffer, masterSalt: Buffer, options: SrtpSessionOptions = {}) {
    if (masterKey.length !== 16) throw new RangeError('SRTP master key must be 16 bytes');
    if (masterSalt.length !== srtpMasterSaltLength(profile)) throw new RangeError('SRTP master salt has the wrong length');
    this.profile = profile;
    this.gcm = profile === SrtpProfile.AEAD_AES_128_GCM;
    const keys = deriveSessionKeys(masterKey, masterSalt, this.gcm ? 12 : 14, 20);
    this.rtpKey = keys.rtpKey;
    this.rtcpKey = keys.rtcpKey;
    this.rtpSalt = keys.rtpSalt;
    this.rtcpSalt = keys.rtcpSalt;
    this.rtpAuthKey = keys.rtpAuthKey;
    this.rtpAuth = new HmacSha1(keys.rtpAuthKey);
    this.rtcpAuth = new HmacSha1(keys.rtcpAuthKey);
    this.rtpCtr = this.gcm ? null : new AesCmKeystream(keys.rtpKey);
    this.rtcpCtr = this.gcm ? null : new AesCmKeystream(keys.rtcpKey);
    this.maxStreams = options.maxStreams ?? MAX_STREAMS;
  }

  /**
   * This outbound session's context in the native send step (`addon.createContext`), made on first
   * use; -1 when the profile is not AES-128-CM-HMAC-SHA1-80 (AES-GCM stays in JavaScript). Free it
   * with releaseNative() when the session ends.
   */
  nativeContext(addon: { createContext(key: Buffer, salt: Buffer, auth: Buffer): number }): number {
    if (this.native < 0 && !this.gcm && !this.nativeReleased) this.native = addon.createContext(this.rtpKey, this.rtpSalt, this.rtpAuthKey);
    return this.native;
  }

  /** Frees the native context (idempotent; nativeContext() answers -1 afterwards). */
  releaseNative(addon: { releaseContext(index: number): void }): void {
    this.nativeReleased = true;
    if (this.native >= 0) addon.releaseContext(this.native);
    this.native = -1;
  }
  private nativeReleased = false;

  /** Bytes protectRtp adds. */
  get rtpOverhead(): number {
    return this.gcm ? GCM_TAG : HMAC_TAG;
  }

  /**
   * Protects the RTP packet `src[offset..offset+length)` into a new buffer (header in clear, payload
   * encrypted, tag appended). Null when the packet is malformed or its SSRC cannot be tracked.
   */
  protectRtp(src: Buffer, offset: number, length: number): Buffer | null {
    const out = Buffer.allocUnsafe(length + this.rtpOverhead);
    const n = this.protectRtpInto(src, offset, length, out, 0);
    return n < 0 ? null : n === out.length ? out : out.subarray(0, n);
  }

  /**
   * Takes the outgoing RTP packet `src[offset..offset+length)` into this session's stream state
   * (rollover counter, highest index) and returns its ROC, or -1 when it is malformed or its SSRC
   * cannot be tracked. Sets outHeaderLength. protectRtpInto does this first; the native send step
   * (transport/send-batch.ts) calls it alone and protects with the ROC in native code.
   */
  outgoingRoc(src: Buffer, offset: number, length: number): number {
    const headerLength = rtpHeaderLength(src, offset, length);
    if (headerLength < 0) return -1;
    const ssrc = ((src[offset + 8] << 24) | (src[offset + 9] << 16) | (src[offset + 10] << 8) | src[offset + 11]) >>> 0;
    const seq = (src[offset + 2] << 8) | src[offset + 3];
    // A transport's packets alternate between a few SSRCs (audio, video, RTX): the last two are
    // remembered, so the stream map is looked up only when a third one comes.
    let state = this.lastOut;
    if (state === null || this.lastOutSsrc !== ssrc) {
      const previous = state;
      const previousSsrc = this.lastOutSsrc;
      state = this.otherOut !== null && this.otherOutSsrc === ssrc ? this.otherOut : this.stream(this.rtpStreams, ssrc);
      if (!state) return -1;
      this.otherOut = previous;
      this.otherOutSsrc = previousSsrc;
      this.lastOut = state;
      this.lastOutSsrc = ssrc;
    }
    this.outHeaderLength = headerLength;
    this.outPreviousHighest = state.highestIndex;
    // Sender-side index: the same estimate a receiver makes, so retransmissions of packets sent
    // before a wrap keep their old ROC.
    if (state.highestIndex < 0) {
      state.highestIndex = seq;
      state.highestSeq = seq;
      return 0;
    }
    const roc = estimateRoc(state.roc, state.highestSeq, seq);
    const index = roc * 0x10000 + seq;
    if (index > state.highestIndex) {
      state.highestIndex = index;
      state.roc = roc;
      state.highestSeq = seq;
    }
    return roc;
  }

  /**
   * Protects the RTP packet `src[offset..offset+length)` into `dst[dstOffset..]`, which needs room
   * for `length + rtpOverhead` bytes and must not overlap the source (the source, e.g. a
   * retransmission-buffer slot, stays intact). Returns the protected length, or -1 when the packet
   * is malformed or its SSRC cannot be tracked (nothing written then). The hot path: a transport
   * protects every forwarded packet into one reused buffer (transport/datagram-sender.ts).
   */
  protectRtpInto(src: Buffer, offset: number, length: number, dst: Buffer, dstOffset: number): number {
    const roc = this.outgoingRoc(src, offset, length);
    if (roc < 0) return -1;
    const headerLength = this.outHeaderLength;
    const previousHighest = this.outPreviousHighest;
    const ssrc = this.lastOutSsrc;
    const state = this.lastOut as StreamState;
    const seq = (src[offset + 2] << 8) | src[offset + 3];
    const payloadLength = length - headerLength;
    if (this.gcm) {
      const iv = this.gcmIv(this.rtpSalt, ssrc, roc, seq);
      const cipher = createCipheriv('aes-128-gcm', this.rtpKey, iv);
      cipher.setAAD(src.subarray(offset, offset + headerLength));
      const enc = cipher.update(src.subarray(offset + headerLength, offset + length));
      cipher.final();
      src.copy(dst, dstOffset, offset, offset + headerLength);
      enc.copy(dst, dstOffset + headerLength);
      cipher.getAuthTag().copy(dst, dstOffset + length);
      return length + GCM_TAG;
    }
    const ctr = this.rtpCtr as AesCmKeystream;
    const index = roc * 0x10000 + seq;
    // A stream sending in sequence takes its keystream from a window of the next packets; the
    // first packet of a stream (and RTX streams that send once in a while) are encrypted alone.
    let at = -1;
    let window = state.keystream;
    if (index === previousHighest + 1) {
      window ??= state.keystream = new KeystreamWindow(ctr);
      at = window.offsetFor(this.rtpSalt, ssrc, index, payloadLength);
    }
    if (window && at >= 0) {
      // Copy the packet, then XOR the payload in place: word-wise whatever the source's alignment
      // (packets sit back to back in the retransmission slab), through cached word views.
      src.copy(dst, dstOffset, offset, offset + length);
      if (dst.buffer !== this.dstWordsBuffer) {
        this.dstWordsBuffer = dst.buffer;
        this.dstWords = wordsOf(dst);
      }
      xorInPlace(dst, dstOffset + headerLength, this.dstWords as Uint32Array, window.data, at, window.words, payloadLength);
    } else {
      src.copy(dst, dstOffset, offset, offset + headerLength);
      ctr.xor(this.ctrIv(this.rtpSalt, ssrc, roc, seq), src, offset + headerLength, dst, dstOffset + headerLength, payloadLength);
    }
    // The tag covers the packet and then the ROC: put the ROC where the tag goes, hash in one piece.
    const end = dstOffset + length;
    dst[end] = roc >>> 24;
    dst[end + 1] = (roc >>> 16) & 0xff;
    dst[end + 2] = (roc >>> 8) & 0xff;
    dst[end + 3] = roc & 0xff;
    this.rtpAuth.sign(dst, dstOffset, length + 4, dst, end, HMAC_TAG);
    return length + HMAC_TAG;
  }

  /**
   * Authenticates, replay-checks and decrypts the SRTP packet `buf[0..length)` IN PLACE. Returns the
   * plain RTP length (the tag removed), or -1 when the packet must be dropped.
   */
  unprotectRtp(buf: Buffer, length: number = buf.length): number {
    if (length > buf.length) length = buf.length;
    const tagLength = this.gcm ? GCM_TAG : HMAC_TAG;
    const rtpLength = length - tagLength;
    const headerLength = rtpHeaderLength(buf, 0, rtpLength);
    if (headerLength < 0) return -1;
    const ssrc = buf.readUInt32BE(8);
    const seq = (buf[2] << 8) | buf[3];
    const known = this.rtpStreams.get(ssrc);
    const roc = known && known.highestIndex >= 0 ? estimateRoc(known.roc, known.highestSeq, seq) : 0;
    const index = roc * 0x10000 + seq;
    if (known && isReplay(known, index)) return -1;
    if (!known && this.rtpStreams.size >= this.maxStreams) return -1;

    if (this.gcm) {
      const iv = this.gcmIv(this.rtpSalt, ssrc, roc, seq);
      const decipher = createDecipheriv('aes-128-gcm', this.rtpKey, iv);
      decipher.setAAD(buf.subarray(0, headerLength));
      decipher.setAuthTag(buf.subarray(rtpLength, length));
      const dec = decipher.update(buf.subarray(headerLength, rtpLength));
      try {
        decipher.final();
      } catch {
        return -1;
      }
      dec.copy(buf, headerLength);
    } else {
      this.scratch4.writeUInt32BE(roc >>> 0, 0);
      const auth = this.rtpAuth;
      auth.begin();
      auth.update(buf, 0, rtpLength);
      auth.update(this.scratch4, 0, 4);
      if (!auth.verifyFinish(buf, rtpLength, HMAC_TAG)) return -1;
      (this.rtpCtr as AesCmKeystream).xor(this.ctrIv(this.rtpSalt, ssrc, roc, seq), buf, headerLength, buf, headerLength, rtpLength - headerLength);
    }

    const state = known ?? this.stream(this.rtpStreams, ssrc);
    if (!state) return -1;
    accept(state, index, roc, seq);
    return rtpLength;
  }

  /**
   * Protects the (compound) RTCP packet `src[offset..offset+length)` into a new buffer: encrypted
   * after the first 8 bytes, with the E flag + SRTCP index and the tag. Null when malformed.
   */
  protectRtcp(src: Buffer, offset: number, length: number): Buffer | null {
    if (length < RTCP_HEADER || src[offset] >> 6 !== 2) return null;
    const ssrc = src.readUInt32BE(offset + 4);
    const state = this.stream(this.rtcpStreams, ssrc);
    if (!state) return null;
    const index = state.rtcpIndex;
    state.rtcpIndex = (index + 1) & 0x7fffffff;
    const eIndex = (0x80000000 | index) >>> 0;
    if (this.gcm) {
      const out = Buffer.allocUnsafe(length + GCM_TAG + 4);
      const iv = this.gcmIv(this.rtcpSalt, ssrc, 0, 0, index);
      const cipher = createCipheriv('aes-128-gcm', this.rtcpKey, iv);
      src.copy(this.aad, 0, offset, offset + RTCP_HEADER);
      this.aad.writeUInt32BE(eIndex, RTCP_HEADER);
      cipher.setAAD(this.aad);
      const enc = cipher.update(src.subarray(offset + RTCP_HEADER, offset + length));
      cipher.final();
      src.copy(out, 0, offset, offset + RTCP_HEADER);
      enc.copy(out, RTCP_HEADER);
      cipher.getAuthTag().copy(out, length);
      out.writeUInt32BE(eIndex, length + GCM_TAG);
      return out;
    }
    const out = Buffer.allocUnsafe(length + 4 + HMAC_TAG);
    src.copy(out, 0, offset, offset + RTCP_HEADER);
    (this.rtcpCtr as AesCmKeystream).xor(this.ctrIv(this.rtcpSalt, ssrc, 0, 0, index), src, offset + RTCP_HEADER, out, RTCP_HEADER, length - RTCP_HEADER);
    out.writeUInt32BE(eIndex, length);
    this.rtcpAuth.sign(out, 0, length + 4, out, length + 4, HMAC_TAG);
    return out;
  }

  /**
   * Authenticates, replay-checks and decrypts the SRTCP packet `buf[0..length)` IN PLACE. Returns the
   * plain RTCP length, or -1 when the packet must be dropped.
   */
  unprotectRtcp(buf: Buffer, length: number = buf.length): number {
    if (length > buf.length) length = buf.length;
    const tagLength = this.gcm ? GCM_TAG : HMAC_TAG;
    const rtcpLength = length - tagLength - 4;
    if (rtcpLength < RTCP_HEADER || buf[0] >> 6 !== 2) return -1;
    const ssrc = buf.readUInt32BE(4);
    const eIndexAt = this.gcm ? length - 4 : rtcpLength;
    const eIndex = buf.readUInt32BE(eIndexAt);
    const encrypted = (eIndex & 0x80000000) !== 0;
    const index = eIndex & 0x7fffffff;
    const known = this.rtcpStreams.get(ssrc);
    if (known && isReplay(known, index)) return -1;
    if (!known && this.rtcpStreams.size >= this.maxStreams) return -1;

    if (this.gcm) {
      const iv = this.gcmIv(this.rtcpSalt, ssrc, 0, 0, index);
      const decipher = createDecipheriv('aes-128-gcm', this.rtcpKey, iv);
      buf.copy(this.aad, 0, 0, RTCP_HEADER);
      this.aad.writeUInt32BE(eIndex >>> 0, RTCP_HEADER);
      if (encrypted) {
        decipher.setAAD(this.aad);
        decipher.setAuthTag(buf.subarray(rtcpLength, rtcpLength + GCM_TAG));
        const dec = decipher.update(buf.subarray(RTCP_HEADER, rtcpLength));
        try {
          decipher.final();
        } catch {
          return -1;
        }
        dec.copy(buf, RTCP_HEADER);
      } else {
        // Unencrypted SRTCP under GCM: the whole packet is authenticated data.
        decipher.setAAD(Buffer.concat([buf.subarray(0, rtcpLength), buf.subarray(length - 4, length)]));
        decipher.setAuthTag(buf.subarray(rtcpLength, rtcpLength + GCM_TAG));
        try {
          decipher.final();
        } catch {
          return -1;
        }
      }
    } else {
      const auth = this.rtcpAuth;
      auth.begin();
      auth.update(buf, 0, rtcpLength + 4);
      if (!auth.verifyFinish(buf, rtcpLength + 4, HMAC_TAG)) return -1;
      if (encrypted) (this.rtcpCtr as AesCmKeystream).xor(this.ctrIv(this.rtcpSalt, ssrc, 0, 0, index), buf, RTCP_HEADER, buf, RTCP_HEADER, rtcpLength - RTCP_HEADER);
    }
    const state = known ?? this.stream(this.rtcpStreams, ssrc);
    if (!state) return -1;
    accept(state, index, 0, index & 0xffff);
    return rtcpLength;
  }

  private stream(map: Map<number, StreamState>, ssrc: number): StreamState | null {
    let s = map.get(ssrc);
    if (!s) {
      if (map.size >= this.maxStreams) return null;
      s = new StreamState();
      map.set(ssrc, s);
    }
    return s;
  }

  /** AES-CM IV: salt XOR (SSRC << 64) XOR (index << 16), index = roc:seq (RTP) or the SRTCP index. */
  private ctrIv(salt: Buffer, ssrc: number, roc: number, seq: number, rtcpIndex = -1): Buffer {
    const iv = this.iv;
    salt.copy(iv, 0, 0, 14);
    iv[14] = 0;
    iv[15] = 0;
    xorU32(iv, 4, ssrc);
    if (rtcpIndex >= 0) {
      // 48-bit index field (bytes 8..13) holds the 31-bit SRTCP index.
      xorU32(iv, 10, rtcpIndex);
    } else {
      xorU32(iv, 8, roc);
      iv[12] ^= seq >> 8;
      iv[13] ^= seq & 0xff;
    }
    return iv;
  }

  /** GCM IV (RFC 7714 §8.1/§9.1): salt XOR (0x0000 || SSRC || ROC || SEQ) or (0x0000 || SSRC || 0x0000 || index). */
  private gcmIv(salt: Buffer, ssrc: number, roc: number, seq: number, rtcpIndex = -1): Buffer {
    const iv = Buffer.allocUnsafe(12); // node keeps no reference, but a fresh IV keeps this re-entrant
    salt.copy(iv, 0, 0, 12);
    xorU32(iv, 2, ssrc);
    if (rtcpIndex >= 0) xorU32(iv, 8, rtcpIndex);
    else {
      xorU32(iv, 6, roc);
      iv[10] ^= seq >> 8;
      iv[11] ^= seq & 0xff;
    }
    return iv;
  }
}

/** RFC 3711 §3.3.1: the ROC a packet with `seq` most likely belongs to, given the highest seen. */
function estimateRoc(roc: number, highestSeq: number, seq: number): number {
  if (highestSeq < 0x8000) {
    if (seq - highestSeq > 0x8000 && roc > 0) return roc - 1;
    return roc;
  }
  if (highestSeq - 0x8000 > seq) return (roc + 1) >>> 0;
  return roc;
}

function isReplay(s: StreamState, index: number): boolean {
  if (s.highestIndex < 0) return false;
  if (index <= s.highestIndex - REPLAY_WINDOW) return true;
  return s.window[index & (REPLAY_WINDOW - 1)] === index;
}

function accept(s: StreamState, index: number, roc: number, seq: number): void {
  s.window[index & (REPLAY_WINDOW - 1)] = index;
  if (index > s.highestIndex) {
    s.highestIndex = index;
    s.roc = roc;
    s.highestSeq = seq;
  }
}

function xorU32(buf: Buffer, at: number, v: number): void {
  buf[at] ^= v >>> 24;
  buf[at + 1] ^= (v >>> 16) & 0xff;
  buf[at + 2] ^= (v >>> 8) & 0xff;
  buf[at + 3] ^= v & 0xff;
}
