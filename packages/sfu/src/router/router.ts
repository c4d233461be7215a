/**
 * A Router is one room's media on one thread: it owns the room's transports (one per participant
 * connection), knows every producer in the room so any transport can consume it, runs the room's
 * active-speaker detection, and counts its timers. Closing it closes everything below it.
 */
import { ActiveSpeakerDetector, type ActiveSpeakerOptions } from '../audio/active-speaker';
import { TypedEmitter } from '../util/typed-emitter';
import { MediaError } from '../transport/media-error';
import { memoryChannelPair, type PacketChannel } from '../transport/packet-channel';
import { type PipeConsumer, type PipeOwner, PipeTransport } from '../transport/pipe-transport';
import { type TransportOwner, WebRtcTransport, type WebRtcTransportOptions } from '../transport/webrtc-transport';
import type { Consumer } from './consumer';
import { newMediaId } from './ids';
import type { Producer } from './producer';
import { TimerSet } from './timer-set';

/** Configuration of a Router (defaults for its transports plus room-level settings). */
export interface RouterOptions {
  /** Defaults for every transport (listen IP, announced IP, port range, …). */
  transport: WebRtcTransportOptions;
  /** Most transports in the router. Default 2000. */
  maxTransports?: number;
  /** Active-speaker detection tuning. */
  activeSpeaker?: ActiveSpeakerOptions;
  /** Period of the active-speaker tick. Default 200 ms. */
  activeSpeakerIntervalMs?: number;
  /** Application data. */
  appData?: Record<string, unknown>;
}

/** Events of a Router. */
export type RouterEvents = {
  /** A transport was created. */
  newtransport: [transport: WebRtcTransport];
  /** A producer appeared on one of the transports. */
  newproducer: [producer: Producer];
  /** A producer closed. */
  producerclose: [producer: Producer];
  /** The room's dominant speaker changed (producer id of an audio producer, or null). */
  dominantspeaker: [producerId: string | null];
  /** Closed. */
  close: [];
};

/** Object counts, for health checks and leak tests. */
export interface RouterCounts {
  /** Open transports. */
  transports: number;
  /** Open producers. */
  producers: number;
  /** Open consumers. */
  consumers: number;
  /** Open pipes to or from other routers. */
  pipes: number;
  /** Running intervals (one per transport plus the router's own). */
  timers: number;
}

/** One room's media (see file comment). */
export class Router extends TypedEmitter<RouterEvents> implements TransportOwner, PipeOwner {
  /** Id. */
  readonly id = newMediaId('router');
  /** Transports by id. */
  readonly transports = new Map<string, WebRtcTransport>();
  /** Pipes to and from other routers by id. */
  readonly pipes = new Map<string, PipeTransport>();
  /** Every producer of the room by id. */
  readonly producers = new Map<string, Producer>();
  /** The router's timers (transports register theirs here). */
  readonly timers = new TimerSet();
  /** Application data. */
  readonly appData: Record<string, unknown>;
  /** True once closed. */
  closed = false;

  private readonly options: RouterOptions;
  private readonly speaker: ActiveSpeakerDetector;
  private readonly stopSpeakerTimer: () => void;
  private pendingTransports = 0;
  /** In-thread pipes to other routers, by the other router's id. */
  private readonly localPipes = new Map<string, PipeTransport>();

  /** Creates an empty router. */
  constructor(options: RouterOptions) {
    super();
    this.options = options;
    this.appData = options.appData ?? {};
    this.speaker = new ActiveSpeakerDetector(options.activeSpeaker);
    this.speaker.on('dominantspeakerchange', (id) => this.emit('dominantspeaker', id));
    this.stopSpeakerTimer = this.timers.every(options.activeSpeakerIntervalMs ?? 200, () => this.speaker.tick(performance.now()));
  }

  /** The dominant speaker's producer id, or null. */
  get dominantSpeaker(): string | null {
    return this.speaker.dominantSpeaker;
  }

  /** Creates a transport (binds its UDP port); `overrides` adjust the router's transport defaults. */
  async createWebRtcTransport(overrides: Partial<WebRtcTransportOptions> = {}): Promise<WebRtcTransport> {
    if (this.closed) throw new MediaError('CLOSED');
    if (this.transports.size + this.pendingTransports >= (this.options.maxTransports ?? 2000)) throw new MediaError('LIMIT_REACHED', 'Too many transports in this router.');
    this.pendingTransports++;
    let transport: WebRtcTransport;
    try {
      transport = await WebRtcTransport.create(this, { ...this.options.transport, ...overrides });
    } finally {
      this.pendingTransports--;
    }
    if (this.closed) {
      transport.close();
      throw new MediaError('CLOSED');
    }
    this.transports.set(transport.id, transport);
    this.emit('newtransport', transport);
    return transport;
  }

  /** A producer of this router; throws PRODUCER_NOT_FOUND. */
  getProducer(producerId: string): Producer {
    const p = this.producers.get(producerId);
    if (!p) throw new MediaError('PRODUCER_NOT_FOUND');
    return p;
  }

  /** Consumes producer `producerId` on transport `transportId` (both of this router). */
  consume(transportId: string, producerId: string, options?: Parameters<WebRtcTransport['consume']>[1]): Consumer {
    const transport = this.transports.get(transportId);
    if (!transport) throw new MediaError('CLOSED', 'Unknown transport.');
    return transport.consume(this.getProducer(producerId), options);
  }

  /** A pipe end over `channel` (the other end lives in another router, worker or machine). */
  createPipeTransport(channel: PacketChannel): PipeTransport {
    if (this.closed) throw new MediaError('CLOSED');
    const pipe = new PipeTransport(this, channel);
    this.pipes.set(pipe.id, pipe);
    return pipe;
  }

  /**
   * Makes producer `producerId` available in `target` (a router of the same thread) under the same
   * id, over an in-memory pipe shared by the two routers. Between workers, use the worker API.
   */
  pipeToRouter(producerId: string, target: Router): { pipeConsumer: PipeConsumer; producer: Producer } {
    if (this.closed || target.closed) throw new MediaError('CLOSED');
    if (target === this) throw new MediaError('BAD_REQUEST', 'Cannot pipe a router to itself.');
    const source = this.getProducer(producerId);
    if (target.producers.has(producerId)) throw new MediaError('BAD_REQUEST', 'Already piped.');
    let out = this.localPipes.get(target.id);
    if (!out || out.closed) {
      const [a, b] = memoryChannelPair();
      out = this.createPipeTransport(a);
      const back = target.createPipeTransport(b);
      this.localPipes.set(target.id, out);
      target.localPipes.set(this.id, back);
      out.on('close', () => back.close());
      back.on('close', () => out?.close());
    }
    const back = target.localPipes.get(this.id) as PipeTransport;
    const offer = out.consume(source);
    const producer = back.produce(offer);
    return { pipeConsumer: out.pipeConsumers.get(offer.slot) as PipeConsumer, producer };
  }

  /** Object and timer counts. */
  counts(): RouterCounts {
    let consumers = 0;
    for (const t of this.transports.values()) consumers += t.consumers.size;
    return { transports: this.transports.size, producers: this.producers.size, consumers, pipes: this.pipes.size, timers: this.timers.size };
  }

  /** Closes every transport (and so every producer and consumer) and the router's timers. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of [...this.transports.values()]) t.close();
    for (const p of [...this.pipes.values()]) p.close();
    this.stopSpeakerTimer();
    this.timers.clear();
    this.emit('close');
  }

  // --- TransportOwner ------------------------------------------------------------------------------

  /** See TransportOwner. */
  onProducerAdded(producer: Producer): void {
    this.producers.set(producer.id, producer);
    this.emit('newproducer', producer);
  }

  /** See TransportOwner. */
  onProducerClosed(producer: Producer): void {
    if (!this.producers.delete(producer.id)) return;
    if (producer.kind === 'audio') this.speaker.removeProducer(producer.id, performance.now());
    this.emit('producerclose', producer);
  }

  /** See TransportOwner. */
  onTransportClosed(transport: WebRtcTransport): void {
    this.transports.delete(transport.id);
  }

  /** See PipeOwner. */
  onPipeClosed(pipe: PipeTransport): void {
    this.pipes.delete(pipe.id);
    for (const [id, p] of this.localPipes) if (p === pipe) this.localPipes.delete(id);
  }

  /** See TransportOwner. */
  onAudioLevel(producerId: string, levelDbov: number, voice: boolean, nowMs: number): void {
    this.speaker.onAudioLevel(producerId, levelDbov, voice, nowMs);
  }
}
