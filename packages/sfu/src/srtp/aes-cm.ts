/**
 * AES-128 in counter mode (RFC 3711 §4.1.1) built on ONE reused AES-ECB cipher object per key:
 * node:crypto cannot re-IV a CTR cipher, and creating one per packet costs more than the AES work.
 * ECB is stateless per block, so feeding it whole blocks of counters yields the keystream.
 */
import { createCipheriv, type Cipher } from 'node:crypto';

/** Largest payload one call handles (a UDP datagram). */
const MAX_BYTES = 0x10000;
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
    const bytes = blocks << 4;
    if (bytes > this.counters.length) {
      this.counters = Buffer.alloc(Math.max(bytes, this.counters.length * 2));
      this.words = new Uint32Array(this.counters.buffer, this.counters.byteOffset, this.counters.length >> 2);
    }
    // The IV's first 14 bytes are constant across blocks; the low 16 bits count blocks (with carry
    // into byte 13 and up, as a 128-bit counter would, though SRTP never gets that far).
    const w = this.words;
    const w0 = LITTLE_ENDIAN ? iv.readUInt32LE(0) : iv.readUInt32BE(0);
    const w1 = LITTLE_ENDIAN ? iv.readUInt32LE(4) : iv.readUInt32BE(4);
    const w2 = LITTLE_ENDIAN ? iv.readUInt32LE(8) : iv.readUInt32BE(8);
    const base = iv.readUInt32BE(12);
    for (let b = 0, k = 0; b < blocks; b++, k += 4) {
      w[k] = w0;
      w[k + 1] = w1;
      w[k + 2] = w2;
      const c = (base + b) >>> 0;
      // The counter is big-endian on the wire: byte-swap it for a little-endian word.
      w[k + 3] = LITTLE_ENDIAN ? ((c & 0xff) << 24) | ((c & 0xff00) << 8) | ((c >>> 8) & 0xff00) | (c >>> 24) : c;
    }
    return this.ecb.update(this.counters.subarray(0, bytes));
  }

  /**
   * XORs the keystream into `src[srcOffset..+length)` and writes the result to `dst[dstOffset..]`
   * (src and dst may be the same region).
   */
  xor(iv: Buffer, src: Buffer, srcOffset: number, dst: Buffer, dstOffset: number, length: number): void {
    if (length <= 0) return;
    const ks = this.keystream(iv, length);
    // A source at an odd address (packets sit back to back in the retransmission slab) would force
    // the byte loop: copy it to the (aligned) destination first and XOR there word-wise.
    if (src !== dst && ((src.byteOffset + srcOffset) & 3) !== 0 && ((dst.byteOffset + dstOffset) & 3) === 0) {
      src.copy(dst, dstOffset, srcOffset, srcOffset + length);
      xorInto(dst, dstOffset, ks, dst, dstOffset, length);
      return;
    }
    xorInto(src, srcOffset, ks, dst, dstOffset, length);
  }
}

/** dst[dstOffset+i] = src[srcOffset+i] ^ ks[i], word-wise when the buffers are 4-byte aligned. */
function xorInto(src: Buffer, srcOffset: number, ks: Buffer, dst: Buffer, dstOffset: number, length: number): void {
  const srcAbs = src.byteOffset + srcOffset;
  const dstAbs = dst.byteOffset + dstOffset;
  let i = 0;
  if ((srcAbs & 3) === 0 && (dstAbs & 3) === 0 && (ks.byteOffset & 3) === 0 && length >= 16) {
    const n = length >> 2;
    const s32 = new Uint32Array(src.buffer, srcAbs, n);
    const d32 = new Uint32Array(dst.buffer, dstAbs, n);
    const k32 = new Uint32Array(ks.buffer, ks.byteOffset, n);
    for (let j = 0; j < n; j++) d32[j] = s32[j] ^ k32[j];
    i = n << 2;
  }
  for (; i < length; i++) dst[dstOffset + i] = src[srcOffset + i] ^ ks[i];
}
