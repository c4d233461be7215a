/**
 * AES-CM keystream of the NEXT packets of one outgoing RTP stream, generated in bulk.
 *
 * An SRTP packet's keystream depends only on the key, salt, SSRC and packet index — not on its
 * contents — and a consumer sends its packets with consecutive sequence numbers. So the keystream
 * of packets index … index+N-1 can be made in one cipher call, which costs little more than one
 * packet's: node:crypto's fixed cost per update() (several µs) is what dominates AES here.
 * Packets that do not fit (a retransmission with an old index, one larger than the window's
 * stride) get their keystream alone, as before; the window never changes what is computed.
 */
import { type AesCmKeystream, wordsOf } from './aes-cm';

/** Packets per batch: past 16 the saving per packet flattens while memory grows. */
const DEFAULT_PACKETS = 16;
/** Largest stride, blocks (4 KiB payloads); larger packets are encrypted alone. */
const MAX_STRIDE_BLOCKS = 256;

/** Keystream of a run of consecutive packet indexes of one SSRC (see file comment). */
export class KeystreamWindow {
  /** The keystream data; packet `first + i` starts at `i * stride * 16`. */
  data: Buffer = Buffer.alloc(0);
  /** `wordsOf(data)`, made once per refill for xorInPlace. */
  words: Uint32Array = new Uint32Array(0);
  private first = -1;
  private count = 0;
  private stride = 0;
  private readonly ivs: Buffer;

  constructor(
    private readonly ctr: AesCmKeystream,
    private readonly packets = DEFAULT_PACKETS,
  ) {
    this.ivs = Buffer.alloc(16 * packets);
  }

  /**
   * Offset into `data` of the keystream for packet `index` (48-bit SRTP index) with a payload of
   * `bytes`, refilling the window from `index` when needed; -1 when this packet should be
   * encrypted alone (too large, or older than the window: a retransmission).
   */
  offsetFor(salt: Buffer, ssrc: number, index: number, bytes: number): number {
    const blocks = (bytes + 15) >> 4;
    if (blocks > MAX_STRIDE_BLOCKS) return -1;
    const rel = index - this.first;
    if (this.first >= 0 && rel >= 0 && rel < this.count && blocks <= this.stride) return rel * this.stride * 16;
    if (this.first >= 0 && rel < 0) return -1;
    // Forward (or a larger packet): a new window from this index. The stride only grows, so a
    // stream of mixed sizes settles on its largest packet after one refill.
    this.stride = Math.max(this.stride, blocks, 1);
    this.first = index;
    this.count = this.packets;
    for (let i = 0; i < this.packets; i++) writeRtpIv(this.ivs, i * 16, salt, ssrc, index + i);
    this.data = this.ctr.keystreamBatch(this.ivs, this.packets, this.stride);
    this.words = wordsOf(this.data);
    return 0;
  }
}

/** AES-CM IV of RTP packet `index` (RFC 3711 §4.1.1): salt XOR (SSRC << 64) XOR (index << 16). */
export function writeRtpIv(out: Buffer, at: number, salt: Buffer, ssrc: number, index: number): void {
  salt.copy(out, at, 0, 14);
  out[at + 14] = 0;
  out[at + 15] = 0;
  out[at + 4] ^= ssrc >>> 24;
  out[at + 5] ^= (ssrc >>> 16) & 0xff;
  out[at + 6] ^= (ssrc >>> 8) & 0xff;
  out[at + 7] ^= ssrc & 0xff;
  const roc = Math.floor(index / 0x10000);
  out[at + 8] ^= (roc >>> 24) & 0xff;
  out[at + 9] ^= (roc >>> 16) & 0xff;
  out[at + 10] ^= (roc >>> 8) & 0xff;
  out[at + 11] ^= roc & 0xff;
  out[at + 12] ^= (index >>> 8) & 0xff;
  out[at + 13] ^= index & 0xff;
}
