/**
 * A Producer is one incoming track (audio, or video with one or three simulcast streams) on a
 * transport. It owns the per-SSRC receive state, throttles keyframe requests to the publisher
 * (one per interval however many consumers ask), reads audio levels for active-speaker detection,
 * and fans every packet out to its consumers — the hot loop of the SFU.
 */
import { isH264Keyframe } from '../codecs/h264';
import { isVp8Keyframe } from '../codecs/vp8';
import { KeyframeRequester } from '../keyframe/keyframe-requester';
import type { ReportBlock } from '../rtcp/rtcp-packets';
import { serializeFir, serializeNack, serializePli } from '../rtcp/serialize-rtcp';
import { ExtensionMap, readAudioLevelByte, RtpExtensionUri } from '../rtp/header-extensions';
import type { RtpPacket } from '../rtp/rtp-packet';
import type { SimulcastLayer } from '../simulcast/layer-selector';
import { TypedEmitter } from '../util/typed-emitter';
import { findCodecCapability, type CodecCapability, type MediaKind } from '../transport/rtp-capabilities';
import type { RecvSectionParams } from '../transport/sdp-types';
import { newMediaId } from './ids';
import { RecvStream } from './recv-stream';
import type { RtpEndpoint } from './rtp-endpoint';
import { vp8KeyframeSize } from './vp8-frame-size';

/** Events of a Producer. */
export type ProducerEvents = {
  /** Paused: nothing is forwarded. */
  pause: [];
  /** Resumed. */
  resume: [];
  /** Closed (by its transport, the remote, or close()). */
  close: [];
  /** A simulcast layer started or stopped arriving, or changed its frame size. */
  layerschange: [layers: SimulcastLayer[]];
};

/** What a producer forwards to: a Consumer, or a pipe towards another router. */
export interface ProducerSink {
  /** Id. */
  readonly id: string;
  /** One packet of the producer; `layer` is the stream's simulcast index. */
  forward(packet: RtpPacket, keyframe: boolean, nowMs: number, layer: number): void;
  /** The producer's layers were re-measured. */
  onProducerLayers(layers: SimulcastLayer[], nowMs: number): void;
  /** The producer paused. */
  onProducerPause(): void;
  /** The producer resumed. */
  onProducerResume(): void;
  /** The producer closed. */
  onProducerClose(): void;
}

/** Hooks of the owner (transport and router). */
export interface ProducerOwner {
  /** The transport removes the producer from its maps. */
  onProducerClosed(producer: Producer): void;
  /** Audio level of a packet (RFC 6464), for active-speaker detection. */
  onAudioLevel?(producerId: string, levelDbov: number, voice: boolean, nowMs: number): void;
}

/** Options of a Producer. */
export interface ProducerOptions {
  /** Id (generated when omitted; a pipe keeps the original producer's id on the other router). */
  id?: string;
  /** The transport it arrives on. */
  transport: RtpEndpoint;
  /** Owner hooks. */
  owner: ProducerOwner;
  /** Negotiated section. */
  params: RecvSectionParams;
  /** Minimum time between keyframe requests to the publisher. Default 500 ms. */
  keyframeIntervalMs?: number;
  /** Application data. */
  appData?: Record<string, unknown>;
}

/** A layer counts as active when a packet arrived this recently. */
const LAYER_ACTIVE_MS = 2000;

/** An incoming track (see file comment). */
export class Producer extends TypedEmitter<ProducerEvents> {
  /** Id. */
  readonly id: string;
  /** Kind. */
  readonly kind: MediaKind;
  /** The m-section's mid on its transport. */
  readonly mid: string;
  /** Negotiated parameters. */
  readonly params: RecvSectionParams;
  /** The codec as the SFU supports it (what consumers are offered). */
  readonly codec: CodecCapability;
  /** Extension ids the publisher uses. */
  readonly extensions: ExtensionMap;
  /** The transport it arrives on. */
  readonly transport: RtpEndpoint;
  /** Keyframe-request throttle shared with the consumers' layer selectors. */
  readonly keyframeRequester: KeyframeRequester;
  /** Consumers of this producer by id. */
  readonly consumers = new Map<string, ProducerSink>();
  /** Application data. */
  readonly appData: Record<string, unknown>;
  /** True while paused. */
  paused = false;
  /** True once closed. */
  closed = false;
  /** Streams by layer index (undefined until the SSRC is known). */
  readonly streams: Array<RecvStream | undefined>;

  private readonly owner: ProducerOwner;
  private consumerList: ProducerSink[] = [];
  private readonly audioLevelId: number;
  private readonly isVp8: boolean;
  private readonly isH264: boolean;
  private readonly nackEnabled: boolean;
  private readonly useFir: boolean;
  private lastActive = '';
  private lastLayersMs = Number.NEGATIVE_INFINITY;

  /** Creates the producer; streams with signalled SSRCs exist at once, others when first seen. */
  constructor(options: ProducerOptions) {
    super();
    this.id = options.id ?? newMediaId('producer');
    const p = options.params;
    const cap = findCodecCapability(p.kind, p.codec.mimeType, p.codec.clockRate, p.codec.parameters);
    if (!cap) throw new Error(`unsupported codec ${p.codec.mimeType}`); // the negotiation only yields supported ones
    this.kind = p.kind;
    this.mid = p.mid;
    this.params = p;
    this.codec = cap;
    this.transport = options.transport;
    this.owner = options.owner;
    this.appData = options.appData ?? {};
    this.extensions = new ExtensionMap(p.extensions);
    this.audioLevelId = this.extensions.idOf(RtpExtensionUri.audioLevel);
    const mime = cap.mimeType.toLowerCase();
    this.isVp8 = mime === 'video/vp8';
    this.isH264 = mime === 'video/h264';
    this.nackEnabled = p.kind === 'video' && p.codec.feedback.some((f) => f.type === 'nack' && !f.parameter);
    const pli = p.codec.feedback.some((f) => f.type === 'nack' && f.parameter === 'pli');
    this.useFir = !pli && p.codec.feedback.some((f) => f.type === 'ccm' && f.parameter === 'fir');
    this.keyframeRequester = new KeyframeRequester({
      intervalMs: options.keyframeIntervalMs ?? 500,
      useFir: this.useFir,
      send: (ssrc, request) => {
        if (this.closed) return;
        const sender = this.transport.rtcpSsrc;
        this.transport.sendRtcp(
          request.kind === 'fir' ? serializeFir({ senderSsrc: sender, entries: [{ ssrc, sequenceNumber: request.sequenceNumber }] }) : serializePli({ senderSsrc: sender, mediaSsrc: ssrc }),
        );
      },
    });
    this.streams = p.encodings.map((e, layer) => (e.ssrc !== undefined ? this.newStream(layer, e.ssrc, e.rtxSsrc) : undefined));
  }

  /** True for more than one encoding. */
  get simulcast(): boolean {
    return this.params.encodings.length > 1;
  }

  /** The stream of layer `layer` with SSRC `ssrc` (created on first sight of an rid-only layer). */
  bindStream(layer: number, ssrc: number): RecvStream {
    const existing = this.streams[layer];
    if (existing) return existing;
    const stream = this.newStream(layer, ssrc, undefined);
    this.streams[layer] = stream;
    return stream;
  }

  /** Layer index of a rid, or -1. */
  layerOfRid(rid: string): number {
    return this.params.encodings.findIndex((e) => e.rid === rid);
  }

  /** The hot path: one parsed packet of `stream`, forwarded to every consumer. */
  receiveRtp(stream: RecvStream, packet: RtpPacket, nowMs: number): void {
    if (this.closed) return;
    stream.onPacket(packet, nowMs);
    let keyframe = false;
    if (this.kind === 'video' && packet.payloadLength > 0) {
      const b = packet.buffer;
      if (this.isVp8) {
        keyframe = isVp8Keyframe(b, packet.payloadOffset, packet.payloadLength);
        if (keyframe) {
          const size = vp8KeyframeSize(b, packet.payloadOffset, packet.payloadLength);
          if (size) {
            stream.width = size.width;
            stream.height = size.height;
          }
        }
      } else if (this.isH264) keyframe = isH264Keyframe(b, packet.payloadOffset, packet.payloadLength);
      if (keyframe) this.keyframeRequester.onKeyframe(stream.ssrc);
    } else if (this.audioLevelId !== 0) {
      const level = readAudioLevelByte(packet, this.audioLevelId);
      if (level >= 0) this.owner.onAudioLevel?.(this.id, level & 0x7f, (level & 0x80) !== 0, nowMs);
    }
    if (this.paused) return;
    const list = this.consumerList;
    const layer = stream.layer;
    for (let i = 0; i < list.length; i++) list[i].forward(packet, keyframe, nowMs, layer);
  }

  /** Asks the publisher for a keyframe on `ssrc` (default: every known stream), throttled. */
  requestKeyframe(nowMs: number, ssrc?: number): void {
    if (this.kind !== 'video' || this.closed) return;
    if (ssrc !== undefined) this.keyframeRequester.request(ssrc, nowMs);
    else for (const s of this.streams) if (s) this.keyframeRequester.request(s.ssrc, nowMs);
  }

  /** The simulcast layers as a consumer's selector sees them. */
  layers(nowMs: number): SimulcastLayer[] {
    const out: SimulcastLayer[] = [];
    this.params.encodings.forEach((e, index) => {
      const s = this.streams[index];
      if (!s) return;
      out.push({ index, ssrc: s.ssrc, rid: e.rid, active: nowMs - s.lastPacketMs < LAYER_ACTIVE_MS, bitrateBps: s.bitrateBps, width: s.width, height: s.height });
    });
    return out;
  }

  /** Periodic work (the transport's RTCP timer): NACK lists, pending keyframe requests, bitrates. */
  tick(nowMs: number, rtcpOut: Buffer[], rttMs: number): void {
    if (this.closed) return;
    this.keyframeRequester.poll(nowMs);
    for (const s of this.streams) {
      if (!s) continue;
      s.updateBitrate(nowMs);
      if (this.nackEnabled && s.nack && s.nack.missingCount > 0) {
        const seqs = s.nack.getNackList(nowMs, rttMs);
        if (seqs.length > 0) rtcpOut.push(serializeNack({ senderSsrc: this.transport.rtcpSsrc, mediaSsrc: s.ssrc, sequenceNumbers: seqs }));
      }
    }
    if (this.simulcast) {
      const layers = this.layers(nowMs);
      const active = layers.map((l) => `${l.ssrc}:${l.active ? 1 : 0}:${l.width}x${l.height}`).join(',');
      // Consumers hear about layers when they change, and once a second for the new bitrates.
      if (active !== this.lastActive || nowMs - this.lastLayersMs >= 1000) {
        this.lastLayersMs = nowMs;
        for (const c of this.consumerList) c.onProducerLayers(layers, nowMs);
      }
      if (active !== this.lastActive) {
        this.lastActive = active;
        this.emit('layerschange', layers);
      }
    }
  }

  /** Report blocks for our receiver report to the publisher. */
  reportBlocks(nowMs: number): ReportBlock[] {
    const out: ReportBlock[] = [];
    for (const s of this.streams) {
      const b = s?.reportBlock(nowMs);
      if (b) out.push(b);
    }
    return out;
  }

  /** Stops forwarding to all consumers. */
  pause(): void {
    if (this.paused || this.closed) return;
    this.paused = true;
    for (const c of this.consumerList) c.onProducerPause();
    this.emit('pause');
  }

  /** Resumes forwarding (video consumers wait for the keyframe requested here). */
  resume(): void {
    if (!this.paused || this.closed) return;
    this.paused = false;
    for (const c of this.consumerList) c.onProducerResume();
    this.requestKeyframe(performance.now());
    this.emit('resume');
  }

  /** Closes the producer and, with it, every consumer of it. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const c of [...this.consumerList]) c.onProducerClose();
    this.consumerList = [];
    this.consumers.clear();
    this.owner.onProducerClosed(this);
    this.emit('close');
  }

  /** Called by a new consumer. */
  addConsumer(consumer: ProducerSink): void {
    if (this.closed) return;
    this.consumers.set(consumer.id, consumer);
    this.consumerList = [...this.consumers.values()];
  }

  /** Called by a closing consumer. */
  removeConsumer(consumer: ProducerSink): void {
    if (!this.consumers.delete(consumer.id)) return;
    this.consumerList = [...this.consumers.values()];
  }

  private newStream(layer: number, ssrc: number, rtxSsrc: number | undefined): RecvStream {
    const stream = new RecvStream({
      ssrc,
      layer,
      rid: this.params.encodings[layer]?.rid,
      clockRate: this.codec.clockRate,
      nack: this.nackEnabled,
      onKeyframeRequired: () => this.keyframeRequester.request(ssrc, performance.now()),
    });
    stream.rtxSsrc = rtxSsrc;
    return stream;
  }
}
