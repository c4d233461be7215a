/**
 * A pipe carries producers from one router to another (another worker, later another machine), so
 * one webinar's audience can spread over many cores — like mediasoup's pipeToRouter. Each side has
 * a PipeTransport over a PacketChannel. On the sending side a PipeConsumer copies every packet of
 * every simulcast layer unchanged (the far router does its own per-viewer layer choice); on the
 * receiving side a Producer with the SAME id re-appears in the far router. Keyframe requests flow
 * back as RTCP; pause, resume and close as control frames. A video frame lost on the pipe (a
 * stalled worker's full socket buffer; between machines, the network) is repaired like a
 * publisher's loss: the far producer NACKs it back through the pipe and the sending side resends
 * it from a bounded history of what it piped, so its viewers get it like any other packet.
 *
 * Frame format (version 1), first byte = kind:
 *   0x01 RTP      [kind][layer u8][slot u16] + RTP packet
 *   0x02 RTCP     [kind][0][slot u16]        + RTCP packet (feedback towards the source: PLI, FIR, NACK)
 *   0x03 control  [kind][op u8][slot u16]    op: 1 pause, 2 resume, 3 close
 */
import { RetransmissionBuffer } from '../nack/retransmission-buffer';
import { parseRtcp } from '../rtcp/parse-rtcp';
import { parseRtp, RtpPacket } from '../rtp/rtp-packet';
import { newMediaId } from '../router/ids';
import { Producer, type ProducerOwner, type ProducerSink } from '../router/producer';
import type { OutgoingRtpInfo, RtpEndpoint } from '../router/rtp-endpoint';
import type { TimerSet } from '../router/timer-set';
import type { SimulcastLayer } from '../simulcast/layer-selector';
import { type DeferredPacketTarget, turnBudget } from '../util/turn-budget';
import { sendBatch } from './send-batch';
import { TypedEmitter } from '../util/typed-emitter';
import { MediaError } from './media-error';
import type { PacketChannel } from './packet-channel';
import type { RecvSectionParams } from './sdp-types';

const KIND_RTP = 0x01;
const KIND_RTCP = 0x02;
const KIND_CONTROL = 0x03;
const OP_PAUSE = 1;
const OP_RESUME = 2;
const OP_CLOSE = 3;
const MAX_SLOTS = 0xffff;
/** Bytes of piped video kept per layer for NACKs from the far side (about 1.5 s of 1.5 Mbps). */
const HISTORY_BYTES = 256 * 1024;
/** Round-trip time assumed for NACK retries over a pipe, ms. */
const PIPE_RTT_MS = 20;

/** What the receiving side needs to recreate a producer (plain data: crosses threads as is). */
export interface PipeOffer {
  /** Slot of the producer on this pipe. */
  slot: number;
  /** Producer id (kept on the far router). */
  producerId: string;
  /** The producer's negotiated parameters. */
  params: RecvSectionParams;
  /** Paused at the time of piping. */
  paused: boolean;
}

/** Router hooks a pipe reports to (a subset of what WebRtcTransport's owner provides). */
export interface PipeOwner {
  /** The router's timers. */
  readonly timers: TimerSet;
  /** A producer appeared (receiving side). */
  onProducerAdded(producer: Producer): void;
  /** A producer closed. */
  onProducerClosed(producer: Producer): void;
  /** Audio level of a piped audio packet. */
  onAudioLevel(producerId: string, levelDbov: number, voice: boolean, nowMs: number): void;
  /** The pipe closed. */
  onPipeClosed(pipe: PipeTransport): void;
}

/** Events of a PipeTransport. */
export type PipeTransportEvents = {
  /** Closed. */
  close: [];
};

/** The sending end of one piped producer. */
export class PipeConsumer implements ProducerSink {
  /** Id. */
  readonly id = newMediaId('consumer');
  /** Packets sent through the pipe. */
  packetsSent = 0;
  /** Packets sent again because the far side NACKed them. */
  packetsResent = 0;
  /** Closed. */
  closed = false;
  /** What was piped per simulcast layer, for NACKs from the far side (video only, made on first use). */
  private readonly history: (RetransmissionBuffer | undefined)[] = [];

  constructor(
    /** The source producer. */
    readonly producer: Producer,
    /** Slot on the pipe. */
    readonly slot: number,
    private readonly pipe: PipeTransport,
  ) {}

  /** See ProducerSink: copies the packet into a frame. */
  forward(packet: RtpPacket, _keyframe: boolean, nowMs: number, layer: number): void {
    if (this.closed) return;
    const frame = this.rtpFrame(layer, packet.buffer, 0, packet.length);
    this.packetsSent++;
    if (this.producer.kind === 'video') {
      const h = (this.history[layer] ??= new RetransmissionBuffer({ slabSize: HISTORY_BYTES }));
      h.store({ buffer: frame, offset: 4, length: packet.length }, nowMs);
    }
    this.pipe.sendFrame(frame);
  }

  /** The far side lost `seqs` of stream `ssrc`: sends again what the history still holds. */
  resend(ssrc: number, seqs: readonly number[], nowMs: number): void {
    if (this.closed) return;
    const layer = this.producer.streams.findIndex((s) => s?.ssrc === ssrc);
    const h = layer >= 0 ? this.history[layer] : undefined;
    if (!h) return;
    for (const seq of seqs) {
      const v = h.get(seq, nowMs);
      if (!v) continue;
      this.packetsResent++;
      this.pipe.sendFrame(this.rtpFrame(layer, v.buffer, v.offset, v.length));
    }
  }

  /** An RTP frame of this slot: the RTP packet `src[offset..offset+length)` after the 4-byte frame header. */
  private rtpFrame(layer: number, src: Buffer, offset: number, length: number): Buffer {
    const frame = Buffer.allocUnsafe(4 + length);
    frame[0] = KIND_RTP;
    frame[1] = layer;
    frame.writeUInt16BE(this.slot, 2);
    src.copy(frame, 4, offset, offset + length);
    return frame;
  }

  /** See ProducerSink. */
  onProducerLayers(_layers: SimulcastLayer[], _nowMs: number): void {}

  /** See ProducerSink. */
  onProducerPause(): void {
    this.pipe.sendControl(OP_PAUSE, this.slot);
  }

  /** See ProducerSink. */
  onProducerResume(): void {
    this.pipe.sendControl(OP_RESUME, this.slot);
  }

  /** See ProducerSink. */
  onProducerClose(): void {
    this.close();
  }

  /** Stops piping this producer (the far copy closes too). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.producer.removeConsumer(this);
    this.pipe.sendControl(OP_CLOSE, this.slot);
    this.pipe.onPipeConsumerClosed(this);
  }
}

/** One end of a pipe between two routers (see file comment). */
export class PipeTransport extends TypedEmitter<PipeTransportEvents> implements RtpEndpoint, ProducerOwner, DeferredPacketTarget {
  /** Id. */
  readonly id = newMediaId('pipe');
  /** SSRC of our RTCP (keyframe requests towards the source). */
  readonly rtcpSsrc = (Math.random() * 0xfffffffe + 1) >>> 0;
  /** Producers received through this pipe, by slot. */
  readonly producers = new Map<number, Producer>();
  /** Producers sent through this pipe, by slot. */
  readonly pipeConsumers = new Map<number, PipeConsumer>();
  /** Closed. */
  closed = false;

  private readonly view = new RtpPacket();
  private readonly stopTimer: () => void;
  private nextSlot = 1;

  /** Starts receiving frames from `channel`. */
  constructor(
    private readonly owner: PipeOwner,
    private readonly channel: PacketChannel,
    tickMs = 50,
  ) {
    super();
    channel.onFrame((frame) => this.onFrame(frame));
    this.stopTimer = owner.timers.every(tickMs, () => this.tick());
  }

  /** Starts piping `producer` to the far end; send the returned offer to the far router's pipe. */
  consume(producer: Producer): PipeOffer {
    this.assertOpen();
    if (producer.closed) throw new MediaError('PRODUCER_NOT_FOUND');
    if (this.pipeConsumers.size >= MAX_SLOTS) throw new MediaError('LIMIT_REACHED');
    while (this.pipeConsumers.has(this.nextSlot)) this.nextSlot = (this.nextSlot % MAX_SLOTS) + 1;
    const slot = this.nextSlot;
    this.nextSlot = (this.nextSlot % MAX_SLOTS) + 1;
    const pc = new PipeConsumer(producer, slot, this);
    this.pipeConsumers.set(slot, pc);
    producer.addConsumer(pc);
    return { slot, producerId: producer.id, params: structuredClone(producer.params), paused: producer.paused };
  }

  /**
   * Recreates a piped producer on this (receiving) side. Video losses on the pipe are NACKed back
   * (when the source negotiated NACK) and resent as plain packets: no RTX on a pipe.
   */
  produce(offer: PipeOffer): Producer {
    this.assertOpen();
    if (!Number.isInteger(offer.slot) || offer.slot < 1 || offer.slot > MAX_SLOTS || this.producers.has(offer.slot)) throw new MediaError('BAD_REQUEST', 'Bad pipe slot.');
    const params: RecvSectionParams = {
      ...offer.params,
      codec: { ...offer.params.codec, rtxPayloadType: undefined },
      encodings: offer.params.encodings.map((e) => ({ rid: e.rid, ssrc: e.ssrc })),
    };
    const producer = new Producer({ id: offer.producerId, transport: this, owner: this, params });
    this.producers.set(offer.slot, producer);
    if (offer.paused) producer.pause();
    this.owner.onProducerAdded(producer);
    return producer;
  }

  /** Closes the pipe: piped-in producers close (and their consumers), piped-out copies stop. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopTimer();
    for (const pc of [...this.pipeConsumers.values()]) pc.close();
    for (const p of [...this.producers.values()]) p.close();
    this.channel.close();
    this.owner.onPipeClosed(this);
    this.emit('close');
  }

  // --- RtpEndpoint (receiving side: producers send keyframe requests back through us) -----------

  /** See RtpEndpoint (nothing is sent with transport-wide numbers on a pipe). */
  peekTransportSequence(): number {
    return -1;
  }

  /** See RtpEndpoint: consumers never live on a pipe. */
  sendRtp(_buf: Buffer, _offset: number, _length: number, _transportSeq: number, _info: OutgoingRtpInfo, _nowMs: number): void {}

  /** See RtpEndpoint: RTCP feedback (PLI/FIR, NACK) goes back to the source router. */
  sendRtcp(packet: Buffer): void {
    if (this.closed) return;
    const first = parseRtcp(packet)[0];
    const ssrc = first?.type === 'pli' || first?.type === 'nack' ? first.mediaSsrc : first?.type === 'fir' ? first.entries[0]?.ssrc : undefined;
    if (ssrc === undefined) return;
    for (const [slot, producer] of this.producers) {
      if (!producer.streams.some((s) => s?.ssrc === ssrc)) continue;
      const frame = Buffer.allocUnsafe(4 + packet.length);
      frame[0] = KIND_RTCP;
      frame[1] = 0;
      frame.writeUInt16BE(slot, 2);
      packet.copy(frame, 4);
      this.channel.send(frame);
      return;
    }
  }

  // --- ProducerOwner ---------------------------------------------------------------------------------

  /** See ProducerOwner. */
  onProducerClosed(producer: Producer): void {
    for (const [slot, p] of this.producers) if (p === producer) this.producers.delete(slot);
    this.owner.onProducerClosed(producer);
  }

  /** See ProducerOwner. */
  onAudioLevel(producerId: string, levelDbov: number, voice: boolean, nowMs: number): void {
    this.owner.onAudioLevel(producerId, levelDbov, voice, nowMs);
  }

  // --- internals ---------------------------------------------------------------------------------

  /** Used by PipeConsumer. */
  sendFrame(frame: Buffer): void {
    if (!this.closed) this.channel.send(frame);
  }

  /** Used by PipeConsumer. */
  sendControl(op: number, slot: number): void {
    if (this.closed) return;
    const frame = Buffer.from([KIND_CONTROL, op, slot >> 8, slot & 0xff]);
    this.channel.send(frame);
  }

  /** Used by PipeConsumer. */
  onPipeConsumerClosed(pc: PipeConsumer): void {
    this.pipeConsumers.delete(pc.slot);
  }

  private onFrame(frame: Buffer): void {
    if (this.closed || frame.length < 4) return;
    if (frame[0] === KIND_RTP && this.producers.size > 0 && !turnBudget.admit()) {
      // Fan-out past this turn's budget: later, in order (a copy: channels may reuse their buffer).
      turnBudget.defer(this, Buffer.from(frame), '', 0);
      return;
    }
    this.handleFrame(frame);
  }

  /** See DeferredPacketTarget. */
  onDeferredPacket(frame: Buffer): void {
    if (!this.closed) this.handleFrame(frame);
    sendBatch?.flush(); // see WebRtcTransport.onDeferredPacket
  }

  private handleFrame(frame: Buffer): void {
    const slot = frame.readUInt16BE(2);
    switch (frame[0]) {
      case KIND_RTP: {
        const producer = this.producers.get(slot);
        if (!producer) return;
        const p = parseRtp(frame.subarray(4), frame.length - 4, this.view);
        if (!p) return;
        const layer = frame[1];
        if (layer >= producer.params.encodings.length) return;
        const stream = producer.bindStream(layer, p.ssrc);
        if (stream.ssrc !== p.ssrc) return;
        producer.receiveRtp(stream, p, performance.now());
        return;
      }
      case KIND_RTCP: {
        const pc = this.pipeConsumers.get(slot);
        if (!pc) return;
        const now = performance.now();
        for (const pkt of parseRtcp(frame.subarray(4), frame.length - 4)) {
          if (pkt.type === 'pli') pc.producer.requestKeyframe(now, pkt.mediaSsrc);
          else if (pkt.type === 'fir') for (const e of pkt.entries) pc.producer.requestKeyframe(now, e.ssrc);
          else if (pkt.type === 'nack') pc.resend(pkt.mediaSsrc, pkt.sequenceNumbers, now);
        }
        return;
      }
      case KIND_CONTROL: {
        const producer = this.producers.get(slot);
        if (!producer) return;
        if (frame[1] === OP_PAUSE) producer.pause();
        else if (frame[1] === OP_RESUME) producer.resume();
        else if (frame[1] === OP_CLOSE) producer.close();
        return;
      }
      default:
        return;
    }
  }

  private tick(): void {
    if (this.closed) return;
    const now = performance.now();
    const out: Buffer[] = [];
    // A pipe's round trip is short (another thread; between machines, a LAN): retry NACKs soon.
    for (const p of this.producers.values()) p.tick(now, out, PIPE_RTT_MS);
    for (const packet of out) this.sendRtcp(packet);
  }

  private assertOpen(): void {
    if (this.closed) throw new MediaError('CLOSED');
  }
}
