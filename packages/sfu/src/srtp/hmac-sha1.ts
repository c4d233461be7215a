/**
 * HMAC-SHA1 (RFC 2104) for SRTP authentication tags, in JavaScript on preallocated state.
 *
 * Why not node:crypto: an Hmac object cannot be reset, so every packet pays for a new one —
 * about 3.5 µs of fixed cost on our machines, more than hashing a whole 1200-byte packet. Here the
 * key's inner and outer pad blocks are compressed ONCE; a tag then costs only the packet's blocks
 * (plus one for the outer hash), with no allocation. The compression function is the unrolled,
 * generated one in sha1-compress.generated.ts. Checked against RFC 2202 and node:crypto in tests.
 */
import { createHash } from 'node:crypto';
import { sha1Compress } from './sha1-compress.generated';

const BLOCK = 64;
const SHA1_IV = [0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476, 0xc3d2e1f0 | 0];

/** HMAC-SHA1 with one fixed key; streaming (begin/update/finish) or one-shot (sign/verify). */
export class HmacSha1 {
  private readonly innerState = new Int32Array(5);
  private readonly outerState = new Int32Array(5);
  private readonly h = new Int32Array(5);
  /** Bytes of the current message not yet compressed (fewer than 64), plus room for padding. */
  private readonly pending = new Uint8Array(2 * BLOCK);
  private readonly pendingView = new DataView(this.pending.buffer);
  private pendingLength = 0;
  /** Message length so far, bytes (the inner hash also covers the 64-byte pad block). */
  private total = 0;
  private readonly digestBytes = new Uint8Array(20);
  private readonly digestView = new DataView(this.digestBytes.buffer);
  /** A view on the ArrayBuffer of the last input (Buffers from one pool share it; one view per pool). */
  private view: DataView | undefined;
  private viewBuffer: ArrayBufferLike | undefined;

  /** Precomputes the pad states for `key` (keys longer than a block are hashed first, per RFC 2104). */
  constructor(key: Uint8Array) {
    const k = new Uint8Array(BLOCK);
    k.set(key.length > BLOCK ? createHash('sha1').update(key).digest() : key);
    const pad = new Uint8Array(BLOCK);
    const padView = new DataView(pad.buffer);
    for (let i = 0; i < BLOCK; i++) pad[i] = k[i] ^ 0x36;
    this.innerState.set(SHA1_IV);
    sha1Compress(this.innerState, padView, 0);
    for (let i = 0; i < BLOCK; i++) pad[i] = k[i] ^ 0x5c;
    this.outerState.set(SHA1_IV);
    sha1Compress(this.outerState, padView, 0);
  }

  /** Starts a new message. */
  begin(): void {
    this.h.set(this.innerState);
    this.pendingLength = 0;
    this.total = 0;
  }

  /** Adds `data[offset..offset+length)` to the message. */
  update(data: Uint8Array, offset: number, length: number): void {
    this.total += length;
    let at = offset;
    const end = offset + length;
    if (this.pendingLength > 0) {
      const take = Math.min(BLOCK - this.pendingLength, length);
      copyBytes(data, at, this.pending, this.pendingLength, take);
      this.pendingLength += take;
      at += take;
      if (this.pendingLength < BLOCK) return;
      sha1Compress(this.h, this.pendingView, 0);
      this.pendingLength = 0;
    }
    if (end - at >= BLOCK) {
      const view = this.viewOf(data);
      const base = data.byteOffset;
      for (; end - at >= BLOCK; at += BLOCK) sha1Compress(this.h, view, base + at);
    }
    if (at < end) {
      copyBytes(data, at, this.pending, 0, end - at);
      this.pendingLength = end - at;
    }
  }

  /** Ends the message and writes the first `tagLength` (≤ 20) bytes of the MAC to `out[outOffset..]`. */
  finish(out: Uint8Array, outOffset: number, tagLength: number): void {
    this.finishDigest();
    copyBytes(this.digestBytes, 0, out, outOffset, Math.min(tagLength, 20));
  }

  /** The MAC of `data[offset..offset+length)` (first `tagLength` bytes) into `out[outOffset..]`. */
  sign(data: Uint8Array, offset: number, length: number, out: Uint8Array, outOffset: number, tagLength: number): void {
    this.begin();
    this.update(data, offset, length);
    this.finish(out, outOffset, tagLength);
  }

  /** Ends the message and compares the MAC's first `tagLength` bytes with `tag[tagOffset..]` in constant time. */
  verifyFinish(tag: Uint8Array, tagOffset: number, tagLength: number): boolean {
    this.finishDigest();
    let diff = 0;
    for (let i = 0; i < tagLength; i++) diff |= this.digestBytes[i] ^ tag[tagOffset + i];
    return diff === 0;
  }

  private finishDigest(): void {
    // Inner hash: pad the message (which follows the 64-byte ipad block) to whole blocks.
    const p = this.pending;
    let n = this.pendingLength;
    p[n++] = 0x80;
    const blocks = n + 8 > BLOCK ? 2 : 1;
    p.fill(0, n, blocks * BLOCK - 8);
    const bits = (this.total + BLOCK) * 8;
    this.pendingView.setUint32(blocks * BLOCK - 8, Math.floor(bits / 0x100000000));
    this.pendingView.setUint32(blocks * BLOCK - 4, bits >>> 0);
    sha1Compress(this.h, this.pendingView, 0);
    if (blocks === 2) sha1Compress(this.h, this.pendingView, BLOCK);
    // Outer hash: opad block (precomputed) + the 20-byte inner digest, padded to one block.
    for (let i = 0; i < 5; i++) this.pendingView.setInt32(i * 4, this.h[i]);
    p[20] = 0x80;
    p.fill(0, 21, BLOCK - 4);
    this.pendingView.setUint32(BLOCK - 4, (BLOCK + 20) * 8);
    this.h.set(this.outerState);
    sha1Compress(this.h, this.pendingView, 0);
    for (let i = 0; i < 5; i++) this.digestView.setInt32(i * 4, this.h[i]);
    this.pendingLength = 0;
  }

  private viewOf(data: Uint8Array): DataView {
    if (data.buffer !== this.viewBuffer || this.view === undefined) {
      this.viewBuffer = data.buffer;
      this.view = new DataView(data.buffer);
    }
    return this.view;
  }
}

/** Copies a few bytes (at most a block) without making a subarray view per packet. */
function copyBytes(src: Uint8Array, from: number, dst: Uint8Array, to: number, n: number): void {
  for (let i = 0; i < n; i++) dst[to + i] = src[from + i];
}
