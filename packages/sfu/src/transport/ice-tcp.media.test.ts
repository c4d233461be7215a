import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Router } from '../router/router';
import { TestPublisher, waitFor } from '../router/testing/werift-peers';
import { IceTcpClient, tcpCandidateOf } from '../testing/ice-tcp-client';
import { TcpIceListener } from './tcp-ice-listener';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A router whose transports offer ICE-TCP on `tcpPort`, with a werift publisher over UDP. */
async function setup(tcpPort: number) {
  const router = new Router({ transport: { listenIp: '127.0.0.1', announcedIp: '127.0.0.1', portRange: [47400, 47499], tcpPort } });
  cleanups.push(() => router.close());
  const pubTransport = await router.createWebRtcTransport({ tcpPort: 0 });
  const pub = await TestPublisher.connect(pubTransport);
  cleanups.push(() => pub.close());
  await waitFor('producers', () => pubTransport.producers.size === 2);
  return { router, pub, producers: [...pubTransport.producers.values()] };
}

async function tcpSubscriber(router: Router, producers: Parameters<Router['consume']>[1][]) {
  const transport = await router.createWebRtcTransport();
  const consumers = producers.map((id) => router.consume(transport.id, id));
  const client = new IceTcpClient();
  cleanups.push(() => client.close());
  const offer = transport.createOffer();
  await transport.processAnswer(await client.answer(offer));
  await client.connect();
  await waitFor('DTLS over TCP', () => client.connected);
  return { transport, consumers, client, offer };
}

/** Paces the publisher's media. */
async function sendMedia(pub: TestPublisher, frames: number): Promise<void> {
  for (let i = 0; i < frames; i++) {
    pub.sendVideoFrame(i === 0);
    pub.sendAudio();
    await new Promise((r) => setTimeout(r, 4));
  }
}

describe('ICE over TCP (RFC 6544 passive candidate, RFC 4571 framing)', () => {
  it('offers a passive TCP candidate below the UDP one, on the announced IP and the shared port', async () => {
    const { router, producers } = await setup(47590);
    const t = await router.createWebRtcTransport();
    t.consume(producers[0]);
    const offer = t.createOffer();
    expect(tcpCandidateOf(offer)).toEqual({ ip: '127.0.0.1', port: 47590 });
    const prio = (proto: string) => Number(new RegExp(`a=candidate:\\S+ 1 ${proto} (\\d+) `).exec(offer)?.[1]);
    expect(prio('tcp')).toBeLessThan(prio('udp'));
    // Without tcpPort there is no TCP candidate.
    const udpOnly = await router.createWebRtcTransport({ tcpPort: 0 });
    udpOnly.consume(producers[0]);
    expect(tcpCandidateOf(udpOnly.createOffer())).toBeUndefined();
  });

  it('a subscriber reachable only over TCP gets every packet: STUN check, DTLS and SRTP over one framed connection', async () => {
    const { router, pub, producers } = await setup(47591);
    const subs = await Promise.all([1, 2].map(() => tcpSubscriber(router, producers.map((p) => p.id))));
    for (const s of subs) expect(s.transport.selectedTuple?.via).toBeDefined();

    await sendMedia(pub, 40);
    for (const { client, consumers } of subs) {
      for (const c of consumers) {
        const sent = c.kind === 'audio' ? pub.sent.audio : pub.sent.video;
        await waitFor(`${c.kind} over TCP`, () => client.received.filter((p) => p.ssrc === c.ssrc).length >= sent.length);
        const got = client.received.filter((p) => p.ssrc === c.ssrc);
        expect(got.map((p) => p.payload)).toEqual(sent);
      }
      expect(client.srtpFailures).toBe(0);
    }
    // Both transports share the one listening port of this thread.
    expect(subs[0].offer.match(/tcp \d+ \S+ (\d+)/)?.[1]).toBe(subs[1].offer.match(/tcp \d+ \S+ (\d+)/)?.[1]);
  });

  it('garbage, unknown ufrags and half frames close the connection or are ignored; the port keeps serving and frees on close', async () => {
    const { router, pub, producers } = await setup(47592);
    const { client, consumers } = await tcpSubscriber(router, producers.map((p) => p.id));
    const junk = [Buffer.from([0x00, 0x05, 1, 2, 3, 4, 5]), Buffer.from([0xff, 0xff, 0x80]), Buffer.alloc(300, 0x17), Buffer.from('GET / HTTP/1.1\r\n\r\n')];
    for (const bytes of junk) {
      const s = net.connect({ host: '127.0.0.1', port: 47592 });
      s.on('error', () => {});
      await new Promise((r) => s.once('connect', r));
      s.write(bytes);
      cleanups.push(() => void s.destroy());
    }
    // Random bytes inside the adopted connection are dropped, not fatal.
    client.writeRaw(Buffer.from([0x00, 0x08, 0x80, 0x60, 1, 2, 3, 4, 5, 6]));
    await sendMedia(pub, 20);
    const audio = consumers.find((c) => c.kind === 'audio')!;
    await waitFor('audio after garbage', () => client.received.filter((p) => p.ssrc === audio.ssrc).length >= pub.sent.audio.length);

    const listener = await TcpIceListener.acquire('127.0.0.1', 47592);
    // Junk connections with a whole bad first frame are closed at once; half frames wait for the timeout.
    expect(listener.counts()).toMatchObject({ adopted: 1, ufrags: 1 });
    expect(listener.counts().pending).toBeLessThanOrEqual(3);
    listener.release();
    router.close();
    // The last transport gone, the port is closed.
    await expect(
      new Promise((resolve, reject) => {
        const s = net.connect({ host: '127.0.0.1', port: 47592 });
        s.once('connect', () => {
          s.destroy();
          resolve('open');
        });
        s.once('error', reject);
      }),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
