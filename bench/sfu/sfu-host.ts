/**
 * The SFU under test, alone in its process so its CPU, event-loop delay and RSS are its own.
 * SFU_MODE=ours: the embedded media plane as the server runs it — SFU worker threads (SFU_WORKERS,
 * default one per core) placed by the server's EmbeddedPlacement, which spreads a large event over
 * every worker (SPREAD_AFTER, default the server's) and pipes the publisher's producers to the
 * other workers' routers; everything through the workers' request channel.
 * SFU_MODE=werift: the naive baseline — a werift RTCPeerConnection per peer, forwarding the
 * publisher's high layer and audio with track.onReceiveRtp → writeRtp on every subscriber's track.
 * Controlled over IPC by run.ts: publish / subscribe / answer / stats / gc.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { EventId, ParticipantId } from '@podium/protocol';
import pino from 'pino';
import { MediaStreamTrack, type RTCPeerConnection, type RtpPacket } from 'werift';
import { EmbeddedPlacement, type RouterRef } from '../../apps/server/src/media/placement';
import { WorkerPool } from '../../apps/server/src/media/worker-pool';
import { type ProducerInfo, SfuWorker, type WorkerLoad } from '../../packages/sfu/src/index';
import { loopbackPeer } from '../../packages/sfu/src/router/testing/werift-peers';
import { serve } from './ipc';

const mode = process.env.SFU_MODE === 'werift' ? 'werift' : 'ours';
const eld = monitorEventLoopDelay({ resolution: 5 });
eld.enable();

/** What the SFU did so far: RTP packets sent, event-loop delay since the last call (worst thread), per-thread CPU. */
interface SfuCounters {
  forwarded: number;
  eldP99Ms: number;
  eldMaxMs: number;
  /** CPU µs of each SFU thread (cumulative), empty when the SFU is the main thread. */
  threadCpuUs: number[];
  /** Subscribers per SFU thread. */
  subscribersPerThread: number[];
  /** Rows of the native send step that had to go through node:dgram (full socket buffer) or failed, all threads; -1 without it. */
  nativeRetried?: number;
  nativeFailed?: number;
  /** Media packets deferred to a later event-loop turn (turn budget) / dropped with its queue full, all threads. */
  deferred?: number;
  overflowed?: number;
}

interface Sfu {
  publish(offer: string): Promise<string>;
  subscribe(id: string): Promise<string>;
  answer(id: string, sdp: string): Promise<void>;
  counters(): Promise<SfuCounters>;
  ready(): Promise<boolean>;
  diagnose(): Promise<unknown>;
  /** Starts (a folder) or stops (null) recording the publisher's producers (bench:recording; ours only). */
  record?(dir: string | null): Promise<unknown>;
  /** Closes the SFU's workers before the process exits (ours only). */
  close?(): Promise<void>;
}

const EVENT = 'evt_bench' as EventId;

function ours(): Sfu {
  // All N subscribers join at once: on a busy shared machine a worker's queue of requests can take
  // longer than the production timeout (10 s) to drain.
  const pool = new WorkerPool({ count: Number(process.env.SFU_WORKERS ?? 0), log: pino({ level: 'warn' }), start: () => SfuWorker.start({ timeoutMs: 60_000 }) });
  const placement = new EmbeddedPlacement({
    pool,
    // SFU_UDP_PORT: every transport of worker i on port SFU_UDP_PORT + i (the server's mediaUdpPort).
    router: { transport: { listenIp: '127.0.0.1', portRange: [20000, 59999], ...(process.env.SFU_UDP_PORT ? { udpPort: Number(process.env.SFU_UDP_PORT) } : {}) }, maxTransports: 5000 },
    spreadAfterParticipants: process.env.SPREAD_AFTER ? Number(process.env.SPREAD_AFTER) : undefined,
  });
  let publisher: RouterRef | undefined;
  let producers: ProducerInfo[] = [];
  const subs = new Map<string, { ref: RouterRef; transportId: string }>();
  let recorders: string[] = [];
  const loads = async (): Promise<Array<{ worker: RouterRef['worker']; load: WorkerLoad }>> =>
    Promise.all(pool.started.map(async (worker) => ({ worker, load: await worker.request('worker.stats', {}) })));
  return {
    async publish(offer) {
      const ref = await placement.routerFor(EVENT, 'prt_publisher' as ParticipantId);
      publisher = ref;
      const { transportId } = await ref.worker.request('transport.create', { routerId: ref.routerId });
      const out = await ref.worker.request('transport.processOffer', { transportId, sdp: offer });
      producers = out.producers;
      return out.answer;
    },
    async subscribe(id) {
      const ref = await placement.routerFor(EVENT, `prt_${id}` as ParticipantId);
      // A generous initial estimate: the bots send no transport-cc, and the benchmark asks for h.
      const { transportId } = await ref.worker.request('transport.create', { routerId: ref.routerId, settings: { initialAvailableBitrate: 20_000_000 } });
      subs.set(id, { ref, transportId });
      for (const p of producers) {
        const local = await placement.bring(p.id, publisher as RouterRef, ref);
        await ref.worker.request('transport.consume', { transportId, producerId: local, viewport: { width: 1280, height: 720 } });
      }
      return (await ref.worker.request('transport.createOffer', { transportId })).sdp;
    },
    async answer(id, sdp) {
      const s = subs.get(id)!;
      await s.ref.worker.request('transport.processAnswer', { transportId: s.transportId, sdp });
    },
    async counters() {
      const all = await loads();
      return {
        forwarded: all.reduce((n, x) => n + x.load.rtpSent, 0),
        eldP99Ms: Math.max(0, ...all.map((x) => x.load.eventLoopDelayP99Ms)),
        eldMaxMs: Math.max(0, ...all.map((x) => x.load.eventLoopDelayMaxMs)),
        threadCpuUs: all.map((x) => x.load.threadCpuUs),
        subscribersPerThread: all.map((x) => [...subs.values()].filter((s) => s.ref.worker === x.worker).length),
        nativeRetried: all.reduce((n, x) => n + ('retried' in x.load.nativeSend ? x.load.nativeSend.retried : Number.NaN), 0),
        nativeFailed: all.reduce((n, x) => n + ('failed' in x.load.nativeSend ? x.load.nativeSend.failed : Number.NaN), 0),
        deferred: all.reduce((n, x) => n + x.load.deferredPackets.deferred, 0),
        overflowed: all.reduce((n, x) => n + x.load.deferredPackets.overflowed, 0),
      };
    },
    close: () => placement.close(),
    async diagnose() {
      const all = await loads();
      const routers = await placement.stats();
      return { routers, workers: all.map((x) => x.load) };
    },
    async record(dir) {
      const ref = publisher as RouterRef;
      if (dir === null) {
        const stats = await Promise.all(recorders.map((recorderId) => ref.worker.request('recorder.stop', { recorderId })));
        recorders = [];
        return stats;
      }
      for (const p of producers) {
        const { recorderId } = await ref.worker.request('recorder.start', { routerId: ref.routerId, producerId: p.id, path: join(dir, `${p.id}.webm`) });
        recorders.push(recorderId);
      }
      return recorders.length;
    },
    async ready() {
      if (!publisher || producers.length !== 2) return false;
      const load = await publisher.worker.request('worker.stats', {});
      return load.rtpReceived > 100;
    },
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
    counters: async () => {
      const c = { forwarded, eldP99Ms: eld.percentile(99) / 1e6, eldMaxMs: eld.max / 1e6, threadCpuUs: [], subscribersPerThread: [] };
      eld.reset();
      return c;
    },
    ready: async () => audioIn !== undefined && videoIn !== undefined,
    diagnose: async () => ({ forwarded, subscribers: subs.size }),
  };
}

const sfu = mode === 'werift' ? naiveWerift() : ours();
// A clean exit on SIGTERM lets `node --cpu-prof` (SFU_NODE_FLAGS) write the profiles of every thread;
// the workers are closed first, as the server does (exiting with threads that handle datagrams can abort).
process.on('SIGTERM', () => {
  void Promise.resolve(sfu.close?.())
    .catch(() => undefined)
    .finally(() => process.exit(0));
});
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
  /** bench:recording: start recording into `dir`, or stop (dir null) and return the recorders' stats. */
  record: async ({ dir }) => {
    if (!sfu.record) throw new Error('recording needs SFU_MODE=ours');
    return sfu.record((dir as string | null) ?? null);
  },
  /** What the SFU threads hold and counted (for a step where subscribers got no video). */
  diagnose: () => sfu.diagnose(),
  gc: () => {
    (globalThis as { gc?: () => void }).gc?.();
    return process.memoryUsage().rss;
  },
  /** CPU of the whole process (every SFU thread) since the previous call, counters, RSS. */
  stats: async () => {
    const c = await sfu.counters();
    const cpu = process.cpuUsage(last);
    last = process.cpuUsage();
    return { cpuUs: cpu.user + cpu.system, ...c, rss: process.memoryUsage().rss };
  },
});
