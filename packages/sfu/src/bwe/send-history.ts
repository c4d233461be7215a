/**
 * Send side record of transport-wide sequence numbers written to outgoing packets: when and how big,
 * so transport-cc feedback can be turned into (send time, arrival time, size) samples. A fixed ring
 * keyed by the 16-bit sequence number: bounded memory, no allocation per packet.
 */

/** One sent packet matched by feedback (a reused object). */
export interface SentPacket {
  /** Local send time in ms. */
  sendTimeMs: number;
  /** Bytes on the wire (RTP incl. header). */
  size: number;
  /** True when a previous feedback already reported it received. */
  alreadyAcked: boolean;
  /** Probe cluster the packet belonged to, or -1 (media). */
  cluster: number;
}

/**
 * Ring of recently sent packets keyed by transport-wide sequence number. One 16-byte record per
 * packet (send time; sequence number and size; probe cluster and acked flag), so recording a packet
 * touches one cache line: with hundreds of subscribers per thread, separate arrays per field meant
 * a cache miss per field per forwarded packet.
 */
export class SendHistory {
  private readonly mask: number;
  /** Record i: times[2i] = send time (ms). */
  private readonly times: Float64Array;
  /** Record i: words[4i+2] = seq | size << 16 (size 0: empty), words[4i+3] = (cluster + 1) << 1 | acked. */
  private readonly words: Int32Array;
  private readonly found: SentPacket = { sendTimeMs: 0, size: 0, alreadyAcked: false, cluster: -1 };

  /** `size` must be a power of two; it bounds how old a sequence number feedback may refer to. */
  constructor(size = 4096) {
    if (size < 16 || (size & (size - 1)) !== 0) throw new RangeError('size must be a power of two ≥ 16');
    this.mask = size - 1;
    const records = new ArrayBuffer(size * 16);
    this.times = new Float64Array(records);
    this.words = new Int32Array(records);
  }

  /** Records a packet sent with transport-wide sequence number `seq`. */
  onPacketSent(seq: number, size: number, sendTimeMs: number, cluster = -1): void {
    const i = seq & this.mask;
    this.times[2 * i] = sendTimeMs;
    this.words[4 * i + 2] = (seq & 0xffff) | (Math.max(1, Math.min(size, 0xffff)) << 16);
    this.words[4 * i + 3] = (cluster + 1) << 1;
  }

  /** The packet sent as `seq` (valid until the next call), or null when unknown or overwritten. */
  lookup(seq: number): SentPacket | null {
    const i = seq & this.mask;
    const w = this.words[4 * i + 2] as number;
    if ((w & 0xffff) !== (seq & 0xffff) || w >>> 16 === 0) return null;
    const meta = this.words[4 * i + 3] as number;
    const f = this.found;
    f.sendTimeMs = this.times[2 * i] as number;
    f.size = w >>> 16;
    f.alreadyAcked = (meta & 1) === 1;
    f.cluster = (meta >> 1) - 1;
    return f;
  }

  /** Marks `seq` as reported received, so duplicate reports are not counted twice. */
  markAcked(seq: number): void {
    const i = seq & this.mask;
    const w = this.words[4 * i + 2] as number;
    if ((w & 0xffff) === (seq & 0xffff) && w >>> 16 !== 0) this.words[4 * i + 3] |= 1;
  }
}
