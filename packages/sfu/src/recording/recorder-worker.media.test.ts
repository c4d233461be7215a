// The recorder tap inside an SFU worker, next to a live subscriber of the same producers: the
// subscriber receives every packet, byte for byte, while a recorder writes the file — and also
// while a recorder whose write queue is far too small drops (and counts) nearly everything. And a
// recording still running when its worker thread is stopped (server shutdown) is a finished file.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { contiguous, type SubscriberSignaling, TestPublisher, TestSubscriber, waitFor } from '../router/testing/werift-peers';
import { SfuWorker } from '../worker/sfu-worker';
import { hasFfmpeg } from '../testing/ffmpeg';


const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A werift publisher of audio and video on a transport of router `routerId` in worker `w`. */
async function publishIn(w: SfuWorker, routerId: string) {
  const { transportId } = await w.request('transport.create', { routerId });
  let producers: Array<{ id: string; kind: string }> = [];
  const pub = await TestPublisher.connect(async (offer) => {
    const res = await w.request('transport.processOffer', { transportId, sdp: offer });
    producers = res.producers;
    return res.answer;
  });
  cleanups.push(() => pub.close());
  return { pub, producers };
}

describe('recorders in an SFU worker', () => {
  it('never disturb forwarding: a subscriber gets every packet while one recorder writes and a starved one drops and counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podium-rec-worker-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const w = SfuWorker.inThread();
    cleanups.push(() => w.close());
    const { routerId } = await w.request('router.create', { settings: { transport: { listenIp: '127.0.0.1', portRange: [47900, 47999] } } });
    const { pub, producers } = await publishIn(w, routerId);
    const video = producers.find((p) => p.kind === 'video')!;
    const audio = producers.find((p) => p.kind === 'audio')!;

    const sub = await w.request('transport.create', { routerId });
    const signaling: SubscriberSignaling = {
      createOffer: async () => (await w.request('transport.createOffer', { transportId: sub.transportId })).sdp,
      processAnswer: async (sdp) => {
        await w.request('transport.processAnswer', { transportId: sub.transportId, sdp });
      },
      onNegotiationNeeded: (listener) => w.channel.on('transport.negotiationneeded', (e) => e.transportId === sub.transportId && listener()),
      settled: () => true,
    };
    const subscriber = TestSubscriber.attachRemote(signaling);
    cleanups.push(() => subscriber.close());
    const consumers = [await w.request('transport.consume', { transportId: sub.transportId, producerId: video.id }), await w.request('transport.consume', { transportId: sub.transportId, producerId: audio.id })];
    await subscriber.ready();

    await expect(w.request('recorder.start', { routerId, producerId: 'prd_nope', path: join(dir, 'x.webm') })).rejects.toMatchObject({ code: 'PRODUCER_NOT_FOUND' });
    const good = await w.request('recorder.start', { routerId, producerId: video.id, path: join(dir, 'video.webm') });
    const audioRec = await w.request('recorder.start', { routerId, producerId: audio.id, path: join(dir, 'audio.webm') });
    const starved = await w.request('recorder.start', { routerId, producerId: video.id, path: join(dir, 'starved.webm'), maxQueuedBytes: 1 });
    expect(good).toMatchObject({ kind: 'video', codec: 'video/VP8' });

    for (let i = 0; i < 60; i++) {
      pub.sendVideoFrame(i % 20 === 0);
      pub.sendAudio();
      await new Promise((r) => setTimeout(r, 5));
    }
    for (const c of consumers) {
      const sent = c.kind === 'audio' ? pub.sent.audio : pub.sent.video;
      await waitFor(`${c.kind} to the subscriber`, () => subscriber.packets(c.ssrc).length === sent.length);
      const got = subscriber.packets(c.ssrc);
      expect(contiguous(got.map((p) => p.sequenceNumber))).toBe(true);
      got.forEach((p, i) => expect(p.payload.equals(sent[i])).toBe(true));
    }

    const running = await w.request('recorder.stats', { recorderId: good.recorderId });
    expect(running.packets).toBe(pub.sent.video.length);
    const [v, a, s] = await Promise.all([good, audioRec, starved].map((r) => w.request('recorder.stop', { recorderId: r.recorderId })));
    expect(v).toMatchObject({ frames: 60, droppedPackets: 0, lostPackets: 0, writeError: null });
    expect(statSync(join(dir, 'video.webm')).size).toBe(v.bytes);
    expect(a).toMatchObject({ frames: 60, droppedPackets: 0 });
    // The starved recorder could queue nothing beyond its header: every frame's packets were dropped and counted.
    expect(s.frames).toBe(0);
    expect(s.droppedPackets).toBe(pub.sent.video.length);
    await expect(w.request('recorder.stop', { recorderId: good.recorderId })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it.skipIf(!hasFfmpeg)('finishes a running recording when its worker thread is stopped: the file has its duration and every frame', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podium-rec-close-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const w = await SfuWorker.start();
    cleanups.push(() => w.close());
    const { routerId } = await w.request('router.create', { settings: { transport: { listenIp: '127.0.0.1', portRange: [0, 0] } } });
    const { pub, producers } = await publishIn(w, routerId);
    const video = producers.find((p) => p.kind === 'video')!;
    const path = join(dir, 'video.webm');
    const { recorderId } = await w.request('recorder.start', { routerId, producerId: video.id, path });
    for (let i = 0; i < 40; i++) {
      pub.sendVideoFrame(i % 20 === 0);
      await new Promise((r) => setTimeout(r, 10));
    }
    await expect.poll(async () => (await w.request('recorder.stats', { recorderId })).packets, { timeout: 15_000 }).toBe(pub.sent.video.length);
    // No recorder.stop: the server is shutting down and stops the thread (the publisher still sends).
    const sending = setInterval(() => pub.sendVideoFrame(false), 5);
    try {
      await w.close();
    } finally {
      clearInterval(sending);
    }
    const { stdout } = await promisify(execFile)('ffprobe', ['-v', 'error', '-count_packets', '-show_entries', 'format=duration:stream=nb_read_packets', '-of', 'json', path]);
    const probe = JSON.parse(stdout) as { format: { duration?: string }; streams: { nb_read_packets: string }[] };
    expect(Number(probe.streams[0]?.nb_read_packets)).toBeGreaterThanOrEqual(40);
    // 40 frames 10 ms or more apart: the Duration the finished file carries (an unfinished one has none).
    expect(Number(probe.format.duration)).toBeGreaterThan(0.3);
  });
});
