/**
 * The worker side of the protocol: routers of this worker and every object in them by id, one
 * handler per request. It runs inside a worker_thread (worker-entry.ts) or, for tests and the
 * single-thread mode, on a MessageChannel in the same thread — the same code either way.
 */
import { readFileSync } from 'node:fs';
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import type { Consumer } from '../router/consumer';
import { nativeUdpUnavailable } from '../transport/native-udp';
import { sendBatch } from '../transport/send-batch';
import { turnBudget } from '../util/turn-budget';
import type { Producer } from '../router/producer';
import { Router } from '../router/router';
import { MediaError } from '../transport/media-error';
import { UdpPacketChannel } from '../transport/packet-channel';
import type { PipeTransport } from '../transport/pipe-transport';
import type { WebRtcTransport } from '../transport/webrtc-transport';
import type { ConsumerInfo, ProducerInfo, RouterSettings, SfuEvents, SfuRequests, TransportSettings, WorkerLoad } from './protocol';
import { type PortLike, RpcServer } from './rpc';
import { openFileWriter } from '../recording/file-writer';
import { RecordingSink, type RecordingStats } from '../recording/recording-sink';
import { newMediaId } from '../router/ids';

/** Serves the SFU protocol on a port (see file comment). */
export class SfuWorkerService {
  private readonly server: RpcServer<SfuRequests, SfuEvents>;
  private readonly routers = new Map<string, Router>();
  private readonly transports = new Map<string, WebRtcTransport>();
  private readonly pipes = new Map<string, { pipe: PipeTransport; channel: UdpPacketChannel }>();
  private readonly producers = new Map<string, Producer[]>();
  private readonly consumers = new Map<string, Consumer>();
  private readonly recorders = new Map<string, { sink: RecordingSink; producer: Producer; ended: RecordingStats | null }>();
  private eventLoopDelay: IntervalHistogram | undefined;
  private eventLoopDelayOn = false;

  /** Starts serving. */
  constructor(port: PortLike) {
    this.server = new RpcServer<SfuRequests, SfuEvents>(port, {
      'worker.counts': () => ({ routers: this.routers.size }),
      'worker.stats': () => this.load(),
      'worker.close': () => this.closeAll(),
      'router.create': ({ settings }) => this.createRouter(settings),
      'router.counts': ({ routerId }) => this.router(routerId).counts(),
      'router.close': ({ routerId }) => {
        this.routers.get(str(routerId, 'routerId'))?.close();
        return {};
      },
      'transport.create': ({ routerId, settings }) => this.createTransport(routerId, settings),
      'transport.processOffer': async ({ transportId, sdp }) => {
        const { answer, producers } = await this.transport(transportId).processOffer(str(sdp, 'sdp'));
        return { answer, producers: producers.map(producerInfo) };
      },
      'transport.createOffer': ({ transportId }) => ({ sdp: this.transport(transportId).createOffer() }),
      'transport.processAnswer': async ({ transportId, sdp }) => {
        await this.transport(transportId).processAnswer(str(sdp, 'sdp'));
        return {};
      },
      'transport.restartIce': ({ transportId }) => this.transport(transportId).restartIce(),
      'transport.consume': ({ transportId, producerId, paused, viewport }) => this.consume(transportId, producerId, paused, viewport),
      'transport.close': ({ transportId }) => {
        this.transports.get(str(transportId, 'transportId'))?.close();
        return {};
      },
      'producer.pause': ({ producerId }) => this.eachProducer(producerId, (p) => p.pause()),
      'producer.resume': ({ producerId }) => this.eachProducer(producerId, (p) => p.resume()),
      'producer.close': ({ producerId }) => this.eachProducer(producerId, (p) => p.close()),
      'consumer.pause': ({ consumerId }) => this.withConsumer(consumerId, (c) => c.pause()),
      'consumer.resume': ({ consumerId }) => this.withConsumer(consumerId, (c) => c.resume()),
      'consumer.setViewport': ({ consumerId, width, height }) => this.withConsumer(consumerId, (c) => c.setViewport(num(width, 'width'), num(height, 'height'))),
      'consumer.close': ({ consumerId }) => this.withConsumer(consumerId, (c) => c.close()),
      'pipe.create': async ({ routerId, listenIp, portRange }) => {
        const router = this.router(routerId);
        const channel = await UdpPacketChannel.bind({ listenIp: str(listenIp, 'listenIp'), portRange: portRange ?? [0, 0] });
        const pipe = router.createPipeTransport(channel);
        this.pipes.set(pipe.id, { pipe, channel });
        pipe.on('close', () => this.pipes.delete(pipe.id));
        return { pipeId: pipe.id, port: channel.port };
      },
      'pipe.connect': ({ pipeId, ip, port }) => {
        this.pipe(pipeId).channel.connect(str(ip, 'ip'), num(port, 'port'));
        return {};
      },
      'pipe.consume': ({ pipeId, producerId }) => {
        const { pipe } = this.pipe(pipeId);
        const producer = this.producerIn(pipe, producerId);
        return pipe.consume(producer);
      },
      'pipe.produce': ({ pipeId, offer }) => {
        const { pipe } = this.pipe(pipeId);
        const producer = pipe.produce(offer);
        return producerInfo(producer);
      },
      'pipe.close': ({ pipeId }) => {
        this.pipes.get(str(pipeId, 'pipeId'))?.pipe.close();
        return {};
      },
      'recorder.start': ({ routerId, producerId, path, maxQueuedBytes }) => this.startRecorder(routerId, producerId, str(path, 'path'), maxQueuedBytes),
      'recorder.stop': async ({ recorderId }) => {
        const r = this.recorders.get(str(recorderId, 'recorderId'));
        if (!r) throw new MediaError('BAD_REQUEST', 'Unknown recorder.');
        r.producer.removeConsumer(r.sink);
        const stats = r.ended ?? (await r.sink.finish());
        this.recorders.delete(recorderId);
        return stats;
      },
      'recorder.stats': ({ recorderId }) => {
        const r = this.recorders.get(str(recorderId, 'recorderId'));
        if (!r) throw new MediaError('BAD_REQUEST', 'Unknown recorder.');
        return { ...r.sink.stats, pendingBytes: r.sink.pendingBytes };
      },
    });
  }

  /** See 'worker.close': routers closed, then every recorder's file finished. */
  private async closeAll(): Promise<{ recordersFinished: number }> {
    for (const r of [...this.routers.values()]) r.close();
    // Closing the routers closed the recorded producers, whose sinks began finishing their files.
    const recorders = [...this.recorders.values()];
    this.recorders.clear();
    await Promise.all(recorders.map((r) => r.sink.finish().catch(() => undefined)));
    return { recordersFinished: recorders.length };
  }

  /** Closes every router and stops serving. */
  close(): void {
    for (const r of [...this.routers.values()]) r.close();
    this.eventLoopDelay?.disable();
    this.server.close();
  }

  private load(): WorkerLoad {
    // Measured only once someone asks: a worker nobody watches pays nothing.
    const eld = (this.eventLoopDelay ??= monitorEventLoopDelay({ resolution: 5 }));
    const started = this.eventLoopDelayOn;
    if (!started) {
      eld.enable();
      this.eventLoopDelayOn = true;
    }
    let rtpSent = 0;
    let rtpReceived = 0;
    let datagramsReceived = 0;
    let dropped = 0;
    for (const t of this.transports.values()) {
      rtpSent += t.stats.rtpSent;
      rtpReceived += t.stats.rtpReceived;
      datagramsReceived += t.stats.datagramsReceived;
      dropped += t.stats.dropped;
    }
    const load: WorkerLoad = {
      routers: this.routers.size,
      transports: this.transports.size,
      rtpSent,
      rtpReceived,
      datagramsReceived,
      dropped,
      threadCpuUs: threadCpuUs(),
      nativeSend: sendBatch ? { ...sendBatch.stats } : { unavailable: nativeUdpUnavailable ?? 'unknown' },
      deferredPackets: turnBudget.stats,
      eventLoopDelayP99Ms: started && eld.count > 0 ? eld.percentile(99) / 1e6 : 0,
      eventLoopDelayMaxMs: started && eld.count > 0 ? eld.max / 1e6 : 0,
    };
    eld.reset();
    return load;
  }

  private async startRecorder(routerId: string, producerId: string, path: string, maxQueuedBytes?: number): Promise<{ recorderId: string; kind: 'audio' | 'video'; codec: string }> {
    const producer = this.router(routerId).getProducer(str(producerId, 'producerId'));
    const mime = producer.codec.mimeType.toLowerCase();
    const codec = mime === 'video/vp8' ? 'vp8' : mime === 'video/h264' ? 'h264' : mime === 'audio/opus' ? 'opus' : null;
    if (!codec) throw new MediaError('BAD_REQUEST', `Recording ${producer.codec.mimeType} is not supported.`);
    const writer = await openFileWriter(path);
    if (producer.closed) {
      await writer.close();
      throw new MediaError('PRODUCER_NOT_FOUND');
    }
    const recorderId = newMediaId('recorder');
    // Simulcast: the highest layer (the best picture the publisher sends).
    const layer = producer.simulcast ? producer.params.encodings.length - 1 : undefined;
    const entry: { sink: RecordingSink; producer: Producer; ended: RecordingStats | null } = { sink: undefined as unknown as RecordingSink, producer, ended: null };
    entry.sink = new RecordingSink({
      id: recorderId, codec, clockRate: producer.codec.clockRate, writer, layer, maxQueuedBytes,
      requestKeyframe: () => producer.requestKeyframe(performance.now(), layer !== undefined ? producer.streams[layer]?.ssrc : undefined),
      onEnded: (stats) => {
        entry.ended = stats;
        this.server.emit('recorder.ended', { recorderId, stats });
      },
    });
    this.recorders.set(recorderId, entry);
    producer.addConsumer(entry.sink);
    producer.requestKeyframe(performance.now());
    return { recorderId, kind: producer.kind, codec: producer.codec.mimeType };
  }

  private createRouter(settings: RouterSettings): { routerId: string } {
    if (typeof settings !== 'object' || settings === null || typeof settings.transport?.listenIp !== 'string') throw new MediaError('BAD_REQUEST', 'Router settings need transport.listenIp.');
    const router = new Router({ transport: { ...settings.transport }, maxTransports: settings.maxTransports, activeSpeaker: settings.activeSpeaker });
    this.routers.set(router.id, router);
    router.on('newproducer', (p) => {
      const list = this.producers.get(p.id) ?? [];
      list.push(p);
      this.producers.set(p.id, list);
    });
    router.on('producerclose', (p) => {
      const list = (this.producers.get(p.id) ?? []).filter((x) => x !== p);
      if (list.length > 0) this.producers.set(p.id, list);
      else this.producers.delete(p.id);
      this.server.emit('producer.close', { producerId: p.id, routerId: router.id });
    });
    router.on('dominantspeaker', (producerId) => this.server.emit('router.dominantspeaker', { routerId: router.id, producerId }));
    router.on('close', () => this.routers.delete(router.id));
    return { routerId: router.id };
  }

  private async createTransport(routerId: string, settings: Partial<TransportSettings> = {}): Promise<{ transportId: string; port: number }> {
    const router = this.router(routerId);
    const t = await router.createWebRtcTransport({ ...settings });
    this.transports.set(t.id, t);
    const transportId = t.id;
    t.on('negotiationneeded', () => this.server.emit('transport.negotiationneeded', { transportId }));
    t.on('icestatechange', (state) => this.server.emit('transport.icestatechange', { transportId, state }));
    t.on('dtlsstatechange', (state) => this.server.emit('transport.dtlsstatechange', { transportId, state }));
    t.on('close', () => this.transports.delete(transportId));
    return { transportId, port: t.port };
  }

  private consume(transportId: string, producerId: string, paused?: boolean, viewport?: { width: number; height: number }): ConsumerInfo {
    const t = this.transport(transportId);
    const producer = this.producerIn(t, producerId);
    const c = t.consume(producer, { paused: paused === true, viewport: viewport && { width: num(viewport.width, 'width'), height: num(viewport.height, 'height') } });
    this.consumers.set(c.id, c);
    c.on('close', () => {
      this.consumers.delete(c.id);
      this.server.emit('consumer.close', { consumerId: c.id });
    });
    c.on('layerschange', (layer) => this.server.emit('consumer.layerschange', { consumerId: c.id, layer }));
    return { id: c.id, producerId, kind: c.kind, mid: c.mid, ssrc: c.ssrc, paused: c.paused };
  }

  /** The producer with this id in the router that owns `holder` (a transport or pipe). */
  private producerIn(holder: WebRtcTransport | PipeTransport, producerId: string): Producer {
    const router = [...this.routers.values()].find((r) => r.transports.has(holder.id) || r.pipes.has(holder.id));
    if (!router) throw new MediaError('CLOSED');
    return router.getProducer(str(producerId, 'producerId'));
  }

  private router(id: unknown): Router {
    const r = this.routers.get(str(id, 'routerId'));
    if (!r) throw new MediaError('CLOSED', 'Unknown router.');
    return r;
  }

  private transport(id: unknown): WebRtcTransport {
    const t = this.transports.get(str(id, 'transportId'));
    if (!t) throw new MediaError('CLOSED', 'Unknown transport.');
    return t;
  }

  private pipe(id: unknown): { pipe: PipeTransport; channel: UdpPacketChannel } {
    const p = this.pipes.get(str(id, 'pipeId'));
    if (!p) throw new MediaError('CLOSED', 'Unknown pipe.');
    return p;
  }

  /** Applies `fn` to the producer in every router of this worker holding that id. */
  private eachProducer(id: unknown, fn: (p: Producer) => void): Record<string, never> {
    const list = this.producers.get(str(id, 'producerId'));
    if (!list || list.length === 0) throw new MediaError('PRODUCER_NOT_FOUND');
    for (const p of [...list]) fn(p);
    return {};
  }

  private withConsumer(id: unknown, fn: (c: Consumer) => void): Record<string, never> {
    const c = this.consumers.get(str(id, 'consumerId'));
    if (!c) throw new MediaError('CONSUMER_NOT_FOUND');
    fn(c);
    return {};
  }
}

/** CPU time of the calling thread, µs, from Linux's /proc/thread-self (process.cpuUsage() is process-wide); -1 elsewhere. */
function threadCpuUs(): number {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime (fields 14 and 15 of stat(5)) in clock ticks; Linux reports USER_HZ = 100.
    return ((Number(fields[11]) + Number(fields[12])) / 100) * 1e6;
  } catch {
    return -1;
  }
}

function producerInfo(p: Producer): ProducerInfo {
  return { id: p.id, kind: p.kind, mid: p.mid, simulcast: p.simulcast, paused: p.paused };
}

function str(v: unknown, name: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 256 * 1024) throw new MediaError('BAD_REQUEST', `${name} must be a string.`);
  return v;
}

function num(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new MediaError('BAD_REQUEST', `${name} must be a number.`);
  return v;
}

