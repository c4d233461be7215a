import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { PictureLossIndication, RtcpPayloadSpecificFeedback, RtcpRrPacket, RtcpSrPacket, RtcpTransportLayerFeedback, TransportWideCC } from 'werift';
import { Router } from './router';
import type { Producer } from './producer';
import type { ConsumeOptions } from '../transport/webrtc-transport';
import { nativeUdp } from '../transport/native-udp';
import { contiguous, LAYER_MARKER_OFFSET, sortedSeqs, TestPublisher, TestSimulcastPublisher, TestSubscriber, type TestVideoCodec, waitFor } from './testing/werift-peers';

const PORTS: [number, number] = [47100, 47299];

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function newRouter(): Router {
  const router = new Router({ transport: { listenIp: '127.0.0.1', portRange: PORTS } });
  cleanups.push(() => router.close());
  return router;
}

async function publisher(router: Router, kinds?: { audio?: boolean; video?: boolean; videoCodec?: TestVideoCodec }) {
  const transport = await router.createWebRtcTransport();
  const pub = await TestPublisher.connect(transport, kinds);
  cleanups.push(() => pub.close());
  await waitFor('producers', () => transport.producers.size === (kinds ? Number(!!kinds.audio) + Number(!!kinds.video) : 2));
  const producers = [...transport.producers.values()];
  return { transport, pub, audio: producers.find((p) => p.kind === 'audio'), video: producers.find((p) => p.kind === 'video') };
}

async function subscriber(router: Router, producers: Array<Producer | undefined>, options?: ConsumeOptions) {
  const transport = await router.createWebRtcTransport();
  const sub = TestSubscriber.attach(transport);
  cleanups.push(() => sub.close());
  const consumers = producers.filter((p): p is Producer => p !== undefined).map((p) => transport.consume(p, options));
  await sub.ready();
  return { transport, sub, consumers };
}

/** Paces sending so loopback socket buffers never overflow on a loaded machine. */
async function sendMedia(pub: TestPublisher, frames: number, options: { firstKeyframe?: boolean; audio?: boolean } = {}): Promise<void> {
  for (let i = 0; i < frames; i++) {
    if (pub.video) pub.sendVideoFrame(i === 0 && options.firstKeyframe !== false);
    if (pub.audio && options.audio !== false) pub.sendAudio();
    await new Promise((r) => setTimeout(r, 4));
  }
}

describe('Router with real WebRTC peers', () => {
  it('forwards every published packet to three subscribers: contiguous sequence numbers, identical payloads, rewritten SSRCs', async () => {
    const router = newRouter();
    const { pub, audio, video } = await publisher(router);
    const subs = await Promise.all([1, 2, 3].map(() => subscriber(router, [audio, video])));
    expect(router.counts()).toMatchObject({ transports: 4, producers: 2, consumers: 6 });

    await sendMedia(pub, 40);
    for (const { sub, consumers } of subs) {
      for (const c of consumers) {
        const expected = c.kind === 'audio' ? pub.sent.audio.length : pub.sent.video.length;
        await waitFor(`${c.kind} at a subscriber`, () => sub.packets(c.ssrc).length >= expected);
      }
    }
    const publisherSsrcs = new Set([...audio!.streams, ...video!.streams].map((s) => s?.ssrc));
    for (const { sub, consumers } of subs) {
      for (const c of consumers) {
        const got = sub.packets(c.ssrc);
        const sent = c.kind === 'audio' ? pub.sent.audio : pub.sent.video;
        expect(got).toHaveLength(sent.length);
        expect(contiguous(got.map((p) => p.sequenceNumber))).toBe(true);
        got.forEach((p, i) => expect(p.payload.equals(sent[i]), `${c.kind} payload ${i}`).toBe(true));
        expect(publisherSsrcs.has(c.ssrc)).toBe(false);
        // Header extensions were remapped to the subscriber's ids: it reads its own mid.
        expect(new Set(got.map((p) => p.mid))).toEqual(new Set([c.mid]));
      }
    }
  });

  it('forwards H264 (packetization-mode 1): a subscriber from the start gets every packet, one joining mid-stream starts at the next IDR', async () => {
    const router = newRouter();
    const { pub, video } = await publisher(router, { video: true, videoCodec: 'H264' });
    expect(video!.codec).toMatchObject({ mimeType: 'video/H264' });
    const first = await router.createWebRtcTransport();
    const early = TestSubscriber.attach(first, { videoCodec: 'H264' });
    cleanups.push(() => early.close());
    const earlyConsumer = first.consume(video!);
    await early.ready();
    expect(earlyConsumer.params.codec).toMatchObject({ mimeType: 'video/H264' });

    await sendMedia(pub, 10);
    const late = await router.createWebRtcTransport();
    const lateSub = TestSubscriber.attach(late, { videoCodec: 'H264' });
    cleanups.push(() => lateSub.close());
    const lateConsumer = late.consume(video!);
    await lateSub.ready();
    const keyAt = pub.sent.video.length;
    // Delta frames first (the late consumer waits through them), then a keyframe (STAP-A SPS+PPS, IDR in FU-A), then more.
    await sendMedia(pub, 5, { firstKeyframe: false });
    const keyIndex = pub.sent.video.length;
    pub.sendVideoFrame(true);
    await sendMedia(pub, 10, { firstKeyframe: false });

    await waitFor('every H264 packet at the first subscriber', () => early.packets(earlyConsumer.ssrc).length >= pub.sent.video.length);
    const got = early.packets(earlyConsumer.ssrc);
    expect(got).toHaveLength(pub.sent.video.length);
    expect(contiguous(got.map((p) => p.sequenceNumber))).toBe(true);
    got.forEach((p, i) => expect(p.payload.equals(pub.sent.video[i]), `H264 payload ${i}`).toBe(true));

    const expected = pub.sent.video.slice(keyIndex);
    await waitFor('the late subscriber from the keyframe on', () => lateSub.packets(lateConsumer.ssrc).length >= expected.length);
    const lateGot = lateSub.packets(lateConsumer.ssrc);
    expect(keyIndex).toBeGreaterThan(keyAt);
    expect(lateGot).toHaveLength(expected.length);
    expect(lateGot[0]!.payload[0]! & 0x1f, 'first packet is the STAP-A with SPS and PPS').toBe(24);
    expect(contiguous(lateGot.map((p) => p.sequenceNumber))).toBe(true);
    lateGot.forEach((p, i) => expect(p.payload.equals(expected[i]), `late H264 payload ${i}`).toBe(true));
  });

  it('pauses and resumes a consumer and a producer; a resumed consumer continues without a sequence gap', async () => {
    const router = newRouter();
    const { pub, audio, video } = await publisher(router);
    const a = await subscriber(router, [audio, video]);
    const b = await subscriber(router, [audio, video]);
    const [aAudio, aVideo] = a.consumers;
    const [bAudio, bVideo] = b.consumers;
    const received = (s: { sub: TestSubscriber }, c: { ssrc: number }) => s.sub.packets(c.ssrc).length;

    await sendMedia(pub, 10);
    await waitFor('first batch', () => received(a, aVideo) === 30 && received(b, bVideo) === 30 && received(a, aAudio) === 10);

    aAudio.pause();
    aVideo.pause();
    await sendMedia(pub, 10, { firstKeyframe: false });
    await waitFor('b gets the batch sent while a is paused', () => received(b, bVideo) === 60 && received(b, bAudio) === 20);
    expect([received(a, aAudio), received(a, aVideo)]).toEqual([10, 30]);

    aAudio.resume();
    aVideo.resume();
    await sendMedia(pub, 10, { firstKeyframe: true });
    await waitFor('a after resume', () => received(a, aVideo) === 60 && received(a, aAudio) === 20);
    for (const c of [aAudio, aVideo]) {
      const got = a.sub.packets(c.ssrc);
      expect(contiguous(got.map((p) => p.sequenceNumber)), `${c.kind} has no gap`).toBe(true);
      const sent = c.kind === 'audio' ? pub.sent.audio : pub.sent.video;
      const resumed = got.slice(got.length / 2);
      resumed.forEach((p, i) => expect(p.payload.equals(sent[sent.length - resumed.length + i])).toBe(true));
    }

    video!.pause();
    await sendMedia(pub, 5, { firstKeyframe: false });
    await waitFor('audio keeps flowing while video is paused', () => received(b, bAudio) === 35);
    expect(received(b, bVideo)).toBe(90);
    video!.resume();
    await sendMedia(pub, 5, { firstKeyframe: true });
    await waitFor('video after the producer resumed', () => received(b, bVideo) === 105 && received(a, aVideo) === 75);
    expect(contiguous(b.sub.packets(bVideo.ssrc).map((p) => p.sequenceNumber))).toBe(true);
  });

  it('closing a transport closes what hangs off it, frees its UDP port, its native SRTP context and stops its timer', async () => {
    const contexts = () => nativeUdp?.liveContexts() ?? 0;
    const contextsBefore = contexts();
    const sources = () => nativeUdp?.liveSources() ?? 0;
    const sourcesBefore = sources();
    const router = newRouter();
    const { transport: pubTransport, audio, video } = await publisher(router);
    const s1 = await subscriber(router, [audio, video]);
    const s2 = await subscriber(router, [audio, video]);
    expect(router.counts()).toEqual({ transports: 3, producers: 2, consumers: 4, pipes: 0, timers: 4 });
    // One outbound SRTP context per connected transport in the native send step (when it is built).
    expect(contexts()).toBe(contextsBefore + (nativeUdp ? 3 : 0));
    // Each consumer's output (a video consumer's retransmission slab, an audio consumer's rewrite
    // buffer) is a send source, read without a copy.
    expect(sources()).toBe(sourcesBefore + (nativeUdp ? 4 : 0));

    const port = s1.transport.port;
    s1.transport.close();
    s1.transport.close(); // idempotent
    expect(router.counts()).toEqual({ transports: 2, producers: 2, consumers: 2, pipes: 0, timers: 3 });
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, '127.0.0.1', () => resolve());
    });
    socket.close();

    const renegotiations = s2.sub.negotiations;
    pubTransport.close();
    expect(router.counts()).toEqual({ transports: 1, producers: 0, consumers: 0, pipes: 0, timers: 2 });
    expect(s2.consumers.every((c) => c.closed)).toBe(true);
    await waitFor('subscriber told the tracks are gone', () => s2.sub.negotiations > renegotiations && s2.transport.signalingState === 'stable');
    expect(s2.transport.mids).toHaveLength(2);

    router.close();
    expect(router.counts()).toEqual({ transports: 0, producers: 0, consumers: 0, pipes: 0, timers: 0 });
    expect(contexts()).toBe(contextsBefore);
    expect(sources()).toBe(sourcesBefore);
    await expect(router.createWebRtcTransport()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('recovers every packet through NACK and RTX when 3% of the packets towards a subscriber are lost', async () => {
    const router = newRouter();
    const { pub, video } = await publisher(router, { video: true });
    let dropped = 0;
    let lossy = true;
    const transport = await router.createWebRtcTransport({
      outgoingRtpLossFilter: (info) => {
        const drop = lossy && !info.retransmission && info.sequenceNumber % 33 === 7;
        if (drop) dropped++;
        return drop;
      },
    });
    const sub = TestSubscriber.attach(transport);
    cleanups.push(() => sub.close());
    const consumer = transport.consume(video!);
    await sub.ready();

    await sendMedia(pub, 100);
    // A loss is only noticed when a later packet arrives: end with a few frames that all get through.
    lossy = false;
    await sendMedia(pub, 3, { firstKeyframe: false });
    const total = pub.sent.video.length;
    await waitFor('every packet, repaired', () => new Set(sub.packets(consumer.ssrc).map((p) => p.sequenceNumber)).size === total, 20_000);
    expect(consumer.rtxSsrc).toBeDefined(); // answered as RTX (RFC 4588)
    expect(dropped).toBeGreaterThanOrEqual(8);
    expect(consumer.retransmissionsSent).toBeGreaterThanOrEqual(dropped);
    const seqs = sortedSeqs(sub.packets(consumer.ssrc));
    expect(seqs).toHaveLength(total);
    expect(contiguous(seqs)).toBe(true);
    const bySeq = new Map(sub.packets(consumer.ssrc).map((p) => [p.sequenceNumber, p.payload]));
    seqs.forEach((seq, i) => expect(bySeq.get(seq)?.equals(pub.sent.video[i])).toBe(true));
  });

  it('simulcast: a subscriber rendering small gets layer l, one rendering large gets layer h, each as one continuous stream', async () => {
    const router = newRouter();
    const transport = await router.createWebRtcTransport();
    const pub = await TestSimulcastPublisher.connect(transport, [
      { rid: 'l', width: 320, height: 180, packets: 1, size: 100 },
      { rid: 'm', width: 640, height: 360, packets: 1, size: 200 },
      { rid: 'h', width: 1280, height: 720, packets: 2, size: 300 },
    ]);
    cleanups.push(() => pub.close());
    await waitFor('simulcast producer', () => transport.producers.size === 1);
    const video = [...transport.producers.values()][0];
    expect(video.simulcast).toBe(true);
    const small = await subscriber(router, [video], { viewport: { width: 160, height: 90 } });
    const large = await subscriber(router, [video], { viewport: { width: 1280, height: 720 } });
    const [smallC] = small.consumers;
    const [largeC] = large.consumers;

    let sending = true;
    const loop = (async () => {
      for (let f = 0; sending; f++) {
        await pub.sendFrame(f % 10 === 0);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    try {
      await waitFor('small subscriber on layer l', () => smallC.currentLayer === 0 && small.sub.packets(smallC.ssrc).length >= 20);
      await waitFor('large subscriber on layer h', () => largeC.currentLayer === 2, 20_000);
      const atSwitch = large.sub.packets(largeC.ssrc).length;
      await waitFor('layer h flowing', () => large.sub.packets(largeC.ssrc).length >= atSwitch + 40);
    } finally {
      sending = false;
      await loop;
    }
    const layerOf = (p: { payload: Buffer }) => p.payload[LAYER_MARKER_OFFSET];
    const smallPackets = small.sub.packets(smallC.ssrc);
    expect(smallPackets.every((p) => layerOf(p) === 0)).toBe(true);
    expect(smallC.currentLayer).toBe(0);
    const largePackets = large.sub.packets(largeC.ssrc);
    expect(largePackets.slice(-40).every((p) => layerOf(p) === 2)).toBe(true);
    expect(contiguous(sortedSeqs(largePackets))).toBe(true);
    expect(contiguous(sortedSeqs(smallPackets))).toBe(true);
    expect(new Set(largePackets.map((p) => p.ssrc))).toEqual(new Set([largeC.ssrc]));
  });

  it('sends TWCC feedback and receiver reports to the publisher, sender reports to subscribers, and one PLI per interval for a burst of PLIs', async () => {
    const router = newRouter();
    const { pub, video } = await publisher(router, { video: true });
    const atPublisher = { twcc: 0, rr: 0, pli: 0 };
    pub.pc.dtlsTransports[0].onRtcp.subscribe((p) => {
      if (p instanceof RtcpTransportLayerFeedback && p.feedback instanceof TransportWideCC) atPublisher.twcc++;
      if (p instanceof RtcpRrPacket && p.reports.some((r) => r.ssrc === video!.streams[0]!.ssrc)) atPublisher.rr++;
      if (p instanceof RtcpPayloadSpecificFeedback && p.feedback instanceof PictureLossIndication) atPublisher.pli++;
    });
    const subs = await Promise.all([1, 2, 3].map(() => subscriber(router, [video])));
    const srs = new Map<number, number>();
    for (const { sub } of subs) {
      sub.pc.dtlsTransports[0].onRtcp.subscribe((p) => {
        if (p instanceof RtcpSrPacket) srs.set(p.ssrc, (srs.get(p.ssrc) ?? 0) + 1);
      });
    }
    let sending = true;
    const loop = (async () => {
      for (let f = 0; sending; f++) {
        pub.sendVideoFrame(f % 30 === 0);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    try {
      await waitFor('TWCC feedback and a receiver report at the publisher', () => atPublisher.twcc >= 3 && atPublisher.rr >= 1);
      await waitFor('sender reports at every subscriber', () => subs.every(({ consumers }) => (srs.get(consumers[0].ssrc) ?? 0) >= 1));

      // Let the keyframe requests of the subscribers' setup play out, then burst 15 PLIs.
      const ssrc = video!.streams[0]!.ssrc;
      await waitFor('no keyframe request pending', () => !video!.keyframeRequester.isPending(ssrc));
      const before = atPublisher.pli;
      await Promise.all(
        subs.flatMap(({ sub, consumers }) => {
          const receiver = sub.pc.getTransceivers().find((t) => t.kind === 'video')!.receiver;
          return Array.from({ length: 5 }, () => receiver.sendRtcpPLI(consumers[0].ssrc));
        }),
      );
      await waitFor('the burst reached the publisher', () => atPublisher.pli > before);
      await waitFor('the throttled request fired', () => !video!.keyframeRequester.isPending(ssrc));
      await new Promise((r) => setTimeout(r, 100)); // delivery of an RTCP packet already sent
      expect(atPublisher.pli - before).toBeLessThanOrEqual(2);
    } finally {
      sending = false;
      await loop;
    }
  });
});
