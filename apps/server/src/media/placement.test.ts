import { SfuWorker } from '@podium/sfu';
import type { EventId, ParticipantId } from '@podium/protocol';
import pino from 'pino';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TestPublisher } from '../../../../packages/sfu/src/router/testing/werift-peers';
import { EmbeddedPlacement, type RouterRef } from './placement';
import { WorkerPool } from './worker-pool';

const evt = (n: number) => `evt_placement${n}` as EventId;
const prt = (n: number) => `prt_p${n}` as ParticipantId;
const placements: EmbeddedPlacement[] = [];
afterEach(async () => {
  await Promise.all(placements.splice(0).map((p) => p.close()));
});

/** A placement over `workers` in-thread SFU workers (same protocol as threads, no thread start-up). */
function placement(workers: number, options: { participantsPerRouter?: number; spreadAfterParticipants?: number } = {}): EmbeddedPlacement {
  const pool = new WorkerPool({ count: workers, log: pino({ level: 'silent' }), start: async () => SfuWorker.inThread() });
  const p = new EmbeddedPlacement({ pool, router: { transport: { listenIp: '127.0.0.1', portRange: [0, 0] } }, ...options });
  placements.push(p);
  return p;
}

/** Participants per router, keyed by worker index in first-seen order. */
function spread(refs: RouterRef[]): Record<string, number> {
  const workers: SfuWorker[] = [];
  const out: Record<string, number> = {};
  for (const r of refs) {
    if (!workers.includes(r.worker)) workers.push(r.worker);
    const key = `worker${workers.indexOf(r.worker)}:${r.routerId}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

describe('EmbeddedPlacement', () => {
  it('keeps a small event on one router of one worker', async () => {
    const p = placement(2, { spreadAfterParticipants: 50 });
    const refs = [];
    for (let i = 0; i < 10; i++) refs.push(await p.routerFor(evt(1), prt(i)));
    expect(new Set(refs.map((r) => r.routerId)).size).toBe(1);
    expect(await p.stats()).toEqual({ workers: 2, routers: 1, events: 1 });
  });

  it('spreads a large event over every worker, newcomers balanced between the routers', async () => {
    const p = placement(2, { spreadAfterParticipants: 4 });
    const refs = [];
    for (let i = 0; i < 40; i++) refs.push(await p.routerFor(evt(2), prt(i)));
    const counts = Object.values(spread(refs));
    expect(counts).toEqual([20, 20]);
    expect(new Set(refs.map((r) => r.worker)).size).toBe(2);
    expect(await p.stats()).toEqual({ workers: 2, routers: 2, events: 1 });
  });

  it('places concurrent joins of a large event on one router per worker, each participant once', async () => {
    const p = placement(2, { spreadAfterParticipants: 1 });
    const refs = await Promise.all(Array.from({ length: 100 }, (_, i) => p.routerFor(evt(3), prt(i))));
    expect(new Set(refs.map((r) => r.routerId)).size).toBe(2);
    expect(Object.values(spread(refs)).sort()).toEqual([50, 50]);
    // Asking again for a placed participant gives the same router.
    expect((await p.routerFor(evt(3), prt(7))).routerId).toBe(refs[7].routerId);
  });

  it('opens further routers when every router of the event is full, and none when a small event fits', async () => {
    const p = placement(2, { participantsPerRouter: 3, spreadAfterParticipants: 1000 });
    for (let i = 0; i < 7; i++) await p.routerFor(evt(4), prt(i));
    expect(await p.stats()).toMatchObject({ routers: 3 });
  });

  it('keeps events apart and closes an event\'s routers once its last participant left', async () => {
    const p = placement(2, { spreadAfterParticipants: 2 });
    const a = [];
    for (let i = 0; i < 4; i++) a.push(await p.routerFor(evt(5), prt(i)));
    const b = await p.routerFor(evt(6), prt(100));
    expect(a.map((r) => r.routerId)).not.toContain(b.routerId);
    expect(await p.stats()).toEqual({ workers: 2, routers: 3, events: 2 });
    for (let i = 0; i < 4; i++) await p.release(evt(5), prt(i));
    expect(await p.stats()).toEqual({ workers: 2, routers: 1, events: 1 });
  });
});

describe('EmbeddedPlacement pipes', () => {
  it('sets up one pipe per producer and router however many subscribers join at once', async () => {
    const p = placement(2, { spreadAfterParticipants: 1 });
    const refs = [];
    for (let i = 0; i < 4; i++) refs.push(await p.routerFor(evt(7), prt(i)));
    const from = refs[0]!;
    const to = refs.find((r) => r.worker !== from.worker)!;
    const { transportId } = await from.worker.request('transport.create', { routerId: from.routerId });
    let producers: Array<{ id: string }> = [];
    const pub = await TestPublisher.connect(async (offer) => {
      const res = await from.worker.request('transport.processOffer', { transportId, sdp: offer });
      producers = res.producers;
      return res.answer;
    });
    try {
      // 30 subscribers of the other router ask for both tracks in the same moment.
      const ids = await Promise.all(Array.from({ length: 30 }, () => producers.map((pr) => p.bring(pr.id, from, to))).flat());
      expect(new Set(ids)).toEqual(new Set(producers.map((pr) => pr.id)));
      expect(await to.worker.request('router.counts', { routerId: to.routerId })).toMatchObject({ producers: 2, pipes: 2 });
      await p.bring(producers[0]!.id, from, to); // later subscribers reuse it too
      expect(await to.worker.request('router.counts', { routerId: to.routerId })).toMatchObject({ pipes: 2 });
    } finally {
      await pub.close();
    }
  });
});

/** Resolves true when something accepts TCP connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe('EmbeddedPlacement with ICE-TCP', () => {
  it('gives each worker its own TCP port: the configured one + the worker index', async () => {
    const pool = new WorkerPool({ count: 2, log: pino({ level: 'silent' }), start: async () => SfuWorker.inThread() });
    const p = new EmbeddedPlacement({ pool, router: { transport: { listenIp: '127.0.0.1', portRange: [47660, 47699], tcpPort: 47650 } }, spreadAfterParticipants: 1 });
    placements.push(p);
    const refs = [await p.routerFor(evt(7), prt(0)), await p.routerFor(evt(7), prt(1))];
    expect(new Set(refs.map((r) => r.worker)).size).toBe(2);
    for (const ref of refs) await ref.worker.request('transport.create', { routerId: ref.routerId });
    expect([await listening(47650), await listening(47651), await listening(47652)]).toEqual([true, true, false]);
  });

  it('with a shared UDP port, gives each worker its own: every transport of worker i on the configured port + i', async () => {
    const pool = new WorkerPool({ count: 2, log: pino({ level: 'silent' }), start: async () => SfuWorker.inThread() });
    const p = new EmbeddedPlacement({ pool, router: { transport: { listenIp: '127.0.0.1', portRange: [47660, 47699], udpPort: 47640 } }, spreadAfterParticipants: 1 });
    placements.push(p);
    const refs = [await p.routerFor(evt(8), prt(0)), await p.routerFor(evt(8), prt(1))];
    expect(new Set(refs.map((r) => r.worker)).size).toBe(2);
    const ports = [];
    for (const ref of refs) for (let i = 0; i < 2; i++) ports.push((await ref.worker.request('transport.create', { routerId: ref.routerId })).port);
    expect(ports).toEqual([47640, 47640, 47641, 47641]);
  });
});
