// Every transport of a thread on ONE UDP port (mediaUdpPort): real WebRTC peers publish and
// subscribe through it, each subscriber gets every packet, datagrams nobody's ICE check vouched
// for are dropped without disturbing anyone, and the port is released with its last transport.
import dgram from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { classes, Message, methods } from 'werift';
import { Router } from '../router/router';
import { expectEveryPacket, TestPublisher, TestSubscriber, waitFor } from '../router/testing/werift-peers';
import { SharedUdpPort } from './shared-udp-port';

const PORT = 47450;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function sendMedia(pub: TestPublisher, frames: number, firstKeyframe: boolean): Promise<void> {
  for (let i = 0; i < frames; i++) {
    pub.sendVideoFrame(firstKeyframe && i === 0);
    pub.sendAudio();
    await new Promise((r) => setTimeout(r, 4));
  }
}

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

describe('a shared UDP port', () => {
  it('carries a publisher and three subscribers on one port: every packet, strangers dropped, the port released with the last transport', async () => {
    const router = new Router({ transport: { listenIp: '127.0.0.1', udpPort: PORT } });
    cleanups.push(() => router.close());
    const pubTransport = await router.createWebRtcTransport();
    const pub = await TestPublisher.connect(pubTransport);
    cleanups.push(() => pub.close());
    await waitFor('producers', () => pubTransport.producers.size === 2);
    const producers = [...pubTransport.producers.values()];
    const subs = [];
    for (let i = 0; i < 3; i++) {
      const t = await router.createWebRtcTransport();
      const sub = TestSubscriber.attach(t);
      cleanups.push(() => sub.close());
      const consumers = producers.map((p) => t.consume(p));
      await sub.ready();
      subs.push({ t, sub, consumers });
    }
    expect(new Set([pubTransport.port, ...subs.map((s) => s.t.port)])).toEqual(new Set([PORT]));

    // Strangers at the port: random datagrams, SRTP-looking ones, and checks naming no transport of ours.
    const shared = await SharedUdpPort.acquire('127.0.0.1', PORT);
    cleanups.push(() => shared.release());
    const stranger = dgram.createSocket('udp4');
    cleanups.push(() => {
      stranger.close();
    });
    await new Promise<void>((r) => stranger.bind(0, '127.0.0.1', () => r()));
    for (let i = 0; i < 300; i++) {
      const junk = randomBytes(20 + (i % 200));
      if (i % 3 === 0) junk[0] = 0x80 | (junk[0]! & 0x3f); // RTP-looking
      if (i % 3 === 1) junk[0] = 0x00; // STUN-looking
      stranger.send(junk, PORT, '127.0.0.1');
    }

    // A check naming a real transport but signed with a wrong password reaches that transport (which
    // refuses it) and vouches for nothing: what the stranger sends next is dropped at the port.
    await waitFor('the strangers counted', () => shared.counts().dropped >= 200);
    const target = subs[1]!.t;
    const forged = new Message(methods.BINDING, classes.REQUEST).setAttribute('USERNAME', `${target.iceParameters.iceUfrag}:evil`).setAttribute('PRIORITY', 1).addMessageIntegrity(Buffer.from('not the password')).addFingerprint().bytes;
    const [received, dropped] = [target.stats.datagramsReceived, shared.counts().dropped];
    stranger.send(forged, PORT, '127.0.0.1');
    for (let i = 0; i < 50; i++) stranger.send(Buffer.concat([Buffer.from([0x80, 0x60]), randomBytes(100)]), PORT, '127.0.0.1');
    await waitFor('the forged check and what followed', () => shared.counts().dropped >= dropped + 50);
    expect(target.stats.datagramsReceived - received).toBeLessThanOrEqual(1 + 20); // the forged check (plus its own peer's RTCP meanwhile)

    await sendMedia(pub, 30, true);
    for (const { sub, consumers } of subs) {
      for (const c of consumers) await expectEveryPacket(sub, c.ssrc, c.kind === 'audio' ? pub.sent.audio : pub.sent.video, `${c.kind} over the shared port`);
    }
    await waitFor('the strangers counted', () => shared.counts().dropped >= 200);
    // One ufrag per transport; each proved one remote address or more (a peer may check from several candidates).
    const { ufrags, addresses } = shared.counts();
    expect(ufrags).toBe(4);
    expect(addresses).toBeGreaterThanOrEqual(4);
    expect(subs.every(({ t }) => t.stats.datagramsReceived < 100)).toBe(true);

    // Closing transports forgets them; the last one releases the port.
    subs[0]!.t.close();
    expect(shared.counts().ufrags).toBe(3);
    expect(shared.counts().addresses).toBeLessThan(addresses);
    router.close();
    expect(shared.counts()).toMatchObject({ ufrags: 0, addresses: 0, users: 1 });
    shared.release();
    cleanups.pop();
    expect(await bindable(PORT)).toBe(true);
  });
});
