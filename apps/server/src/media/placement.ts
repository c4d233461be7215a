/**
 * MediaPlacement (DESIGN.md §1, §3a): which SFU router on which worker serves a participant. The
 * embedded implementation keeps SFU worker threads in this process: one router per live event on
 * the least-loaded worker. A large event spreads over every worker: from `spreadAfterParticipants`
 * on, it opens a router on each worker that has none of it yet and places newcomers on its least
 * populated router, so one audience uses all cores (a small meeting stays on one router, with no
 * pipe hop). A router never takes more than `participantsPerRouter`; past that further routers open.
 * Routers receive the producers they need through pipes (pipeProducer). The cluster will place
 * routers on media nodes behind the same interface.
 */
import { pipeProducer, type RouterSettings, type SfuWorker } from '@podium/sfu';
import { PodiumError, type EventId, type ParticipantId } from '@podium/protocol';
import type { WorkerPool } from './worker-pool';

/** A router on a worker: where a participant's transports live. */
export interface RouterRef {
  readonly worker: SfuWorker;
  readonly routerId: string;
}

/** Counts of what placement holds, so tests and health checks can see leaks. */
export interface PlacementStats {
  /** Workers running. */
  workers: number;
  /** Routers open, summed over the workers (asked from the workers themselves). */
  routers: number;
  /** Events with media. */
  events: number;
}

/** Picks the router for a participant and moves producers between routers. */
export interface MediaPlacement {
  /** The router serving this participant of this event (opening the event's media on first use). */
  routerFor(eventId: EventId, participantId: ParticipantId): Promise<RouterRef>;
  /** Makes `producerId` (published on `from`) consumable on `to`; resolves with its id there. */
  bring(producerId: string, from: RouterRef, to: RouterRef): Promise<string>;
  /** The producer closed at its origin: close its piped copies in other routers. */
  dropProducer(producerId: string): Promise<void>;
  /** The participant no longer uses media; an event's routers close once nobody of it does. */
  release(eventId: EventId, participantId: ParticipantId): Promise<void>;
  /** Current counts. */
  stats(): Promise<PlacementStats>;
  /** The workers running now, in pool order. */
  workers(): readonly SfuWorker[];
  /** Closes every router and worker. */
  close(): Promise<void>;
}

interface PlacedRouter extends RouterRef {
  participants: Set<ParticipantId>;
  /** Producer ids already piped into this router. */
  piped: Set<string>;
  /** Pipes being set up into this router, by producer id (so concurrent joins share one). */
  piping: Map<string, Promise<void>>;
}

interface EventMedia {
  routers: PlacedRouter[];
  byParticipant: Map<ParticipantId, PlacedRouter>;
  /** Routers being opened (so concurrent first joins share one). */
  opening: Promise<PlacedRouter> | undefined;
}

/** Options of the embedded placement. */
export interface EmbeddedPlacementOptions {
  pool: WorkerPool;
  router: RouterSettings;
  /** Participants one router takes before the event opens another router (on the least-loaded worker). Default 500. */
  participantsPerRouter?: number;
  /** Participants an event has before it spreads over all workers (see file comment). Default 50. */
  spreadAfterParticipants?: number;
}

/** Placement decisions per call are bounded: each round either returns a router or opens one. */
const MAX_PLACEMENT_ROUNDS = 64;

/** The embedded placement: SFU worker threads of this process (see file comment). */
export class EmbeddedPlacement implements MediaPlacement {
  private readonly events = new Map<EventId, EventMedia>();
  /** Routers per worker, the load measure for "least loaded". */
  private readonly load = new Map<SfuWorker, number>();
  private readonly budget: number;
  private readonly spreadAfter: number;

  constructor(private readonly opts: EmbeddedPlacementOptions) {
    this.budget = opts.participantsPerRouter ?? 500;
    this.spreadAfter = opts.spreadAfterParticipants ?? 50;
  }

  async routerFor(eventId: EventId, participantId: ParticipantId): Promise<RouterRef> {
    let ev = this.events.get(eventId);
    if (!ev) {
      ev = { routers: [], byParticipant: new Map(), opening: undefined };
      this.events.set(eventId, ev);
    }
    const known = ev.byParticipant.get(participantId);
    if (known) return known;
    const e = ev;
    for (let round = 0; round < MAX_PLACEMENT_ROUNDS; round++) {
      const again = e.byParticipant.get(participantId);
      if (again) return again;
      const workers = await this.opts.pool.workers();
      const choice = this.choose(e, workers);
      if (!('open' in choice)) {
        choice.participants.add(participantId);
        e.byParticipant.set(participantId, choice);
        return choice;
      }
      // One router opens at a time per event; concurrent joins wait for it and choose again.
      e.opening ??= this.openRouter(choice.open)
        .then((r) => {
          e.routers.push(r);
          return r;
        })
        .finally(() => {
          e.opening = undefined;
        });
      await e.opening;
    }
    throw new PodiumError('MEDIA_UNAVAILABLE', 'No media router could be placed.');
  }

  /** A router with room for one more participant of `ev`, or the workers to open the next router among. */
  private choose(ev: EventMedia, workers: readonly SfuWorker[]): PlacedRouter | { open: readonly SfuWorker[] } {
    const live = ev.routers.filter((r) => workers.includes(r.worker));
    const withRoom = live.filter((r) => r.participants.size < this.budget);
    if (ev.byParticipant.size >= this.spreadAfter) {
      const missing = workers.filter((w) => !live.some((r) => r.worker === w));
      if (missing.length > 0) return { open: missing };
      if (withRoom.length > 0) return withRoom.reduce((a, b) => (b.participants.size < a.participants.size ? b : a));
      return { open: workers };
    }
    return withRoom[0] ?? { open: workers };
  }

  async bring(producerId: string, from: RouterRef, to: RouterRef): Promise<string> {
    if (from.routerId === to.routerId) return producerId;
    const target = this.placed(to);
    if (!target) throw new PodiumError('MEDIA_UNAVAILABLE', 'The router is gone.');
    if (target.piped.has(producerId)) return producerId;
    // Subscribers joining together must share ONE pipe per producer and router: a second pipe
    // would carry every packet again (and hand the router a second producer with the same id).
    let pending = target.piping.get(producerId);
    if (!pending) {
      pending = pipeProducer(from, to, producerId)
        .then(({ producerId: id }) => {
          target.piped.add(id);
        })
        .finally(() => target.piping.delete(producerId));
      target.piping.set(producerId, pending);
    }
    await pending;
    return producerId;
  }

  async dropProducer(producerId: string): Promise<void> {
    const copies: PlacedRouter[] = [];
    for (const ev of this.events.values()) for (const r of ev.routers) if (r.piped.delete(producerId)) copies.push(r);
    await Promise.all(copies.map((r) => r.worker.request('producer.close', { producerId }).catch(() => undefined)));
  }

  async release(eventId: EventId, participantId: ParticipantId): Promise<void> {
    const ev = this.events.get(eventId);
    const router = ev?.byParticipant.get(participantId);
    if (!ev || !router) return;
    ev.byParticipant.delete(participantId);
    router.participants.delete(participantId);
    if (ev.byParticipant.size > 0) return;
    // Nobody of the event uses media any more: close its routers (their pipes go with them).
    this.events.delete(eventId);
    await Promise.all(ev.routers.map((r) => this.closeRouter(r)));
  }

  async stats(): Promise<PlacementStats> {
    const workers = this.opts.pool.started;
    const counts = await Promise.all(workers.map((w) => w.request('worker.counts', {}).then((c) => c.routers, () => 0)));
    return { workers: workers.length, routers: counts.reduce((a, b) => a + b, 0), events: this.events.size };
  }

  workers(): readonly SfuWorker[] {
    return this.opts.pool.started;
  }

  async close(): Promise<void> {
    const all = [...this.events.values()].flatMap((e) => e.routers);
    this.events.clear();
    await Promise.all(all.map((r) => this.closeRouter(r)));
    await this.opts.pool.close();
  }

  /** Forgets every router of a worker that died (its participants' media is gone with it). */
  forgetWorker(worker: SfuWorker): void {
    this.load.delete(worker);
    for (const [id, ev] of this.events) {
      ev.routers = ev.routers.filter((r) => r.worker !== worker);
      for (const [p, r] of ev.byParticipant) if (r.worker === worker) ev.byParticipant.delete(p);
      if (ev.routers.length === 0 && ev.byParticipant.size === 0) this.events.delete(id);
    }
  }

  private placed(ref: RouterRef): PlacedRouter | undefined {
    for (const ev of this.events.values()) {
      const r = ev.routers.find((x) => x.routerId === ref.routerId);
      if (r) return r;
    }
    return undefined;
  }

  /** Opens a router on the least-loaded of `workers`. */
  private async openRouter(workers: readonly SfuWorker[]): Promise<PlacedRouter> {
    if (workers.length === 0) throw new PodiumError('MEDIA_UNAVAILABLE');
    const worker = workers.reduce((best, w) => ((this.load.get(w) ?? 0) < (this.load.get(best) ?? 0) ? w : best));
    this.load.set(worker, (this.load.get(worker) ?? 0) + 1);
    try {
      const { routerId } = await worker.request('router.create', { settings: this.routerSettings(worker) });
      return { worker, routerId, participants: new Set(), piped: new Set(), piping: new Map() };
    } catch (err) {
      this.load.set(worker, Math.max(0, (this.load.get(worker) ?? 1) - 1));
      throw err;
    }
  }

  /**
   * Router settings for `worker`. A shared UDP port and the ICE-TCP port are one per worker
   * thread (threads cannot share a socket in Node 20): worker i of the pool uses the configured port + i.
   */
  private routerSettings(worker: SfuWorker): RouterSettings {
    const { tcpPort = 0, udpPort = 0 } = this.opts.router.transport;
    if (tcpPort <= 0 && udpPort <= 0) return this.opts.router;
    const index = Math.max(0, this.opts.pool.started.indexOf(worker));
    return {
      ...this.opts.router,
      transport: { ...this.opts.router.transport, ...(tcpPort > 0 ? { tcpPort: tcpPort + index } : {}), ...(udpPort > 0 ? { udpPort: udpPort + index } : {}) },
    };
  }

  private async closeRouter(r: PlacedRouter): Promise<void> {
    if (this.load.has(r.worker)) this.load.set(r.worker, Math.max(0, (this.load.get(r.worker) ?? 1) - 1));
    await r.worker.request('router.close', { routerId: r.routerId }).catch(() => undefined);
  }
}
