import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { classes, Message, methods } from 'werift';
import { Router } from '../router/router';
import { contiguous, TestPublisher, TestSubscriber, waitFor } from '../router/testing/werift-peers';
import { Prng } from '../testing/prng';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Random datagrams shaped like each protocol sharing the port (RFC 7983 first-byte ranges). */
function junk(rand: Prng, i: number): Buffer {
  const buf = rand.bytes(rand.int(300));
  const len = buf.length;
  if (len === 0) return buf;
  switch (i % 4) {
    case 0: // STUN-looking: type 0x0001 with the magic cookie
      if (len >= 8) buf.writeUInt32BE(0x2112a442, 4);
      buf[0] = 0;
      buf[1] = 1;
      break;
    case 1: // DTLS record: content type 20..23, version fe fd
      buf[0] = 20 + (i % 4);
      if (len >= 3) {
        buf[1] = 0xfe;
        buf[2] = 0xfd;
      }
      break;
    case 2: // RTP / RTCP
      buf[0] = 0x80 | (buf[0] & 0x3f);
      break;
    default:
      break;
  }
  return buf;
}

describe('WebRtcTransport under garbage input', () => {
  it('drops thousands of malformed STUN, DTLS, SRTP and random datagrams, even from an authenticated address, and keeps forwarding', async () => {
    const router = new Router({ transport: { listenIp: '127.0.0.1', portRange: [47400, 47499] } });
    cleanups.push(() => router.close());
    const pubTransport = await router.createWebRtcTransport();
    const pub = await TestPublisher.connect(pubTransport, { audio: true });
    cleanups.push(() => pub.close());
    await waitFor('producer', () => pubTransport.producers.size === 1);
    const producer = [...pubTransport.producers.values()][0];
    const subTransport = await router.createWebRtcTransport();
    const sub = TestSubscriber.attach(subTransport);
    cleanups.push(() => sub.close());
    const consumer = subTransport.consume(producer);
    await sub.ready();

    // An attacker that knows the ICE credentials of the publisher's transport (they are in its answer).
    const socket = dgram.createSocket('udp4');
    cleanups.push(() => new Promise<void>((r) => socket.close(() => r())));
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
    const creds = pubTransport.iceParameters;
    const auth = new Message(methods.BINDING, classes.REQUEST)
      .setAttribute('USERNAME', `${creds.iceUfrag}:attacker`)
      .setAttribute('PRIORITY', 1)
      .setAttribute('ICE-CONTROLLING', BigInt(1))
      .addMessageIntegrity(Buffer.from(creds.icePwd))
      .addFingerprint();
    socket.send(auth.bytes, pubTransport.port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 50));

    const rand = new Prng(0x5eed);
    let sent = 0;
    // Small bursts: the point is our parsing, not overflowing the kernel's socket buffers.
    for (let round = 0; round < 100; round++) {
      for (let i = 0; i < 30; i++) {
        const target = i % 2 === 0 ? pubTransport.port : subTransport.port;
        socket.send(junk(rand, round * 30 + i), target, '127.0.0.1');
        sent++;
      }
      if (round % 5 === 0) pub.sendAudio();
      await new Promise((r) => setTimeout(r, 3));
    }
    await waitFor('media still flows', () => sub.packets(consumer.ssrc).length === pub.sent.audio.length);
    expect(sent).toBe(3000);
    expect(contiguous(sub.packets(consumer.ssrc).map((p) => p.sequenceNumber))).toBe(true);
    expect(pubTransport.iceState).toBe('connected');
    expect(pubTransport.dtlsState).toBe('connected');
    expect(pubTransport.stats.dropped + subTransport.stats.dropped).toBeGreaterThan(1000);
  });
});
