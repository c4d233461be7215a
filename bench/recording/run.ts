/**
 * `npm run bench:recording`: what recording costs.
 *
 * 1. The recorder tap alone, in this process: CPU µs per recorded packet of RecordingSink (reorder
 *    window, VP8/Opus depacketizing, WebM muxing, the write queue) on synthetic VP8 (≈1.1 kB
 *    packets, 3 per frame) and Opus packets, writing to a file and to a writer that discards.
 * 2. The running SFU with and without recording, in the same run: bench:sfu's processes (the SFU
 *    alone in its process on SFU_WORKERS worker threads, default 1 so forwarding and recording share
 *    a thread; one simulcast publisher; N counting subscribers), windows alternating off / on
 *    (recording the publisher's high layer and audio to a spool folder), SFU CPU µs per forwarded
 *    packet in each. Target (issue 5): recording adds at most 15 % to the forwarding cost.
 *
 * Env: N=50 subscribers, WINDOW_S=8, ROUNDS=3 (off/on pairs), SFU_WORKERS=1, BOT_PROCESSES=2,
 * SINK_PACKETS=200000, BENCH_RECORD=0 (print only).
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRtp } from '../../packages/sfu/src/rtp/rtp-packet';
import { buildRtp } from '../../packages/sfu/src/testing/rtp-builder';
import { openFileWriter } from '../../packages/sfu/src/recording/file-writer';
import { RecordingSink, type RecordingWriter } from '../../packages/sfu/src/recording/recording-sink';
import { recordBenchmark } from '../lib/report';
import { Child, connectPublisher } from '../sfu/ipc';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const N = Number(process.env.N ?? 50);
const WINDOW_S = Number(process.env.WINDOW_S ?? 8);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const BOT_PROCESSES = Number(process.env.BOT_PROCESSES ?? 2);
const SINK_PACKETS = Number(process.env.SINK_PACKETS ?? 200_000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- 1. the sink alone ----------------------------------------------------------------------------

function vp8Packets(count: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const frame = Math.floor(i / 3);
    const part = i % 3;
    const body = Buffer.alloc(1100, i & 0xff);
    const key = frame % 60 === 0 && part === 0;
    if (part === 0) body[0] = key ? 0x10 : 0x11;
    if (key) {
      body[3] = 0x9d;
      body[4] = 0x01;
      body[5] = 0x2a;
      body.writeUInt16LE(1280, 6);
      body.writeUInt16LE(720, 8);
    }
    const desc = Buffer.from([0x80 | (part === 0 ? 0x10 : 0), 0x80, 0x80 | ((frame >> 8) & 0x7f), frame & 0xff]);
    out.push(buildRtp({ payloadType: 96, sequenceNumber: i & 0xffff, timestamp: (frame * 3000) >>> 0, ssrc: 1, marker: part === 2, payload: Buffer.concat([desc, body.subarray(0, part === 0 ? 1100 : 1096)]) }));
  }
  return out;
}

function opusPackets(count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => buildRtp({ payloadType: 111, sequenceNumber: i & 0xffff, timestamp: (i * 960) >>> 0, ssrc: 2, payload: Buffer.alloc(120, i & 0xff) }));
}

const discard: RecordingWriter = { write: async () => undefined, writeAt: async () => undefined, close: async () => undefined };

async function sinkCost(codec: 'vp8' | 'opus', writer: RecordingWriter): Promise<{ usPerPacket: number; frames: number; dropped: number }> {
  const packets = codec === 'vp8' ? vp8Packets(SINK_PACKETS) : opusPackets(SINK_PACKETS);
  const parsed = packets.map((b) => parseRtp(b)!);
  // Warm-up on a separate sink, so the measured one runs optimized code.
  const warm = new RecordingSink({ id: 'w', codec, clockRate: codec === 'vp8' ? 90_000 : 48_000, writer: discard, requestKeyframe: () => undefined });
  for (let i = 0; i < Math.min(20_000, parsed.length); i++) warm.forward(parsed[i], false, i, 0);
  await warm.finish();
  const sink = new RecordingSink({ id: 's', codec, clockRate: codec === 'vp8' ? 90_000 : 48_000, writer, requestKeyframe: () => undefined, maxQueuedBytes: 64 * 1024 * 1024 });
  const c0 = process.cpuUsage();
  // In batches with a turn of the event loop between them, as packets arrive on a real socket (writes complete meanwhile).
  for (let i = 0; i < parsed.length; i++) {
    sink.forward(parsed[i], false, i * 0.1, 0);
    if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
  }
  const stats = await sink.finish();
  const c = process.cpuUsage(c0);
  return { usPerPacket: (c.user + c.system) / parsed.length, frames: stats.frames, dropped: stats.droppedPackets };
}

// ---- 2. the SFU with and without recording -------------------------------------------------------------

interface HostStats {
  cpuUs: number;
  forwarded: number;
  threadCpuUs: number[];
}
interface BotStatus {
  connected: number;
  receiving: number;
  expected: number;
  received: number;
}

const live = new Set<Child>();
async function stopAll(): Promise<void> {
  await Promise.all([...live].map((c) => c.stop().catch(() => {})));
  live.clear();
}
function start(name: string, file: string, env: Record<string, string> = {}): Child {
  const c = Child.start(name, here(file), ['--expose-gc'], env);
  live.add(c);
  return c;
}

async function sumBots(bots: Child[]): Promise<BotStatus> {
  const all = await Promise.all(bots.map((b) => b.request<BotStatus>('status')));
  return all.reduce((t, s) => ({ connected: t.connected + s.connected, receiving: t.receiving + s.receiving, expected: t.expected + s.expected, received: t.received + s.received }), { connected: 0, receiving: 0, expected: 0, received: 0 });
}

interface Window {
  recording: boolean;
  usPerPkt: number;
  fwdPps: number;
  lossPct: number;
}

async function sfuWindows(spool: string): Promise<{ windows: Window[]; recorded: unknown }> {
  const host = start('sfu-host', '../sfu/sfu-host.ts', { SFU_MODE: 'ours', SFU_WORKERS: process.env.SFU_WORKERS ?? '1' });
  const pub = start('publisher', '../sfu/bot-publisher.ts');
  const bots = Array.from({ length: BOT_PROCESSES }, (_, i) => start(`bots-${i}`, '../sfu/bot-subscribers.ts'));
  try {
    await connectPublisher(host, pub);
    const ids = Array.from({ length: N }, (_, i) => `s${i}`);
    await Promise.all(bots.map(async (bot, b) => {
      const offers = await host.request<Array<{ id: string; offer: string }>>('subscribe', { ids: ids.filter((_, i) => i % BOT_PROCESSES === b) });
      const answers = await bot.request<Array<{ id: string; sdp: string }>>('join', { offers });
      await host.request('answer', { answers });
    }));
    const joinBy = Date.now() + 30_000;
    while ((await sumBots(bots)).receiving < N) {
      if (Date.now() > joinBy) throw new Error('subscribers did not all receive video');
      await sleep(100);
    }
    await sleep(2000);
    const windows: Window[] = [];
    let recorded: unknown = null;
    for (let round = 0; round < ROUNDS; round++) {
      for (const recording of [false, true]) {
        if (recording) await host.request('record', { dir: join(spool, `round-${round}`) });
        await sleep(1000);
        await host.request<HostStats>('stats');
        const h0 = await host.request<HostStats>('stats');
        const b0 = await sumBots(bots);
        const t0 = performance.now();
        await sleep(WINDOW_S * 1000);
        const h1 = await host.request<HostStats>('stats');
        const b1 = await sumBots(bots);
        const s = (performance.now() - t0) / 1000;
        const fwd = h1.forwarded - h0.forwarded;
        windows.push({
          recording, usPerPkt: fwd > 0 ? h1.cpuUs / fwd : NaN, fwdPps: fwd / s,
          lossPct: b1.expected - b0.expected > 0 ? Math.max(0, (1 - (b1.received - b0.received) / (b1.expected - b0.expected)) * 100) : 100,
        });
        console.log(`round ${round} recording=${recording}: ${windows.at(-1)!.usPerPkt.toFixed(2)} µs/pkt, ${windows.at(-1)!.fwdPps.toFixed(0)} pkt/s, loss ${windows.at(-1)!.lossPct.toFixed(2)} %`);
        if (recording) recorded = await host.request('record', { dir: null });
      }
    }
    return { windows, recorded };
  } finally {
    await stopAll();
  }
}

function cpuModel(): string {
  try {
    return /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const nproc = execSync('nproc').toString().trim();
  const loadBefore = loadavg().map((l) => l.toFixed(2)).join(' ');
  const dir = mkdtempSync(join(tmpdir(), 'podium-bench-rec-'));
  try {
    const file = async (name: string) => openFileWriter(join(dir, name));
    const sink = {
      vp8File: await sinkCost('vp8', await file('v.webm')),
      vp8Discard: await sinkCost('vp8', discard),
      opusFile: await sinkCost('opus', await file('a.webm')),
      opusDiscard: await sinkCost('opus', discard),
    };
    console.log(JSON.stringify(sink));
    const { windows, recorded } = await sfuWindows(join(dir, 'spool'));
    const loadAfter = loadavg().map((l) => l.toFixed(2)).join(' ');
    const off = windows.filter((w) => !w.recording).map((w) => w.usPerPkt);
    const on = windows.filter((w) => w.recording).map((w) => w.usPerPkt);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const extra = ((median(on) - median(off)) / median(off)) * 100;
    const pairs = windows.reduce<string[]>((acc, w, i) => (w.recording ? [...acc, `${windows[i - 1].usPerPkt.toFixed(2)} → ${w.usPerPkt.toFixed(2)}`] : acc), []);
    const f = (v: number) => v.toFixed(2);
    const rec = (recorded as { frames: number; droppedPackets: number; bytes: number }[] | null) ?? [];
    const body = [
      `Machine: \`nproc\` = ${nproc}, ${cpuModel()}; load average before ${loadBefore}, after ${loadAfter} (shared machine: other sessions were running).`,
      '',
      `**The recorder tap alone** (RecordingSink in this process, ${SINK_PACKETS.toLocaleString('en')} packets: VP8 ≈ 1.1 kB, 3 per frame, keyframe every 60 frames; Opus 120 B), CPU per recorded packet including reorder window, depacketizing, WebM muxing and the write queue:`,
      '',
      '| track | writer | µs / packet | frames | dropped |',
      '|---|---|---|---|---|',
      `| VP8 | file (async fs) | **${f(sink.vp8File.usPerPacket)}** | ${sink.vp8File.frames} | ${sink.vp8File.dropped} |`,
      `| VP8 | discard | ${f(sink.vp8Discard.usPerPacket)} | ${sink.vp8Discard.frames} | ${sink.vp8Discard.dropped} |`,
      `| Opus | file (async fs) | **${f(sink.opusFile.usPerPacket)}** | ${sink.opusFile.frames} | ${sink.opusFile.dropped} |`,
      `| Opus | discard | ${f(sink.opusDiscard.usPerPacket)} | ${sink.opusDiscard.frames} | ${sink.opusDiscard.dropped} |`,
      '',
      `**Forwarding with and without recording, same run** (bench:sfu's processes: SFU alone in its process on ${process.env.SFU_WORKERS ?? '1'} worker thread(s), 1 simulcast publisher ≈ 225 packets/s in, ${N} counting subscribers of the high layer in ${BOT_PROCESSES} processes; ${ROUNDS} rounds of a ${WINDOW_S} s window without, then with, recording of the publisher's high layer and audio to a local spool folder). SFU process CPU µs per forwarded packet, off → on per round: ${pairs.join('; ')}. Loss in the windows: ${windows.map((w) => f(w.lossPct)).join(' / ')} %.`,
      '',
      `Median ${f(median(off))} µs/pkt without recording, ${f(median(on))} with: recording adds **${extra.toFixed(1)} %** to the forwarding cost (target ≤ 15 %: ${extra <= 15 ? 'met' : 'NOT met'}). Per forwarded packet the recorder handles 1/${N} of a packet per recorded stream (it taps the publisher's packets once, not each copy), so its share shrinks as the audience grows.`,
      rec.length ? `Last round's recorders: ${rec.map((r) => `${r.frames} frames, ${(r.bytes / 1024).toFixed(0)} KiB, ${r.droppedPackets} dropped`).join('; ')}.` : '',
    ].join('\n');
    if (process.env.BENCH_RECORD !== '0') recordBenchmark('bench:recording — the recorder tap and its cost on a running SFU', body);
    else console.log(body);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => void stopAll().then(() => process.exit(1)));
main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => stopAll());
