/**
 * One incoming RTP stream of a producer (one SSRC: the single stream, or one simulcast layer):
 * reception statistics for receiver reports (RFC 3550 §6.4.1, A.3, A.8), the sender's last SR for
 * LSR/DLSR and for our own SRs to subscribers, NACK generation, bitrate and frame size.
 */
import { NackGenerator } from '../nack/nack-generator';
import type { ReportBlock, SenderReport } from '../rtcp/rtcp-packets';
import type { RtpPacket } from '../rtp/rtp-packet';
import { SeqUnwrapper } from '../util/seq';

/** Options of a RecvStream. */
export interface RecvStreamOptions {
  /** SSRC of the stream. */
  ssrc: number;
  /** Simulcast spatial index (0 lowest). */
  layer: number;
  /** Rid, when simulcast by rid. */
  rid?: string;
  /** RTP clock rate. */
  clockRate: number;
  /** Generate NACKs for losses (video with nack feedback). */
  nack: boolean;
  /** Called when losses cannot be repaired any more (request a keyframe). */
  onKeyframeRequired?: () => void;
}

/** Receive-side state of one SSRC (see file comment). */
export class RecvStream {
  /** SSRC. */
  readonly ssrc: number;
  /** Spatial layer index. */
  readonly layer: number;
  /** Rid, if any. */
  readonly rid: string | undefined;
  /** RTX SSRC once known. */
  rtxSsrc: number | undefined;
  /** NACK list generator, for video with NACK. */
  readonly nack: NackGenerator | null;
  /** Frame width from the last keyframe (0: unknown). */
  width = 0;
  /** Frame height from the last keyframe (0: unknown). */
  height = 0;
  /** Measured bitrate over the last window, bps. */
  bitrateBps = 0;
  /** Time of the last packet (ms, monotonic), or -Infinity. */
  lastPacketMs = Number.NEGATIVE_INFINITY;
  /** Packets received (retransmissions included). */
  packetsReceived = 0;
  /** Bytes received. */
  bytesReceived = 0;

  private readonly clockRate: number;
  private readonly unwrapper = new SeqUnwrapper();
  private baseExt = -1;
  private expectedPrior = 0;
  private receivedPrior = 0;
  private jitter = 0;
  private lastTransit = Number.NaN;
  private windowBytes = 0;
  private windowStartMs = Number.NaN;
  /** Last SR: NTP (seconds, fraction), RTP timestamp, local arrival (ms). */
  private sr: { ntpSeconds: number; ntpFraction: number; rtpTimestamp: number; arrivalMs: number } | undefined;

  /** Creates the stream's state. */
  constructor(options: RecvStreamOptions) {
    this.ssrc = options.ssrc >>> 0;
    this.layer = options.layer;
    this.rid = options.rid;
    this.clockRate = options.clockRate;
    this.nack = options.nack ? new NackGenerator({ onKeyframeRequired: options.onKeyframeRequired }) : null;
  }

  /** Records a received packet (original or repaired). */
  onPacket(packet: RtpPacket, nowMs: number): void {
    const ext = this.unwrapper.unwrap(packet.sequenceNumber);
    if (this.baseExt < 0 || ext < this.baseExt) this.baseExt = ext;
    this.packetsReceived++;
    this.bytesReceived += packet.length;
    this.windowBytes += packet.length;
    if (Number.isNaN(this.windowStartMs)) this.windowStartMs = nowMs;
    this.lastPacketMs = nowMs;
    this.nack?.onPacket(packet.sequenceNumber, nowMs);
    // Interarrival jitter in RTP units (RFC 3550 A.8).
    const transit = (nowMs * this.clockRate) / 1000 - packet.timestamp;
    if (!Number.isNaN(this.lastTransit)) {
      let d = transit - this.lastTransit;
      if (d < 0) d = -d;
      if (d < this.clockRate * 10) this.jitter += (d - this.jitter) / 16;
    }
    this.lastTransit = transit;
  }

  /** Records the sender's SR for this stream. */
  onSenderReport(sr: SenderReport, nowMs: number): void {
    this.sr = { ntpSeconds: sr.ntpSeconds, ntpFraction: sr.ntpFraction, rtpTimestamp: sr.rtpTimestamp, arrivalMs: nowMs };
  }

  /** The sender's RTP timestamp at local time `nowMs`, extrapolated from its last SR; NaN before one. */
  rtpTimestampAt(nowMs: number): number {
    if (!this.sr) return Number.NaN;
    return (this.sr.rtpTimestamp + Math.round(((nowMs - this.sr.arrivalMs) * this.clockRate) / 1000)) >>> 0;
  }

  /** Closes the bitrate window when it is at least `windowMs` long. */
  updateBitrate(nowMs: number, windowMs = 1000): void {
    if (Number.isNaN(this.windowStartMs)) {
      this.bitrateBps = 0;
      return;
    }
    const elapsed = nowMs - this.windowStartMs;
    if (elapsed < windowMs) return;
    this.bitrateBps = Math.round((this.windowBytes * 8 * 1000) / elapsed);
    this.windowBytes = 0;
    this.windowStartMs = nowMs;
  }

  /** A report block for our receiver report, or null before the first packet. */
  reportBlock(nowMs: number): ReportBlock | null {
    const max = this.unwrapper.highestSeen;
    if (max < 0) return null;
    const expected = max - this.baseExt + 1;
    const lost = Math.max(-0x800000, Math.min(0x7fffff, expected - this.packetsReceived));
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.packetsReceived - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.packetsReceived;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost = expectedInterval <= 0 || lostInterval <= 0 ? 0 : Math.min(255, Math.floor((lostInterval << 8) / expectedInterval));
    let lsr = 0;
    let dlsr = 0;
    if (this.sr) {
      lsr = (((this.sr.ntpSeconds & 0xffff) << 16) | (this.sr.ntpFraction >>> 16)) >>> 0;
      dlsr = Math.max(0, Math.min(0xffffffff, Math.round(((nowMs - this.sr.arrivalMs) * 65536) / 1000)));
    }
    return {
      ssrc: this.ssrc,
      fractionLost,
      packetsLost: lost,
      highestSequence: (max - 0x10000) >>> 0, // SeqUnwrapper counts cycles from 1
      jitter: Math.round(this.jitter) >>> 0,
      lastSenderReport: lsr,
      delaySinceLastSenderReport: dlsr,
    };
  }
}
