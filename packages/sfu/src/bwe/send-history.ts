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

/** Ring of recently sent packets keyed by transport-wide sequence number. */
export class SendHistory {
  private readonly mask: number;
  private readonly seqs: Int32Array;
  private readonly sendTimes: Float64Array;
  private readonly sizes: Uint16Array;
  private readonly acked: Uint8Array;
  private readonly clusters: Int32Array;
  private readonly found: SentPacket = { sendTimeMs: 0, size: 0, alreadyAcked: false, cluster: -1 };

  /** `size` must be a power of two; it bounds how old a sequence number feedback may refer to. */
  constructor(size = 4096) {
    if (size < 16 || (size & (size - 1)) !== 0) throw new RangeError('size must be a power of two ≥ 16');
    this.mask = size - 1;
    this.seqs = new Int32Array(size).fill(-1);
    this.sendTimes = new Float64Array(size);
    this.sizes = new Uint16Array(size);
    this.acked = new Uint8Array(size);
    this.clusters = new Int32Array(size);
  }

  /** Records a packet sent with transport-wide sequence number `seq`. */
  onPacketSent(seq: number, size: number, sendTimeMs: number, cluster = -1): void {
    const i = seq & this.mask;
    this.clusters[i] = cluster;
    this.seqs[i] = seq & 0xffff;
    this.sendTimes[i] = sendTimeMs;
    this.sizes[i] = Math.min(size, 0xffff);
    this.acked[i] = 0;
  }

  /** The packet sent as `seq` (valid until the next call), or null when unknown or overwritten. */
  lookup(seq: number): SentPacket | null {
    const i = seq & this.mask;
    if (this.seqs[i] !== (seq & 0xffff)) return null;
    const f = this.found;
    f.sendTimeMs = this.sendTimes[i];
    f.size = this.sizes[i];
    f.alreadyAcked = this.acked[i] === 1;
    f.cluster = this.clusters[i];
    return f;
  }

  /** Marks `seq` as reported received, so duplicate reports are not counted twice. */
  markAcked(seq: number): void {
    const i = seq & this.mask;
    if (this.seqs[i] === (seq & 0xffff)) this.acked[i] = 1;
  }
}
