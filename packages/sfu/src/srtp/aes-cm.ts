/**
 * AES-128 in counter mode (RFC 3711 §4.1.1) built on ONE reused AES-ECB cipher object per key:
 * node:crypto cannot re-IV a CTR cipher, and creating one per packet costs more than the AES work.
 * ECB is stateless per block, so feeding it whole blocks of counters yields the keystream.
 */
import { createCipheriv, type Cipher } from 'node:crypto';

/** Largest payload one call handles (a UDP datagram). */
const MAX_BYTES = 0x10000;
/** Largest keystream batch, bytes. */
const MAX_BATCH_BYTES = 1 << 20;
/** Typed arrays use the platform's byte order; the counter words are written accordingly. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Counter-mode keystream generator for one AES-128 key (see file comment). */
export class AesCmKeystream {
  private readonly ecb: Cipher;
  private counters = Buffer.alloc(2048);
  private words = new Uint32Array(this.counters.buffer, this.counters.byteOffset, this.counters.length >> 2);

  /** Creates the reusable ECB cipher for `key` (16 bytes). */
  constructor(key: Buffer) {
    if (key.length !== 16) throw new RangeError('AES-128 key must be 16 bytes');
    this.ecb = createCipheriv('aes-128-ecb', key, null);
    this.ecb.setAutoPadding(false);
  }

  /**
   * The keystream for `length` bytes starting at counter block `iv` (16 bytes; the last two bytes are
   * the block counter, incremented per block). Returns a fresh buffer of whole blocks.
   */
  keystream(iv: Buffer, length: number): Buffer {
    if (length <= 0) return Buffer.alloc(0);
    if (length > MAX_BYTES) throw new RangeError('keystream too long');
    const blocks = (length + 15) >> 4;
    this.reserveCounters(blocks);
    writeCounterBlocks(this.words, 0, iv, 0, blocks);
    return this.ecb.update(this.counters.subarray(0, blocks << 4));
  }

  /**
   * Keystreams of several packets in ONE cipher call: `ivs[i]` (16 bytes each, at `ivs[16 i]`)
   * gets `stride` blocks at `[i * stride * 16, …)` of the result. One call per batch matters: the
   * fixed cost of a node:crypto update() is several times that of encrypting a packet's blocks.
   */
  keystreamBatch(ivs: Buffer, count: number, stride: number): Buffer {
    const blocks = count * stride;
    if (count <= 0 || stride <= 0 || blocks << 4 > MAX_BATCH_BYTES) throw new RangeError('bad keystream batch');
    this.reserveCounters(blocks);
    for (let i = 0; i < count; i++) writeCounterBlocks(this.words, i * stride * 4, ivs, i * 16, stride);
    return this.ecb.update(this.counters.subarray(0, blocks << 4));
  }

  private reserveCounters(blocks: number): void {
    const bytes = blocks << 4;
    if (bytes <= this.counters.length) return;
    this.counters = Buffer.alloc(Math.max(bytes, this.counters.length * 2));
    this.words = new Uint32Array(this.counters.buffer, this.counters.byteOffset, this.counters.length >> 2);
  }

  /**
   * XORs the keystream into `src[srcOffset..+length)` and writes the result to `dst[dstOffset..]`
   * (src and dst may be the same region).
   */
  xor(iv: Buffer, src: Buffer, srcOffset: number, dst: Buffer, dstOffset: number, length: number): void {
    if (length <= 0) return;
    xorKeystream(this.keystream(iv, length), 0, src, srcOffset, dst, dstOffset, length);
  }
}

/**
 * XORs `ks[ksOffset..]` into `src[srcOffset..+length)`, result at `dst[dstOffset..]` (src and dst may
 * be the same region), word-wise whenever the destination and keystream are 4-byte aligned.
 */
export function xorKeystream(ks: Buffer, ksOffset: number, src: Buffer, srcOffset: number, dst: Buffer, dstOffset: number, length: number): void {
  // A source at an odd address (packets sit back to back in the retransmission slab) would force
  // the byte loop: copy it to the (aligned) destination first and XOR there word-wise.
  if (src !== dst && ((src.byteOffset + srcOffset) & 3) !== 0 && ((dst.byteOffset + dstOffset) & 3) === 0) {
    src.copy(dst, dstOffset, srcOffset, srcOffset + length);
    xorInto(dst, dstOffset, ks, ksOffset, dst, dstOffset, length);
    return;
  }
  xorInto(src, srcOffset, ks, ksOffset, dst, dstOffset, length);
}

/** A Uint32Array over the whole ArrayBuffer under `buf`, for xorInPlace (cache it per buffer: one view per packet costs more than the XOR of a small one). */
export function wordsOf(buf: Uint8Array): Uint32Array {
  return new Uint32Array(buf.buffer, 0, buf.buffer.byteLength >> 2);
}

/**
 * `dst[dstOffset+i] ^= ks[ksOffset+i]` for `length` bytes, with `dstWords = wordsOf(dst)` and
 * `ksWords = wordsOf(ks)`: word-wise when both regions are 4-byte aligned, no view made per call.
 */
export function xorInPlace(dst: Uint8Array, dstOffset: number, dstWords: Uint32Array, ks: Uint8Array, ksOffset: number, ksWords: Uint32Array, length: number): void {
  const dstAbs = dst.byteOffset + dstOffset;
  const ksAbs = ks.byteOffset + ksOffset;
  let i = 0;
  if (((dstAbs | ksAbs) & 3) === 0) {
    const n = length >> 2;
    const d = dstAbs >> 2;
    const k = ksAbs >> 2;
    for (let j = 0; j < n; j++) dstWords[d + j] ^= ksWords[k + j];
    i = n << 2;
  }
  for (; i < length; i++) dst[dstOffset + i] ^= ks[ksOffset + i];
}

/** Writes `blocks` counter blocks starting at the IV `iv[ivAt..ivAt+16)` into `w` from word `at`. */
function writeCounterBlocks(w: Uint32Array, at: number, iv: Buffer, ivAt: number, blocks: number): void {
  // The IV's first 12 bytes are constant across blocks; the last word counts blocks (the low 16 bits
  // in SRTP, with carry upwards as a 128-bit counter would, though SRTP never gets that far).
  const w0 = LITTLE_ENDIAN ? iv.readUInt32LE(ivAt) : iv.readUInt32BE(ivAt);
  const w1 = LITTLE_ENDIAN ? iv.readUInt32LE(ivAt + 4) : iv.readUInt32BE(ivAt + 4);
  const w2 = LITTLE_ENDIAN ? iv.readUInt32LE(ivAt + 8) : iv.readUInt32BE(ivAt + 8);
  const base = iv.readUInt32BE(ivAt + 12);
  for (let b = 0, k = at; b < blocks; b++, k += 4) {
    w[k] = w0;
    w[k + 1] = w1;
    w[k + 2] = w2;
    const c = (base + b) >>> 0;
    // The counter is big-endian on the wire: byte-swap it for a little-endian word.
    w[k + 3] = LITTLE_ENDIAN ? ((c & 0xff) << 24) | ((c & 0xff00) << 8) | ((c >>> 8) & 0xff00) | (c >>> 24) : c;
  }
}

/** dst[dstOffset+i] = src[srcOffset+i] ^ ks[ksOffset+i], word-wise when the buffers are 4-byte aligned. */
function xorInto(src: Buffer, srcOffset: number, ks: Buffer, ksOffset: number, dst: Buffer, dstOffset: number, length: number): void {
  const srcAbs = src.byteOffset + srcOffset;
  const dstAbs = dst.byteOffset + dstOffset;
  const ksAbs = ks.byteOffset + ksOffset;
  let i = 0;
  if ((srcAbs & 3) === 0 && (dstAbs & 3) === 0 && (ksAbs & 3) === 0 && length >= 16) {
    const n = length >> 2;
    const s32 = new Uint32Array(src.buffer, srcAbs, n);
    const d32 = new Uint32Array(dst.buffer, dstAbs, n);
    const k32 = new Uint32Array(ks.buffer, ksAbs, n);
    for (let j = 0; j < n; j++) d32[j] = s32[j] ^ k32[j];
    i = n << 2;
  }
  for (; i < length; i++) dst[dstOffset + i] = src[srcOffset + i] ^ ks[ksOffset + i];
}
