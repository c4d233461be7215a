/**
 * A Consumer is one subscriber's copy of a producer on the subscriber's transport. Per forwarded
 * packet it decides (pause, keyframe sync, simulcast layer), rewrites the header into its
 * retransmission buffer (no extra copy), and hands the bytes to the transport. It answers NACKs
 * from that buffer (as RTX when negotiated), turns PLI/FIR into throttled keyframe requests to the
 * producer, sends sender reports, and picks the simulcast layer from its bandwidth and viewport.
 */
import { Vp8PayloadRewriter } from '../codecs/vp8';
import { RetransmissionBuffer } from '../nack/retransmission-buffer';
import type { ReportBlock } from '../rtcp/rtcp-packets';
import { serializeSenderReport } from '../rtcp/serialize-rtcp';
import { ExtensionMap, RtpExtensionUri } from '../rtp/header-extensions';
import { RtpRewriter } from '../rtp/rewriter';
import type { RtpPacket } from '../rtp/rtp-packet';
import { LayerSelector, type SimulcastLayer } from '../simulcast/layer-selector';
import { TypedEmitter } from '../util/typed-emitter';
import type { MediaKind } from '../transport/rtp-capabilities';
import type { SendSectionParams } from '../transport/sdp-types';
import { newMediaId } from './ids';
import type { Producer, ProducerSink } from './producer';
import type { OutgoingRtpInfo, RtpEndpoint } from './rtp-endpoint';

/** Events of a Consumer. */
export type ConsumerEvents = {
  /** Paused locally. */
  pause: [];
  /** Resumed locally. */
  resume: [];
  /** Its producer paused. */
  producerpause: [];
  /** Its producer resumed. */
  producerresume: [];
  /** The subscriber's answer made it live. */
  negotiated: [];
  /** The simulcast layer being forwarded changed. */
  layerschange: [layer: number];
  /** Closed (its producer or transport closed, the subscriber rejected it, or close()). */
  close: [];
};

/** Hooks of the owning transport. */
export interface ConsumerOwner {
  /** The transport removes the consumer and renegotiates. */
  onConsumerClosed(consumer: Consumer): void;
}

/** Options of a Consumer. */
export interface ConsumerOptions {
  /** Id (generated when omitted; the transport chooses it to name the subscriber's track). */
  id?: string;
  /** The producer it copies. */
  producer: Producer;
  /** The subscriber's transport. */
  transport: RtpEndpoint;
  /** Owner hooks. */
  owner: ConsumerOwner;
  /** Section parameters as offered (final ones arrive with the answer). */
  params: SendSectionParams;
  /** Start paused. */
  paused?: boolean;
  /** Retransmission buffer size, bytes. Default 256 KiB for video. */
  rtxBufferBytes?: number;
  /** Application data. */
  appData?: Record<string, unknown>;
}

/** Seconds between 1900 (NTP epoch) and 1970. */
const NTP_EPOCH_OFFSET = 2208988800;
/** Bitrate kept for each audio consumer when sharing a transport's estimate. */
export const AUDIO_RESERVE_BPS = 64_000;

/** One subscriber's copy of a producer (see file comment). */
export class Consumer extends TypedEmitter<ConsumerEvents> implements ProducerSink {
  /** Id. */
  readonly id: string;
  /** Kind. */
  readonly kind: MediaKind;
  /** The m-section's mid on the subscriber's transport. */
  readonly mid: string;
  /** The producer. */
  readonly producer: Producer;
  /** The subscriber's transport. */
  readonly transport: RtpEndpoint;
  /** Application data. */
  readonly appData: Record<string, unknown>;
  /** Parameters (final once negotiated). */
  params: SendSectionParams;
  /** Paused locally. */
  paused: boolean;
  /** Its producer is paused. */
  producerPaused: boolean;
  /** Closed. */
  closed = false;
  /** Packets sent (retransmissions excluded). */
  packetsSent = 0;
  /** Payload octets sent. */
  octetsSent = 0;
  /** Retransmissions sent. */
  retransmissionsSent = 0;
  /** Probe packets sent (RTX copies of recent packets, for bandwidth probing). */
  probesSent = 0;
  /** Round-trip time from receiver reports, ms (NaN until measured). */
  rttMs = Number.NaN;

  private readonly owner: ConsumerOwner;
  private readonly rtxBufferBytes: number;
  private rewriter: RtpRewriter | null = null;
  private rtxBuffer: RetransmissionBuffer | null = null;
  private selector: LayerSelector | null = null;
  private usesTransportCc = false;
  private waitingForKeyframe: boolean;
  private lastSourceTs = 0;
  private lastSourceSsrc = -1;
  private lastSentMs = Number.NaN;
  private viewport: { width: number; height: number } | undefined;
  private maxLayer = Number.POSITIVE_INFINITY;
  private availableBps = Number.NaN;
  private probeCursor = 0;
  /** Reused for every packet sent (the endpoint reads it synchronously): no object per packet. */
  private readonly info: OutgoingRtpInfo = { ssrc: 0, sequenceNumber: 0, retransmission: false, source: -1 };
  /**
   * Where forward() writes, registered as the transport's send source (read without a copy per
   * packet), or -1: the retransmission slab, or else the rewriter's own buffer. The latter is reused
   * by the next packet, which is safe because a consumer forwards at most one packet per incoming
   * packet and the transport's batch goes out at the end of each (send-batch.ts).
   */
  private sendSource = -1;
  private sendSourceBuffer: Buffer | null = null;

  /** Creates the consumer; it forwards nothing until onNegotiated(). */
  constructor(options: ConsumerOptions) {
    super();
    this.id = options.id ?? newMediaId('consumer');
    this.producer = options.producer;
    this.transport = options.transport;
    this.owner = options.owner;
    this.params = options.params;
    this.kind = options.params.kind;
    this.mid = options.params.mid;
    this.appData = options.appData ?? {};
    this.paused = options.paused ?? false;
    this.producerPaused = options.producer.paused;
    this.rtxBufferBytes = options.rtxBufferBytes ?? 256 * 1024;
    this.waitingForKeyframe = this.kind === 'video';
    this.producer.addConsumer(this);
  }

  /** Our SSRC on the wire. */
  get ssrc(): number {
    return this.params.ssrc;
  }

  /** Our RTX SSRC, when negotiated. */
  get rtxSsrc(): number | undefined {
    return this.params.rtxSsrc;
  }

  /** True once the subscriber's answer accepted it. */
  get negotiated(): boolean {
    return this.rewriter !== null;
  }

  /** Simulcast layer being forwarded (-1 before the first keyframe; 0 for non-simulcast). */
  get currentLayer(): number {
    return this.selector ? this.selector.currentLayer : 0;
  }

  /** Simulcast layer the consumer is heading for. */
  get targetLayer(): number {
    return this.selector ? this.selector.targetLayer : 0;
  }

  /** Applies the negotiated parameters and starts forwarding (from the next keyframe for video). */
  onNegotiated(params: SendSectionParams, nowMs: number): void {
    if (this.closed || this.rewriter) return;
    this.params = params;
    const consumerExtensions = new ExtensionMap(params.extensions);
    const twccId = consumerExtensions.idOf(RtpExtensionUri.transportWideCc);
    this.usesTransportCc = twccId !== 0;
    const producerCodec = this.producer.params.codec;
    const isVp8 = this.producer.codec.mimeType.toLowerCase() === 'video/vp8';
    this.rewriter = new RtpRewriter({
      ssrc: params.ssrc,
      clockRate: params.codec.clockRate,
      payloadTypes: new Map([[producerCodec.payloadType, params.codec.payloadType]]),
      producerExtensions: this.producer.extensions,
      consumerExtensions,
      mid: params.mid,
      payloadRewriter: isVp8 && this.producer.simulcast ? new Vp8PayloadRewriter() : undefined,
    });
    const nack = params.codec.feedback.some((f) => f.type === 'nack' && !f.parameter);
    if (this.kind === 'video' && nack) {
      this.rtxBuffer = new RetransmissionBuffer({
        slabSize: this.rtxBufferBytes,
        transportWideCcId: twccId,
        rtx: params.rtxSsrc !== undefined && params.codec.rtxPayloadType !== undefined ? { ssrc: params.rtxSsrc, payloadType: params.codec.rtxPayloadType } : undefined,
      });
    }
    this.releaseSendSource();
    const target = this.rtxBuffer ? this.rtxBuffer.slabBuffer : this.rewriter.ownBuffer;
    this.sendSource = this.transport.registerSendSource?.(target) ?? -1;
    this.sendSourceBuffer = this.sendSource >= 0 ? target : null;
    if (this.producer.simulcast) {
      this.selector = new LayerSelector({ keyframeRequester: this.producer.keyframeRequester });
      this.selector.on('layerchange', (layer) => this.emit('layerschange', layer));
      if (this.viewport) this.selector.setViewport(this.viewport.width, this.viewport.height, nowMs);
      if (Number.isFinite(this.maxLayer)) this.selector.setMaxLayer(this.maxLayer, nowMs);
      if (!Number.isNaN(this.availableBps)) this.selector.setAvailableBitrate(this.availableBps, nowMs);
      this.selector.setLayers(this.producer.layers(nowMs), nowMs);
    } else this.producer.requestKeyframe(nowMs);
    this.emit('negotiated');
  }

  /** The hot path: one packet of the producer (any layer). */
  forward(packet: RtpPacket, keyframe: boolean, nowMs: number): void {
    const rewriter = this.rewriter;
    if (rewriter === null || this.paused || this.producerPaused) return;
    if (this.selector) {
      if (!this.selector.shouldForward(packet.ssrc, keyframe)) return;
    } else if (this.waitingForKeyframe) {
      if (!keyframe) return;
      this.waitingForKeyframe = false;
    }
    const transportSeq = this.usesTransportCc ? this.transport.peekTransportSequence() : -1;
    const buffer = this.rtxBuffer;
    const region = buffer ? buffer.reserve(packet.length + RtpRewriter.headerGrowth) : null;
    const out = region ? rewriter.rewrite(packet, nowMs, transportSeq, region) : rewriter.rewrite(packet, nowMs, transportSeq);
    if (!out) return;
    if (buffer && region) buffer.commit(out.offset, out.length, nowMs);
    this.packetsSent++;
    this.octetsSent += packet.payloadLength;
    this.lastSourceTs = packet.timestamp;
    this.lastSourceSsrc = packet.ssrc;
    this.lastSentMs = nowMs;
    const info = this.info;
    info.ssrc = this.params.ssrc;
    info.sequenceNumber = out.sequenceNumber;
    info.retransmission = false;
    info.source = out.buffer === this.sendSourceBuffer ? this.sendSource : -1;
    this.transport.sendRtp(out.buffer, out.offset, out.length, transportSeq, info, nowMs);
  }

  /** NACK from the subscriber: resend what the retransmission buffer still holds. */
  onNack(sequenceNumbers: readonly number[], nowMs: number): void {
    const buffer = this.rtxBuffer;
    if (!buffer || this.closed) return;
    for (const seq of sequenceNumbers) {
      const transportSeq = this.usesTransportCc ? this.transport.peekTransportSequence() : -1;
      const v = buffer.retransmit(seq, nowMs, transportSeq);
      if (!v) continue;
      this.retransmissionsSent++;
      const ssrc = this.params.rtxSsrc ?? this.params.ssrc;
      this.transport.sendRtp(v.buffer, v.offset, v.length, transportSeq, this.infoFor(ssrc, seq, true), nowMs);
    }
  }

  /** The bitrate this consumer would need for the layer its view asks for, when above the current one; 0 otherwise. */
  wantedBitrate(): number {
    if (!this.selector || this.paused || this.producerPaused || this.closed) return 0;
    return this.selector.wantedBitrate();
  }

  /**
   * Sends one probe packet: an RTX copy of one of the last packets sent (the receiver drops it as a
   * duplicate; transport-cc counts it). Returns its size, or 0 when this consumer cannot probe
   * (no RTX or transport-cc negotiated, nothing sent recently).
   */
  sendProbe(nowMs: number): number {
    const buffer = this.rtxBuffer;
    const rewriter = this.rewriter;
    const rtxSsrc = this.params.rtxSsrc;
    if (!buffer || !rewriter || rtxSsrc === undefined || !this.usesTransportCc || this.closed || this.paused || this.producerPaused) return 0;
    const last = rewriter.lastSequenceNumber;
    if (last < 0) return 0;
    for (let k = 0; k < 8; k++) {
      const seq = (last - (this.probeCursor++ & 7)) & 0xffff;
      const transportSeq = this.transport.peekTransportSequence();
      const v = buffer.retransmit(seq, nowMs, transportSeq);
      if (!v) continue;
      this.probesSent++;
      this.transport.sendRtp(v.buffer, v.offset, v.length, transportSeq, this.infoFor(rtxSsrc, seq, true), nowMs);
      return v.length;
    }
    return 0;
  }

  private infoFor(ssrc: number, sequenceNumber: number, retransmission: boolean): OutgoingRtpInfo {
    const info = this.info;
    info.ssrc = ssrc;
    info.sequenceNumber = sequenceNumber;
    info.retransmission = retransmission;
    info.source = -1;
    return info;
  }

  /** PLI/FIR from the subscriber. */
  onKeyframeRequest(nowMs: number): void {
    if (this.closed || this.kind !== 'video') return;
    const ssrc = this.selector ? this.producer.layers(nowMs).find((l) => l.index === Math.max(this.selector!.currentLayer, this.selector!.targetLayer))?.ssrc : undefined;
    this.producer.requestKeyframe(nowMs, ssrc);
  }

  /** A report block about our stream from the subscriber: round-trip time. */
  onReceiverReport(block: ReportBlock): void {
    if (block.lastSenderReport === 0) return;
    const ntp = ntpMiddle();
    const rtt = (((ntp - block.lastSenderReport - block.delaySinceLastSenderReport) >>> 0) * 1000) / 65536;
    if (rtt >= 0 && rtt < 10_000) this.rttMs = rtt;
  }

  /** This consumer's share of its transport's bandwidth estimate. */
  setAvailableBitrate(bps: number, nowMs: number): void {
    this.availableBps = bps;
    this.selector?.setAvailableBitrate(bps, nowMs);
  }

  /** Layers of the producer changed (bitrates, activity, sizes). */
  onProducerLayers(layers: SimulcastLayer[], nowMs: number): void {
    this.selector?.setLayers(layers, nowMs);
  }

  /** The size the subscriber renders at: the smallest layer covering it is enough. */
  setViewport(width: number, height: number, nowMs = performance.now()): void {
    this.viewport = { width, height };
    this.selector?.setViewport(width, height, nowMs);
  }

  /** Upper bound on the spatial layer (e.g. 0 for thumbnails); Infinity for none. */
  setMaxLayer(layer: number, nowMs = performance.now()): void {
    this.maxLayer = layer;
    this.selector?.setMaxLayer(layer, nowMs);
  }

  /** Periodic work: layer-selection hold times. */
  tick(nowMs: number): void {
    this.selector?.tick(nowMs);
  }

  /** Our sender report (timestamps mapped from the publisher's SR when it sent one), or null before any packet. */
  senderReport(nowMs: number, wallClockMs: number): Buffer | null {
    const rewriter = this.rewriter;
    if (!rewriter || rewriter.lastSequenceNumber < 0) return null;
    const offset = (rewriter.lastTimestamp - this.lastSourceTs) >>> 0;
    const stream = this.producer.streams.find((s) => s?.ssrc === this.lastSourceSsrc);
    const sourceNow = stream ? stream.rtpTimestampAt(nowMs) : Number.NaN;
    const rtpTimestamp = Number.isNaN(sourceNow)
      ? (rewriter.lastTimestamp + Math.round(((nowMs - this.lastSentMs) * this.params.codec.clockRate) / 1000)) >>> 0
      : (sourceNow + offset) >>> 0;
    const seconds = wallClockMs / 1000 + NTP_EPOCH_OFFSET;
    const ntpSeconds = Math.floor(seconds);
    return serializeSenderReport({
      ssrc: this.params.ssrc,
      ntpSeconds: ntpSeconds >>> 0,
      ntpFraction: Math.floor((seconds - ntpSeconds) * 0x100000000) >>> 0,
      rtpTimestamp,
      packetCount: this.packetsSent >>> 0,
      octetCount: this.octetsSent >>> 0,
      reports: [],
    });
  }

  /** Stops forwarding to this subscriber. */
  pause(): void {
    if (this.paused || this.closed) return;
    this.paused = true;
    this.emit('pause');
  }

  /** Resumes: sequence numbers continue without a gap; video waits for a keyframe (requested now). */
  resume(): void {
    if (!this.paused || this.closed) return;
    this.paused = false;
    this.resync();
    this.emit('resume');
  }

  /** Called by the producer. */
  onProducerPause(): void {
    this.producerPaused = true;
    this.emit('producerpause');
  }

  /** Called by the producer. */
  onProducerResume(): void {
    this.producerPaused = false;
    this.resync();
    this.emit('producerresume');
  }

  /** Called by the producer when it closes. */
  onProducerClose(): void {
    this.close();
  }

  /** Closes the consumer (idempotent). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.releaseSendSource();
    this.producer.removeConsumer(this);
    this.owner.onConsumerClosed(this);
    this.emit('close');
  }

  private releaseSendSource(): void {
    if (this.sendSource >= 0) this.transport.releaseSendSource?.(this.sendSource);
    this.sendSource = -1;
    this.sendSourceBuffer = null;
  }

  private resync(): void {
    this.rewriter?.resync();
    if (this.kind !== 'video' || !this.rewriter) return;
    if (!this.selector) this.waitingForKeyframe = true;
    this.producer.requestKeyframe(performance.now());
  }
}

/** Middle 32 bits of the current NTP time (for LSR/RTT arithmetic, RFC 3550 §6.4.1). */
function ntpMiddle(): number {
  const seconds = Date.now() / 1000 + NTP_EPOCH_OFFSET;
  const whole = Math.floor(seconds);
  const frac = Math.floor((seconds - whole) * 65536);
  return (((whole & 0xffff) << 16) | frac) >>> 0;
}
