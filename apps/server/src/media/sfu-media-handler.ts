/**
 * The media plane behind signaling (MediaSignalingHandler) on top of @podium/sfu. Each participant
 * gets at most one sending transport (the client offers, the server answers: `publish` carries the
 * offer with the new track) and one receiving transport (the server offers after each change,
 * the client answers with `sdp-answer`). New and removed tracks are announced through the room's
 * coordinator on the bus, so every participant learns of them in order with presence, and a
 * newcomer finds them in its `joined` snapshot.
 */
import {
  ERRORS, PodiumError, roomSubjects, type ErrorCode, type EventId, type MediaClientMessage, type MediaKind, type MediaStatus, type ParticipantId,
  type RoomCommand, type RoomReply, type ServerMessage, type SignalCapability,
} from '@podium/protocol';
import type { RecordingStats, SfuWorker } from '@podium/sfu';
import type { RecordingTaps, TapHandle } from '../recordings/ports';
import type { Logger } from 'pino';
import type { Bus } from '../bus/bus';
import type { MediaSession, MediaSignalingHandler } from '../signaling/media-handler';
import { toPodiumError } from './media-errors';
import { mayPublishKind } from '../rooms/publish-rights';
import type { MediaPlacement, RouterRef } from './placement';
import { type MediaEndpoints, MediaStatusReader } from './media-status';

/** Tracks one participant may publish at once (camera, microphone, screen, and a little room). */
const MAX_PRODUCERS_PER_PEER = 8;
const ROOM_REQUEST_TIMEOUT_MS = 5_000;
// set-layer-preference by layer index: the viewport that selects that simulcast layer.
const LAYER_VIEWPORTS = [{ width: 320, height: 180 }, { width: 640, height: 360 }, { width: 1920, height: 1080 }];

interface RecvState {
  transportId: string;
  /** An offer of ours waits for the client's answer. */
  offerPending: boolean;
  /** Something changed while the offer was pending: offer again after the answer. */
  again: boolean;
}

interface Peer {
  session: MediaSession;
  router: RouterRef;
  send?: string;
  recv?: RecvState;
  /** Producers this participant publishes: id → kind as published. */
  producers: Map<string, MediaKind>;
  /** Consumers of this participant: id → producer id. */
  consumers: Map<string, string>;
  released: boolean;
}

interface PublishedProducer {
  id: string;
  eventId: EventId;
  participantId: ParticipantId;
  kind: MediaKind;
  router: RouterRef;
}

/** Counts for tests and health checks. */
export interface MediaHandlerStats {
  peers: number;
  producers: number;
  consumers: number;
  transports: number;
}

/** Options of the handler. */
export interface SfuMediaHandlerOptions {
  placement: MediaPlacement;
  bus: Bus;
  log: Logger;
  /** Where clients send media (for the operator's status). */
  endpoints: MediaEndpoints;
}

/** MediaSignalingHandler on the SFU (see file comment). */
export class SfuMediaHandler implements MediaSignalingHandler, RecordingTaps {
  readonly capabilities: readonly SignalCapability[] = ['media', 'simulcast', 'ice-restart'];
  private readonly peers = new Map<ParticipantId, Peer>();
  private readonly producers = new Map<string, PublishedProducer>();
  private readonly byTransport = new Map<string, Peer>();
  private readonly byConsumer = new Map<string, Peer>();
  private readonly wired = new WeakSet<SfuWorker>();
  // The router that named each event's current speaker (only it may say nobody speaks now).
  private readonly speakerRouter = new Map<EventId, string>();
  // Recorders whose producer may close by itself: recorder id → resolver of TapHandle.ended.
  private readonly recorderEnded = new Map<string, (stats: RecordingStats) => void>();

  private readonly statusReader: MediaStatusReader;

  constructor(private readonly opts: SfuMediaHandlerOptions) {
    this.statusReader = new MediaStatusReader(opts.placement, opts.endpoints);
  }

  /** The workers' load and where clients send media (GET /api/v1/admin/media). */
  status(): Promise<MediaStatus> {
    return this.statusReader.read();
  }

  /** Peers, producers, consumers and transports this handler tracks now. */
  stats(): MediaHandlerStats {
    let consumers = 0;
    for (const p of this.peers.values()) consumers += p.consumers.size;
    return { peers: this.peers.size, producers: this.producers.size, consumers, transports: this.byTransport.size };
  }

  /** The placement (tests read router and worker counts from it). */
  get placement(): MediaPlacement {
    return this.opts.placement;
  }

  async handle(session: MediaSession, msg: MediaClientMessage): Promise<ServerMessage> {
    try {
      return await this.dispatch(session, msg);
    } catch (err) {
      throw toPodiumError(err);
    }
  }

  async release(session: MediaSession): Promise<void> {
    const peer = this.peers.get(session.participantId);
    if (!peer || peer.session !== session) return;
    peer.released = true;
    this.peers.delete(session.participantId);
    for (const id of peer.producers.keys()) this.forgetProducer(id);
    for (const id of peer.consumers.keys()) this.byConsumer.delete(id);
    peer.consumers.clear();
    const transports = [peer.send, peer.recv?.transportId].filter((t): t is string => !!t);
    for (const t of transports) this.byTransport.delete(t);
    await Promise.all(transports.map((transportId) => peer.router.worker.request('transport.close', { transportId }).catch(() => undefined)));
    await this.opts.placement.release(session.eventId, session.participantId).catch((err: Error) => {
      this.opts.log.warn({ err: { name: err.name } }, 'media: placement release failed');
    });
  }

  async restrict(session: MediaSession, what: { pause?: readonly MediaKind[]; close?: readonly MediaKind[] }): Promise<void> {
    const peer = this.peerOf(session);
    if (!peer) return;
    for (const [id, kind] of [...peer.producers]) {
      if (what.close?.includes(kind)) {
        peer.producers.delete(id);
        this.forgetProducer(id);
        await peer.router.worker.request('producer.close', { producerId: id }).catch(() => undefined);
      } else if (what.pause?.includes(kind)) {
        await peer.router.worker.request('producer.pause', { producerId: id });
        await this.roomCommand(session.eventId, { kind: 'producer-pause', eventId: session.eventId, producerId: id, paused: true });
      }
    }
  }

  /** See RecordingTaps: the tap runs on the router the producer is published on. */
  async startTap(producerId: string, path: string): Promise<TapHandle> {
    const p = this.producers.get(producerId);
    if (!p) throw new PodiumError('NOT_FOUND', 'No such producer.');
    const worker = p.router.worker;
    this.wire(worker);
    const started = await worker.request('recorder.start', { routerId: p.router.routerId, producerId, path });
    const recorderId = started.recorderId;
    const ended = new Promise<RecordingStats>((resolve) => this.recorderEnded.set(recorderId, resolve));
    return {
      recorderId,
      kind: started.kind,
      codec: started.codec,
      ended,
      stop: async () => {
        this.recorderEnded.delete(recorderId);
        return worker.request('recorder.stop', { recorderId });
      },
      stats: () => worker.request('recorder.stats', { recorderId }),
    };
  }

  /** A worker died: its participants' media is gone (they publish or subscribe again to get new transports). */
  workerExited(worker: SfuWorker): void {
    for (const peer of [...this.peers.values()]) {
      if (peer.router.worker !== worker) continue;
      peer.released = true;
      this.peers.delete(peer.session.participantId);
      for (const id of peer.producers.keys()) this.forgetProducer(id);
      for (const id of peer.consumers.keys()) this.byConsumer.delete(id);
      if (peer.send) this.byTransport.delete(peer.send);
      if (peer.recv) this.byTransport.delete(peer.recv.transportId);
    }
  }

  /** Closes everything (server shutdown). */
  async close(): Promise<void> {
    this.peers.clear();
    this.producers.clear();
    this.byTransport.clear();
    this.byConsumer.clear();
    await this.opts.placement.close();
  }

  private async dispatch(session: MediaSession, msg: MediaClientMessage): Promise<ServerMessage> {
    const ack: ServerMessage = { type: 'ack', requestId: msg.requestId };
    switch (msg.type) {
      case 'publish':
        return this.publish(session, msg);
      case 'unpublish': {
        const peer = this.peerOf(session);
        if (!peer?.producers.has(msg.producerId)) throw new PodiumError('NOT_FOUND', 'No such producer of yours.');
        peer.producers.delete(msg.producerId);
        this.forgetProducer(msg.producerId);
        await peer.router.worker.request('producer.close', { producerId: msg.producerId }).catch(() => undefined);
        return ack;
      }
      case 'subscribe':
        return this.subscribe(session, msg.producerId, msg.requestId);
      case 'unsubscribe': {
        const peer = this.peerOf(session);
        const consumerId = peer && [...peer.consumers].find(([, p]) => p === msg.producerId)?.[0];
        if (!peer || !consumerId) throw new PodiumError('NOT_FOUND', 'Not subscribed to this producer.');
        this.forgetConsumer(peer, consumerId);
        await peer.router.worker.request('consumer.close', { consumerId });
        return ack;
      }
      case 'set-layer-preference': {
        const peer = this.consumerOwner(session, msg.consumerId);
        const byLayer = msg.spatialLayer !== undefined ? LAYER_VIEWPORTS[msg.spatialLayer] : undefined;
        const width = msg.maxWidth ?? byLayer?.width;
        const height = msg.maxHeight ?? byLayer?.height;
        if (width !== undefined || height !== undefined) {
          await peer.router.worker.request('consumer.setViewport', { consumerId: msg.consumerId, width: width ?? 16_384, height: height ?? 16_384 });
        }
        return ack;
      }
      case 'sdp-offer': {
        // A publisher renegotiating its sending transport (a track stopped, or several added at once).
        const peer = this.peerOf(session);
        if (!peer || peer.send !== msg.transportId) throw new PodiumError('NOT_FOUND', 'No such sending transport of yours.');
        const { answer, producers } = await peer.router.worker.request('transport.processOffer', { transportId: msg.transportId, sdp: msg.sdp });
        for (const p of producers) await this.announce(peer, p.id, p.kind, p.simulcast, p.paused);
        return { type: 'sdp-answer', requestId: msg.requestId, transportId: msg.transportId, sdp: answer };
      }
      case 'sdp-answer': {
        const peer = this.peerOf(session);
        const recv = peer?.recv;
        if (!peer || !recv || recv.transportId !== msg.transportId) throw new PodiumError('NOT_FOUND', 'No such receiving transport of yours.');
        try {
          await peer.router.worker.request('transport.processAnswer', { transportId: msg.transportId, sdp: msg.sdp });
        } finally {
          recv.offerPending = false;
          if (recv.again) void this.offer(peer);
        }
        return ack;
      }
      case 'ice-candidate': {
        // The server is ICE-lite: it learns the client's addresses from its connectivity checks.
        const peer = this.peerOf(session);
        if (!peer || (peer.send !== msg.transportId && peer.recv?.transportId !== msg.transportId)) throw new PodiumError('NOT_FOUND', 'No such transport of yours.');
        return ack;
      }
      case 'ice-restart':
        return this.restartIce(session, msg.transportId, msg.requestId);
      case 'pause':
      case 'resume':
        return this.pauseOrResume(session, msg.type === 'pause', msg.target, msg.id, msg.requestId);
    }
  }

  private async publish(session: MediaSession, msg: Extract<MediaClientMessage, { type: 'publish' }>): Promise<ServerMessage> {
    if (!mayPublishKind(session.eventType, session.role, session.grant, msg.kind)) {
      throw new PodiumError('FORBIDDEN', `A ${session.role} may not publish ${msg.kind} in a ${session.eventType} without being brought on stage.`);
    }
    if (!msg.sdp) throw new PodiumError('VALIDATION_FAILED', 'publish needs the SDP offer with the new track (sdp).');
    const peer = await this.peer(session);
    if (peer.producers.size >= MAX_PRODUCERS_PER_PEER) throw new PodiumError('SERVER_BUSY', 'Too many tracks published.');
    const worker = peer.router.worker;
    if (!peer.send) {
      const { transportId } = await worker.request('transport.create', { routerId: peer.router.routerId });
      if (peer.released) {
        await worker.request('transport.close', { transportId }).catch(() => undefined);
        throw new PodiumError('NOT_JOINED');
      }
      peer.send = transportId;
      this.byTransport.set(transportId, peer);
    }
    const transportId = peer.send;
    const { answer, producers } = await worker.request('transport.processOffer', { transportId, sdp: msg.sdp });
    if (producers.length === 0) throw new PodiumError('VALIDATION_FAILED', 'The offer adds no track to send.');
    const expected = msg.kind === 'audio' ? 'audio' : 'video';
    const first = producers[0];
    if (first.kind !== expected) {
      await Promise.all(producers.map((p) => worker.request('producer.close', { producerId: p.id }).catch(() => undefined)));
      throw new PodiumError('VALIDATION_FAILED', `The new track is ${first.kind}, not ${msg.kind}.`);
    }
    if (msg.paused) await worker.request('producer.pause', { producerId: first.id });
    await this.announce(peer, first.id, msg.kind, first.simulcast, msg.paused === true || first.paused);
    // Further new sections in the same offer are published with the kind the SFU saw.
    for (const p of producers.slice(1)) await this.announce(peer, p.id, p.kind, p.simulcast, p.paused);
    return { type: 'published', requestId: msg.requestId, producerId: first.id, transportId, sdp: answer, mid: first.mid };
  }

  private async subscribe(session: MediaSession, producerId: string, requestId: string): Promise<ServerMessage> {
    const source = this.producers.get(producerId);
    if (!source || source.eventId !== session.eventId) throw new PodiumError('NOT_FOUND', 'No such producer in this room.');
    const peer = await this.peer(session);
    if ([...peer.consumers.values()].includes(producerId)) throw new PodiumError('VALIDATION_FAILED', 'Already subscribed to this producer.');
    const worker = peer.router.worker;
    if (!peer.recv) {
      const { transportId } = await worker.request('transport.create', { routerId: peer.router.routerId });
      if (peer.released) {
        await worker.request('transport.close', { transportId }).catch(() => undefined);
        throw new PodiumError('NOT_JOINED');
      }
      peer.recv = { transportId, offerPending: false, again: false };
      this.byTransport.set(transportId, peer);
    }
    const transportId = peer.recv.transportId;
    const local = await this.opts.placement.bring(producerId, source.router, peer.router);
    const consumer = await worker.request('transport.consume', { transportId, producerId: local });
    peer.consumers.set(consumer.id, producerId);
    this.byConsumer.set(consumer.id, peer);
    return { type: 'subscribed', requestId, producerId, consumerId: consumer.id, transportId, mid: consumer.mid, kind: source.kind };
  }

  /**
   * ICE restart (the client changed networks): new server credentials; DTLS and SRTP are kept.
   * Receiving transport: the reply carries the new offer (the client answers with sdp-answer), or,
   * while an earlier offer waits for its answer, the next offer follows once that answer is in.
   * Sending transport: the client re-offers with its own new credentials (sdp-offer); our answer
   * carries ours.
   */
  private async restartIce(session: MediaSession, transportId: string, requestId: string): Promise<ServerMessage> {
    const peer = this.peerOf(session);
    if (!peer || (peer.send !== transportId && peer.recv?.transportId !== transportId)) throw new PodiumError('NOT_FOUND', 'No such transport of yours.');
    const worker = peer.router.worker;
    const { iceUfrag, icePwd } = await worker.request('transport.restartIce', { transportId });
    const reply: ServerMessage = { type: 'ice-restarted', requestId, transportId, iceParameters: { usernameFragment: iceUfrag, password: icePwd, iceLite: true } };
    const recv = peer.recv;
    if (!recv || recv.transportId !== transportId) return reply;
    if (recv.offerPending) {
      recv.again = true;
      return reply;
    }
    recv.offerPending = true;
    recv.again = false;
    try {
      const { sdp } = await worker.request('transport.createOffer', { transportId });
      return { ...reply, sdp };
    } catch (err) {
      recv.offerPending = false;
      throw err;
    }
  }

  private async pauseOrResume(session: MediaSession, pause: boolean, target: 'producer' | 'consumer', id: string, requestId: string): Promise<ServerMessage> {
    if (target === 'producer') {
      const peer = this.peerOf(session);
      if (!peer?.producers.has(id)) throw new PodiumError('NOT_FOUND', 'No such producer of yours.');
      await peer.router.worker.request(pause ? 'producer.pause' : 'producer.resume', { producerId: id });
      await this.roomCommand(session.eventId, { kind: 'producer-pause', eventId: session.eventId, producerId: id, paused: pause });
    } else {
      const peer = this.consumerOwner(session, id);
      await peer.router.worker.request(pause ? 'consumer.pause' : 'consumer.resume', { consumerId: id });
    }
    return { type: 'ack', requestId };
  }

  /** The participant's media state, placing it on a router on first use. */
  private async peer(session: MediaSession): Promise<Peer> {
    const known = this.peers.get(session.participantId);
    if (known) return known;
    const router = await this.opts.placement.routerFor(session.eventId, session.participantId);
    this.wire(router.worker);
    const again = this.peers.get(session.participantId);
    if (again) return again;
    const peer: Peer = { session, router, producers: new Map(), consumers: new Map(), released: false };
    this.peers.set(session.participantId, peer);
    return peer;
  }

  private peerOf(session: MediaSession): Peer | undefined {
    const p = this.peers.get(session.participantId);
    return p && p.session === session ? p : undefined;
  }

  private consumerOwner(session: MediaSession, consumerId: string): Peer {
    const peer = this.peerOf(session);
    if (!peer || !peer.consumers.has(consumerId)) throw new PodiumError('NOT_FOUND', 'No such consumer of yours.');
    return peer;
  }

  /** Registers a new producer and tells the room. */
  private async announce(peer: Peer, id: string, kind: MediaKind, simulcast: boolean, paused: boolean): Promise<void> {
    const { eventId, participantId } = peer.session;
    // Released while the offer was in flight: its transport is closed, and so is this producer.
    if (peer.released) return;
    peer.producers.set(id, kind);
    this.producers.set(id, { id, eventId, participantId, kind, router: peer.router });
    const reply = await this.roomCommand(eventId, { kind: 'producer-add', eventId, producer: { producerId: id, participantId, kind, simulcast, paused } });
    // The room refuses tracks it does not allow (camera limit of a meeting, a grant taken away meanwhile).
    if (reply && !reply.ok) {
      peer.producers.delete(id);
      this.producers.delete(id);
      await peer.router.worker.request('producer.close', { producerId: id }).catch(() => undefined);
      throw new PodiumError(reply.code in ERRORS ? (reply.code as ErrorCode) : 'FORBIDDEN', reply.message);
    }
  }

  /** Forgets a producer and tells the room (idempotent). */
  private forgetProducer(id: string): void {
    const p = this.producers.get(id);
    if (!p) return;
    this.producers.delete(id);
    this.peers.get(p.participantId)?.producers.delete(id);
    void this.opts.placement.dropProducer(id);
    void this.roomCommand(p.eventId, { kind: 'producer-remove', eventId: p.eventId, producerId: id });
  }

  private forgetConsumer(peer: Peer, consumerId: string): void {
    peer.consumers.delete(consumerId);
    this.byConsumer.delete(consumerId);
  }

  private async roomCommand(eventId: EventId, cmd: RoomCommand): Promise<RoomReply | undefined> {
    return this.opts.bus.request<RoomReply>(roomSubjects(eventId).commands, cmd, { timeoutMs: ROOM_REQUEST_TIMEOUT_MS }).catch((err: Error) => {
      this.opts.log.warn({ eventId, kind: cmd.kind, err: { name: err.name } }, 'media: room command failed');
      return undefined;
    });
  }

  /** Sends the receiving transport's current offer (once at a time; again after the answer if something changed). */
  private async offer(peer: Peer): Promise<void> {
    const recv = peer.recv;
    if (!recv || peer.released) return;
    if (recv.offerPending) {
      recv.again = true;
      return;
    }
    recv.offerPending = true;
    recv.again = false;
    try {
      const { sdp } = await peer.router.worker.request('transport.createOffer', { transportId: recv.transportId });
      if (!peer.released) peer.session.send({ type: 'sdp-offer', transportId: recv.transportId, sdp });
    } catch (err) {
      recv.offerPending = false;
      this.opts.log.warn({ err: { name: (err as Error).name } }, 'media: offer failed');
    }
  }

  /** Subscribes once to a worker's events. */
  private wire(worker: SfuWorker): void {
    if (this.wired.has(worker)) return;
    this.wired.add(worker);
    worker.channel.on('transport.negotiationneeded', ({ transportId }) => {
      const peer = this.byTransport.get(transportId);
      if (peer && peer.recv?.transportId === transportId) void this.offer(peer);
    });
    worker.channel.on('producer.close', ({ producerId, routerId }) => {
      const p = this.producers.get(producerId);
      // Only the original closing counts; piped copies close with their routers.
      if (p && p.router.routerId === routerId) this.forgetProducer(producerId);
    });
    worker.channel.on('router.dominantspeaker', ({ routerId, producerId }) => {
      // Routers holding piped copies detect speakers too: only the router a speaker publishes on counts.
      if (producerId) {
        const p = this.producers.get(producerId);
        if (!p || p.router.routerId !== routerId) return;
        this.speakerRouter.set(p.eventId, routerId);
        void this.roomCommand(p.eventId, { kind: 'active-speaker', eventId: p.eventId, participantId: p.participantId });
        return;
      }
      for (const [eventId, r] of this.speakerRouter) {
        if (r !== routerId) continue;
        this.speakerRouter.delete(eventId);
        void this.roomCommand(eventId, { kind: 'active-speaker', eventId, participantId: null });
      }
    });
    worker.channel.on('recorder.ended', ({ recorderId, stats }) => {
      this.recorderEnded.get(recorderId)?.(stats);
      this.recorderEnded.delete(recorderId);
    });
    worker.channel.on('consumer.close', ({ consumerId }) => {
      const peer = this.byConsumer.get(consumerId);
      if (peer) this.forgetConsumer(peer, consumerId);
    });
  }
}
