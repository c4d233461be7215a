/**
 * The SFU under test, alone in its process so its CPU, event-loop delay and RSS are its own.
 * SFU_MODE=ours: one Router of @podium/sfu (ICE-lite, our SRTP and RTP path).
 * SFU_MODE=werift: the naive baseline — a werift RTCPeerConnection per peer, forwarding the
 * publisher's high layer and audio with track.onReceiveRtp → writeRtp on every subscriber's track.
 * Controlled over IPC by run.ts: publish / subscribe / answer / stats / gc.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { MediaStreamTrack, type RTCPeerConnection, type RtpPacket } from 'werift';
import { type Producer, Router, type WebRtcTransport } from '../../packages/sfu/src/index';
import { loopbackPeer } from '../../packages/sfu/src/router/testing/werift-peers';
import { serve } from './ipc';

const mode = process.env.SFU_MODE === 'werift' ? 'werift' : 'ours';
const eld = monitorEventLoopDelay({ resolution: 5 });
eld.enable();

interface Sfu {
  publish(offer: string): Promise<string>;
  subscribe(id: string): Promise<string>;
  answer(id: string, sdp: string): Promise<void>;
  forwarded(): number;
  ready(): boolean;
}

function ours(): Sfu {
  const router = new Router({ transport: { listenIp: '127.0.0.1', portRange: [20000, 59999] }, maxTransports: 5000 });
  let producers: Producer[] = [];
  const subs = new Map<string, WebRtcTransport>();
  return {
    async publish(offer) {
      const t = await router.createWebRtcTransport();
      const out = await t.processOffer(offer);
      producers = out.producers;
      return out.answer;
    },
    async subscribe(id) {
      // A generous initial estimate: the bots send no transport-cc, and the benchmark asks for h.
      const t = await router.createWebRtcTransport({ initialAvailableBitrate: 20_000_000 });
      subs.set(id, t);
      for (const p of producers) t.consume(p, { viewport: { width: 1280, height: 720 } });
      return t.createOffer();
    },
    async answer(id, sdp) {
      await subs.get(id)!.processAnswer(sdp);
    },
    forwarded() {
      let n = 0;
      for (const t of subs.values()) n += t.stats.rtpSent;
      return n;
    },
    ready: () => producers.length === 2 && producers.every((p) => p.streams.some((s) => s !== undefined)),
  };
}

function naiveWerift(): Sfu {
  let audioIn: MediaStreamTrack | undefined;
  let videoIn: MediaStreamTrack | undefined;
  const subs = new Map<string, { pc: RTCPeerConnection; audio: MediaStreamTrack; video: MediaStreamTrack }>();
  let forwarded = 0;
  const fanOut = (kind: 'audio' | 'video') => (rtp: RtpPacket) => {
    for (const s of subs.values()) {
      if (s.pc.connectionState !== 'connected') continue;
      s[kind].writeRtp(rtp);
      forwarded++;
    }
  };
  return {
    async publish(offer) {
      const pc = loopbackPeer();
      // werift announces a simulcast receiver once; its per-rid tracks hang off the receiver.
      pc.onTransceiverAdded.subscribe((transceiver) => {
        const poll = setInterval(() => {
          const receiver = transceiver.receiver;
          if (transceiver.kind === 'audio' && !audioIn && receiver.tracks[0]) {
            audioIn = receiver.tracks[0];
            audioIn.onReceiveRtp.subscribe(fanOut('audio'));
          }
          const h = receiver.trackByRID.h;
          if (transceiver.kind === 'video' && !videoIn && h) {
            videoIn = h;
            h.onReceiveRtp.subscribe(fanOut('video'));
          }
          if ((transceiver.kind === 'audio' && audioIn) || (transceiver.kind === 'video' && videoIn)) clearInterval(poll);
        }, 20);
      });
      await pc.setRemoteDescription({ type: 'offer', sdp: offer });
      await pc.setLocalDescription(await pc.createAnswer());
      return pc.localDescription!.sdp;
    },
    async subscribe(id) {
      const pc = loopbackPeer();
      const audio = new MediaStreamTrack({ kind: 'audio' });
      const video = new MediaStreamTrack({ kind: 'video' });
      pc.addTransceiver(audio, { direction: 'sendonly' });
      pc.addTransceiver(video, { direction: 'sendonly' });
      await pc.setLocalDescription(await pc.createOffer());
      subs.set(id, { pc, audio, video });
      return pc.localDescription!.sdp;
    },
    async answer(id, sdp) {
      await subs.get(id)!.pc.setRemoteDescription({ type: 'answer', sdp });
    },
    forwarded: () => forwarded,
    ready: () => audioIn !== undefined && videoIn !== undefined,
  };
}

const sfu = mode === 'werift' ? naiveWerift() : ours();
let last = process.cpuUsage();
const profiler = new Session();
const post = (method: string) => new Promise<unknown>((resolve, reject) => profiler.post(method, (err, res) => (err ? reject(err) : resolve(res))));

serve({
  publish: async ({ offer }) => ({ answer: await sfu.publish(offer as string) }),
  ready: () => sfu.ready(),
  subscribe: async ({ ids }) => {
    const offers = await Promise.all((ids as string[]).map(async (id) => ({ id, offer: await sfu.subscribe(id) })));
    return offers;
  },
  answer: async ({ answers }) => {
    await Promise.all((answers as Array<{ id: string; sdp: string }>).map((a) => sfu.answer(a.id, a.sdp)));
    return true;
  },
  /** CPU profile of the measurement window (SFU_PROFILE=1 in run.ts). */
  profileStart: async () => {
    profiler.connect();
    await post('Profiler.enable');
    await post('Profiler.start');
    return true;
  },
  profileStop: async ({ file }) => {
    const { profile } = (await post('Profiler.stop')) as { profile: unknown };
    const dir = join(tmpdir(), 'podium-bench-sfu');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, String(file)), JSON.stringify(profile));
    profiler.disconnect();
    return true;
  },
  gc: () => {
    (globalThis as { gc?: () => void }).gc?.();
    return process.memoryUsage().rss;
  },
  /** CPU since the previous call, forwarded count, event-loop p99 since the previous call, RSS. */
  stats: () => {
    const cpu = process.cpuUsage(last);
    last = process.cpuUsage();
    const p99 = eld.percentile(99) / 1e6;
    const max = eld.max / 1e6;
    eld.reset();
    return { cpuUs: cpu.user + cpu.system, forwarded: sfu.forwarded(), eldP99Ms: p99, eldMaxMs: max, rss: process.memoryUsage().rss };
  },
});
