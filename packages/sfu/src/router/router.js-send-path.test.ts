/**
 * The SFU without its native send step (PODIUM_NATIVE_UDP=0, as on a machine where the addon could
 * not be built): SRTP is protected in JavaScript and sent through node:dgram. This file runs in its
 * own process (vitest pool 'forks'), so the variable is set before the SFU modules load.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

process.env.PODIUM_NATIVE_UDP = '0';
const { Router } = await import('./router');
const { nativeUdp, nativeUdpUnavailable } = await import('../transport/native-udp');
const { sendBatch } = await import('../transport/send-batch');
const { expectEveryPacket, TestPublisher, TestSubscriber, waitFor } = await import('./testing/werift-peers');

describe('Router on the JavaScript send path', () => {
  let router: InstanceType<typeof Router>;
  beforeAll(() => {
    router = new Router({ transport: { listenIp: '127.0.0.1', portRange: [47300, 47399] } });
  });
  afterAll(() => router.close());

  it('is the path in use, and says why', () => {
    expect(nativeUdp).toBeNull();
    expect(sendBatch).toBeNull();
    expect(nativeUdpUnavailable).toBe('turned off (PODIUM_NATIVE_UDP=0)');
  });

  it('forwards every published packet to three subscribers, payloads intact', async () => {
    const pubTransport = await router.createWebRtcTransport();
    const pub = await TestPublisher.connect(pubTransport);
    await waitFor('producers', () => pubTransport.producers.size === 2);
    const producers = [...pubTransport.producers.values()];
    const subs = await Promise.all(
      [1, 2, 3].map(async () => {
        const transport = await router.createWebRtcTransport();
        const sub = TestSubscriber.attach(transport);
        const consumers = producers.map((p) => transport.consume(p));
        await sub.ready();
        return { sub, consumers };
      }),
    );
    for (let i = 0; i < 40; i++) {
      pub.sendVideoFrame(i === 0);
      pub.sendAudio();
      await new Promise((r) => setTimeout(r, 4));
    }
    for (const { sub, consumers } of subs) {
      for (const c of consumers) {
        await expectEveryPacket(sub, c.ssrc, c.kind === 'audio' ? pub.sent.audio : pub.sent.video, `${c.kind} at a subscriber`);
      }
    }
    for (const { sub } of subs) await sub.close();
    await pub.close();
  });
});
