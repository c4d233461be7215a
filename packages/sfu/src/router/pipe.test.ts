import { afterEach, describe, expect, it } from 'vitest';
import { memoryChannelPair, type PacketChannel } from '../transport/packet-channel';
import { Router } from './router';
import { contiguous, expectEveryPacket, sortedSeqs, TestPublisher, TestSubscriber, waitFor } from './testing/werift-peers';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Routers a and b of this thread, and a publisher of audio and video on a. */
async function twoRoutersAndAPublisher() {
  const a = new Router({ transport: { listenIp: '127.0.0.1', portRange: [47600, 47699] } });
  const b = new Router({ transport: { listenIp: '127.0.0.1', portRange: [47600, 47699] } });
  cleanups.push(() => a.close(), () => b.close());
  const pubTransport = await a.createWebRtcTransport();
  const pub = await TestPublisher.connect(pubTransport);
  cleanups.push(() => pub.close());
  await waitFor('producers', () => a.producers.size === 2);
  return { a, b, pubTransport, pub };
}

describe('Router.pipeToRouter', () => {
  it('makes a producer available in another router under the same id, so subscribers of both get every packet; closing the source closes the copy', async () => {
    const { a, b, pubTransport, pub } = await twoRoutersAndAPublisher();
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

  it('repairs video lost on the pipe: the far side NACKs through the pipe, the source side resends, far viewers get every packet', async () => {
    const { a, b, pubTransport, pub } = await twoRoutersAndAPublisher();

    // A channel from a to b that loses every 7th RTP frame the first time it goes through (a full
    // socket buffer, a lossy link); resends and everything else pass.
    const [ea, eb] = memoryChannelPair();
    let rtpFrames = 0;
    let losing = true;
    const dropped: string[] = [];
    const lossy: PacketChannel = {
      send: (frame) => {
        if (frame[0] === 0x01 && losing) {
          const key = `${frame.readUInt32BE(4 + 8)}:${frame.readUInt16BE(4 + 2)}`;
          if (++rtpFrames % 7 === 0 && !dropped.includes(key)) {
            dropped.push(key);
            return;
          }
        }
        ea.send(frame);
      },
      onFrame: (h) => ea.onFrame(h),
      close: () => ea.close(),
    };
    const out = a.createPipeTransport(lossy);
    const back = b.createPipeTransport(eb);
    const sources = [...a.producers.values()];
    const copies = sources.map((p) => back.produce(out.consume(p)));

    const t = await b.createWebRtcTransport();
    const sub = TestSubscriber.attach(t);
    cleanups.push(() => sub.close());
    const consumers = copies.map((p) => t.consume(p));
    await sub.ready();
    for (let i = 0; i < 63; i++) {
      // A loss is only noticed when a later packet arrives: the last frames all get through.
      losing = i < 60;
      pub.sendVideoFrame(i === 0);
      pub.sendAudio();
      await new Promise((r) => setTimeout(r, 4));
    }
    const video = consumers.find((c) => c.kind === 'video')!;
    const total = pub.sent.video.length;
    await waitFor('every video packet, repaired', () => new Set(sub.packets(video.ssrc).map((p) => p.sequenceNumber)).size === total);
    const seqs = sortedSeqs(sub.packets(video.ssrc));
    expect(seqs).toHaveLength(total);
    expect(contiguous(seqs)).toBe(true);
    const bySeq = new Map(sub.packets(video.ssrc).map((p) => [p.sequenceNumber, p.payload]));
    seqs.forEach((seq, i) => expect(bySeq.get(seq)?.equals(pub.sent.video[i]), `video payload ${i}`).toBe(true));
    const videoSource = sources.find((p) => p.kind === 'video')!;
    const pipeConsumer = [...out.pipeConsumers.values()].find((pc) => pc.producer === videoSource)!;
    expect(dropped.length).toBeGreaterThan(10);
    expect(pipeConsumer.packetsResent).toBeGreaterThanOrEqual(dropped.filter((k) => k.startsWith(`${videoSource.streams[0]!.ssrc}:`)).length);
    // Audio is not NACKed (Opus is not repaired; its losses are concealed): what the pipe lost stays lost.
    const audio = consumers.find((c) => c.kind === 'audio')!;
    await waitFor('audio', () => sub.packets(audio.ssrc).length > 0);
    expect(sub.packets(audio.ssrc).length).toBeLessThan(pub.sent.audio.length);
  });
});
