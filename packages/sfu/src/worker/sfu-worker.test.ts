import { afterEach, describe, expect, it } from 'vitest';
import { expectEveryPacket, type SubscriberSignaling, TestPublisher, TestSubscriber } from '../router/testing/werift-peers';
import type { ConsumerInfo } from './protocol';
import { pipeProducer, SfuWorker } from './sfu-worker';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A subscriber transport in a worker, driven through the worker's request channel. */
async function remoteSubscriber(worker: SfuWorker, routerId: string, producerIds: string[]) {
  const { transportId } = await worker.request('transport.create', { routerId });
  const signaling: SubscriberSignaling = {
    createOffer: async () => (await worker.request('transport.createOffer', { transportId })).sdp,
    processAnswer: async (sdp) => {
      await worker.request('transport.processAnswer', { transportId, sdp });
    },
    onNegotiationNeeded: (listener) => worker.channel.on('transport.negotiationneeded', (e) => e.transportId === transportId && listener()),
    settled: () => true,
  };
  const sub = TestSubscriber.attachRemote(signaling);
  cleanups.push(() => sub.close());
  const consumers: ConsumerInfo[] = [];
  for (const producerId of producerIds) consumers.push(await worker.request('transport.consume', { transportId, producerId }));
  await sub.ready();
  return { sub, consumers, transportId };
}

describe('SFU workers', () => {
  it('runs routers in two worker threads and pipes one publisher to subscribers in both', async () => {
    const [w1, w2] = await Promise.all([SfuWorker.start(), SfuWorker.start()]);
    cleanups.push(() => w1.close(), () => w2.close());
    const settings = { transport: { listenIp: '127.0.0.1', portRange: [47700, 47799] as [number, number] } };
    const { routerId: r1 } = await w1.request('router.create', { settings });
    const { routerId: r2 } = await w2.request('router.create', { settings });

    const { transportId } = await w1.request('transport.create', { routerId: r1 });
    let producers: Array<{ id: string; kind: string }> = [];
    const pub = await TestPublisher.connect(async (offer) => {
      const res = await w1.request('transport.processOffer', { transportId, sdp: offer });
      producers = res.producers;
      return res.answer;
    });
    cleanups.push(() => pub.close());
    expect(producers.map((p) => p.kind).sort()).toEqual(['audio', 'video']);
    for (const p of producers) {
      const piped = await pipeProducer({ worker: w1, routerId: r1 }, { worker: w2, routerId: r2 }, p.id);
      expect(piped.producerId).toBe(p.id);
    }
    expect(await w2.request('router.counts', { routerId: r2 })).toMatchObject({ producers: 2, pipes: 2 });

    const ids = producers.map((p) => p.id);
    const subs = [await remoteSubscriber(w1, r1, ids), await remoteSubscriber(w2, r2, ids)];
    for (let i = 0; i < 30; i++) {
      pub.sendVideoFrame(i === 0);
      pub.sendAudio();
      await new Promise((r) => setTimeout(r, 5));
    }
    for (const { sub, consumers } of subs) {
      for (const c of consumers) {
        await expectEveryPacket(sub, c.ssrc, c.kind === 'audio' ? pub.sent.audio : pub.sent.video, `${c.kind} in a worker`);
      }
    }

    // Each worker reports its own load: w1 received the publisher's packets and sent to its
    // subscriber; w2 got them through the pipe (no WebRTC receive) and sent to its subscriber.
    const videoAndAudio = pub.sent.audio.length + pub.sent.video.length;
    const [l1, l2] = await Promise.all([w1.request('worker.stats', {}), w2.request('worker.stats', {})]);
    expect(l1).toMatchObject({ routers: 1, transports: 2, rtpReceived: videoAndAudio, rtpSent: videoAndAudio });
    expect(l2).toMatchObject({ routers: 1, transports: 1, rtpReceived: 0, rtpSent: videoAndAudio });
    expect(l1.threadCpuUs).toBeGreaterThan(0);

    // Errors cross the channel typed; a closing worker answers what was asked before, then nothing.
    await expect(w2.request('transport.consume', { transportId: subs[1].transportId, producerId: 'prd_nope' })).rejects.toMatchObject({ code: 'PRODUCER_NOT_FOUND' });
    const pending = w2.request('router.counts', { routerId: r2 });
    await w2.close();
    await expect(pending).resolves.toMatchObject({ transports: 1 });
    await expect(w2.request('worker.counts', {})).rejects.toMatchObject({ code: 'WORKER_UNAVAILABLE' });

    await w1.request('router.close', { routerId: r1 });
    expect(await w1.request('worker.counts', {})).toEqual({ routers: 0 });
  });

  it('a thread that does not come up within its ready timeout fails with a clear WORKER_UNAVAILABLE and is stopped', async () => {
    await expect(SfuWorker.start({ readyTimeoutMs: 1 })).rejects.toMatchObject({ code: 'WORKER_UNAVAILABLE', message: expect.stringContaining('did not start (no answer within') });
  });

  it('serves the same protocol in-thread, with typed errors for bad requests', async () => {
    const w = SfuWorker.inThread();
    cleanups.push(() => w.close());
    await expect(w.request('router.create', { settings: {} as never })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const { routerId } = await w.request('router.create', { settings: { transport: { listenIp: '127.0.0.1', portRange: [47800, 47899] } } });
    const { transportId, port } = await w.request('transport.create', { routerId });
    expect(port).toBeGreaterThanOrEqual(47800);
    await expect(w.request('transport.processOffer', { transportId, sdp: 'v=0\r\nbogus' })).rejects.toMatchObject({ code: 'SDP_INVALID' });
    await expect(w.request('transport.processAnswer', { transportId, sdp: 42 as never })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(w.request('consumer.pause', { consumerId: 'csm_x' })).rejects.toMatchObject({ code: 'CONSUMER_NOT_FOUND' });
    await w.request('transport.close', { transportId });
    expect(await w.request('router.counts', { routerId })).toMatchObject({ transports: 0, timers: 1 });
  });
});
