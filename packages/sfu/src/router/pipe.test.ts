import { afterEach, describe, expect, it } from 'vitest';
import { Router } from './router';
import { expectEveryPacket, TestPublisher, TestSubscriber, waitFor } from './testing/werift-peers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('Router.pipeToRouter', () => {
  it('makes a producer available in another router under the same id, so subscribers of both get every packet; closing the source closes the copy', async () => {
    const a = new Router({ transport: { listenIp: '127.0.0.1', portRange: [47600, 47699] } });
    const b = new Router({ transport: { listenIp: '127.0.0.1', portRange: [47600, 47699] } });
    cleanups.push(() => a.close(), () => b.close());
    const pubTransport = await a.createWebRtcTransport();
    const pub = await TestPublisher.connect(pubTransport);
    cleanups.push(() => pub.close());
    await waitFor('producers', () => a.producers.size === 2);
    const sources = [...a.producers.values()];
    const copies = sources.map((p) => a.pipeToRouter(p.id, b).producer);
    expect(copies.map((p) => p.id)).toEqual(sources.map((p) => p.id));
    expect(b.counts()).toMatchObject({ producers: 2, pipes: 1 });
    expect(() => a.pipeToRouter(sources[0].id, b)).toThrow(/Already piped/);

    const subs = [];
    for (const [router, producers] of [
      [a, sources],
      [b, copies],
    ] as const) {
      const t = await router.createWebRtcTransport();
      const sub = TestSubscriber.attach(t);
      cleanups.push(() => sub.close());
      const consumers = producers.map((p) => t.consume(p));
      await sub.ready();
      subs.push({ sub, consumers });
    }
    for (let i = 0; i < 30; i++) {
      pub.sendVideoFrame(i === 0);
      pub.sendAudio();
      await new Promise((r) => setTimeout(r, 4));
    }
    for (const { sub, consumers } of subs) {
      for (const c of consumers) {
        await expectEveryPacket(sub, c.ssrc, c.kind === 'audio' ? pub.sent.audio : pub.sent.video, `${c.kind} through the pipe`);
      }
    }

    pubTransport.close();
    expect(a.counts().producers).toBe(0);
    expect(b.counts().producers).toBe(0);
    expect(subs[1].consumers.every((c) => c.closed)).toBe(true);
  });
});
