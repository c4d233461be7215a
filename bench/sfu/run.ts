/**
 * `npm run bench:sfu`: 1 publisher bot (3-layer VP8 simulcast ~1.5 Mbps + Opus) → N counting
 * subscriber bots spread over BOT_PROCESSES processes, through the SFU under test in its own
 * process; a ladder of N for our SFU and a few steps of a naive werift forwarder, each step in
 * fresh processes. Measures forwarded packets/s, SFU CPU µs per forwarded packet, loss (from
 * sequence numbers of every received packet), event-loop delay p99, RSS per subscriber and join
 * time; prints a table and records it in docs/benchmarks.md.
 *
 * Env: SFU_LADDER="25,50,100,200,400,600,800,1000,1200", JS_LADDER="100,200" (our SFU with its native send step
 * turned off, PODIUM_NATIVE_UDP=0: the JavaScript SRTP + node:dgram path), WERIFT_LADDER="25,50,100", WINDOW_S=10,
 * BOT_PROCESSES=4, SFU_PROFILE=1 (CPU profile of the SFU's window at the last step of each ladder → $TMPDIR/podium-bench-sfu/<mode>-<N>.cpuprofile, open in Chrome DevTools;
 * SFU_PROFILE_PHASE=join profiles the joins instead).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { recordBenchmark } from '../lib/report';
import { Child, connectPublisher } from './ipc';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
const list = (v: string | undefined, d: number[]) => (v ? v.split(',').map(Number).filter((n) => n > 0) : d);
const SFU_LADDER = list(process.env.SFU_LADDER, [25, 50, 100, 200, 400, 600, 800, 1000, 1200]);
const WERIFT_LADDER = list(process.env.WERIFT_LADDER, [25, 50, 100]);
const JS_LADDER = list(process.env.JS_LADDER, [100, 200]);
const WINDOW_S = Number(process.env.WINDOW_S ?? 10);
/** Bots read their sockets every this many ms (polled-receiver.ts); 0: on every datagram. */
const BOT_POLL_MS = Number(process.env.BOT_POLL_MS ?? 5);
const BOT_PROCESSES = Number(process.env.BOT_PROCESSES ?? 4);
const WARMUP_MS = 2000;
const JOIN_TIMEOUT_MS = 30_000;
const CLK_TCK = 100;
/** A ladder stops after the first step with more loss than this (percent). */
const STOP_LOSS_PCT = Number(process.env.STOP_LOSS_PCT ?? 5);

type Mode = 'ours' | 'ours-js' | 'werift';
const LABEL: Record<Mode, string> = { ours: 'Podium SFU', 'ours-js': 'Podium SFU, JS send path', werift: 'naive werift' };

interface HostStats {
  cpuUs: number;
  forwarded: number;
  eldP99Ms: number;
  eldMaxMs: number;
  rss: number;
  threadCpuUs: number[];
  subscribersPerThread: number[];
  nativeRetried?: number;
  nativeFailed?: number;
  deferred?: number;
  overflowed?: number;
}
interface BotStatus {
  peers: number;
  connected: number;
  receiving: number;
  slowestFirstVideoMs: number;
  packets: number;
  expected: number;
  received: number;
  verified: number;
  verifyFailed: number;
  /** Peers whose socket a PolledReceiver reads (the rest get node:dgram events). */
  polled: number;
}

/** One measured step. */
interface StepResult {
  mode: Mode;
  n: number;
  joined: number;
  connectedMs: number;
  receivingMs: number;
  /** SFU CPU from the first join request until all were receiving (or the timeout), per subscriber. */
  joinCpuMsPerSub: number;
  fwdPps: number;
  usPerPkt: number;
  sfuCpuPct: number;
  /** Share of a core per SFU worker thread (empty when the SFU runs on the main thread). */
  threadCpuPct: number[];
  /** Subscribers placed on each SFU worker thread. */
  subscribersPerThread: number[];
  botCpuPct: number;
  /** Machine CPU used by neither the SFU nor the bots (publisher excluded too): orchestrator, other users. */
  otherCpuPct: number;
  lossPct: number;
  eldP99Ms: number;
  eldMaxMs: number;
  rssPerSubMb: number;
  rssMb: number;
  /** Native send rows in the window that went through node:dgram instead (full socket buffer) / failed. */
  nativeRetried?: number;
  nativeFailed?: number;
  /** Incoming media packets the SFU handled in a later event-loop turn (its per-turn budget) / dropped with that queue full. */
  deferred?: number;
  overflowed?: number;
  verified: number;
  verifyFailed: number;
  error?: string;
}

const live = new Set<Child>();
async function stopAll(): Promise<void> {
  await Promise.all([...live].map((c) => c.stop().catch(() => {})));
  live.clear();
}
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    void stopAll().then(() => process.exit(1));
  });
}

function start(name: string, file: string, flags: string[] = [], env: Record<string, string> = {}): Child {
  const c = Child.start(name, here(file), flags, env);
  live.add(c);
  return c;
}

/** utime+stime of a process in µs, from /proc. */
function procCpuUs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / CLK_TCK) * 1e6;
  } catch {
    return 0;
  }
}

/** Busy CPU time of the whole machine in µs (all cores), from /proc/stat. */
function machineBusyUs(): number {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const busy = f.reduce((a, b) => a + b, 0) - f[3] - (f[4] ?? 0);
    return (busy / CLK_TCK) * 1e6;
  } catch {
    return 0;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function sumBots(bots: Child[]): Promise<BotStatus> {
  const all = await Promise.all(bots.map((b) => b.request<BotStatus>('status')));
  const total: BotStatus = { peers: 0, connected: 0, receiving: 0, slowestFirstVideoMs: 0, packets: 0, expected: 0, received: 0, verified: 0, verifyFailed: 0, polled: 0 };
  for (const s of all) {
    for (const k of Object.keys(total) as Array<keyof BotStatus>) total[k] = k === 'slowestFirstVideoMs' ? Math.max(total[k], s[k]) : total[k] + s[k];
  }
  return total;
}

/**
 * Waits (up to QUIET_WAIT_S, default 60) until the machine's busy time outside this benchmark drops
 * under a third of a core over 2 s: other people's builds on this shared machine would otherwise
 * land in the window. Returns that share (the step still records its own "other" column).
 */
async function waitForQuiet(): Promise<number> {
  const until = Date.now() + Number(process.env.QUIET_WAIT_S ?? 60) * 1000;
  let other = 0;
  do {
    const m0 = machineBusyUs();
    const own0 = procCpuUs(process.pid);
    await sleep(2000);
    other = ((machineBusyUs() - m0 - (procCpuUs(process.pid) - own0)) / 2e6) * 100;
    if (other < 33) break;
  } while (Date.now() < until);
  return other;
}

async function runStep(mode: Mode, n: number, profile: boolean): Promise<StepResult> {
  const before = await waitForQuiet();
  if (before >= 33) console.error(`${mode} N=${n}: machine still ${before.toFixed(0)} % busy outside the benchmark; measuring anyway`);
  const flags = ['--expose-gc', ...(process.env.SFU_NODE_FLAGS ? process.env.SFU_NODE_FLAGS.split(' ') : [])];
  const host = start(`sfu-host(${mode})`, './sfu-host.ts', flags, mode === 'ours-js' ? { SFU_MODE: 'ours', PODIUM_NATIVE_UDP: '0' } : { SFU_MODE: mode });
  const pub = start('publisher', './bot-publisher.ts');
  const botCount = Math.max(1, Math.min(BOT_PROCESSES, n));
  const bots = Array.from({ length: botCount }, (_, i) => start(`bots-${i}`, './bot-subscribers.ts'));
  try {
    await connectPublisher(host, pub);
    await sleep(1000);
    const rss0 = await host.request<number>('gc');

    // Joins: all N at once, spread over the bot processes.
    const profileJoins = profile && process.env.SFU_PROFILE_PHASE === 'join';
    if (profileJoins) await host.request('profileStart');
    await host.request<HostStats>('stats');
    const t0 = performance.now();
    const ids = Array.from({ length: n }, (_, i) => `s${i}`);
    const groups = bots.map((_, b) => ids.filter((__, i) => i % botCount === b));
    await Promise.all(
      groups.map(async (group, b) => {
        const offers = await host.request<Array<{ id: string; offer: string }>>('subscribe', { ids: group });
        const answers = await bots[b].request<Array<{ id: string; sdp: string }>>('join', { offers });
        await host.request('answer', { answers });
      }),
    );
    let connectedMs = -1;
    let receivingMs = -1;
    let status = await sumBots(bots);
    while (performance.now() - t0 < JOIN_TIMEOUT_MS) {
      status = await sumBots(bots);
      if (connectedMs < 0 && status.connected === n) connectedMs = performance.now() - t0;
      if (status.receiving === n) {
        receivingMs = performance.now() - t0;
        break;
      }
      await sleep(50);
    }
    const joined = status.receiving;
    const joinCpuMsPerSub = (await host.request<HostStats>('stats')).cpuUs / 1000 / n;
    if (profileJoins) await host.request('profileStop', { file: `${mode}-${n}-join.cpuprofile` });
    if (joined < n) {
      const phases = await Promise.all(bots.map((b) => b.request<{ phases: Record<string, number> }>('status').then((x) => x.phases)));
      console.error(`${mode} N=${n}: ${joined} receiving after ${JOIN_TIMEOUT_MS} ms; phases per bot process: ${JSON.stringify(phases)}`);
      const diag = await host.request<Record<string, unknown>>('diagnose').catch((e: Error) => ({ error: e.message }));
      console.error(`${mode} N=${n}: publisher sent ${await pub.request<number>('sent').catch(() => -1)} packets; SFU: ${JSON.stringify(diag)}`);
    }

    await sleep(WARMUP_MS);
    if (profile && !profileJoins) await host.request('profileStart');
    const h0 = await host.request<HostStats>('stats');
    const b0 = await sumBots(bots);
    if (BOT_POLL_MS > 0 && b0.polled < b0.connected) console.error(`${mode} N=${n}: only ${b0.polled} of ${b0.connected} connected bots read by polling`);
    const botCpu0 = bots.reduce((s, b) => s + procCpuUs(b.pid), 0);
    const pubCpu0 = procCpuUs(pub.pid);
    const machine0 = machineBusyUs();
    const w0 = performance.now();
    await sleep(WINDOW_S * 1000);
    const h1 = await host.request<HostStats>('stats');
    const windowS = (performance.now() - w0) / 1000;
    if (profile && !profileJoins) await host.request('profileStop', { file: `${mode}-${n}.cpuprofile` });
    const b1 = await sumBots(bots);
    const botCpu1 = bots.reduce((s, b) => s + procCpuUs(b.pid), 0);
    const pubCpu1 = procCpuUs(pub.pid);
    const machine1 = machineBusyUs();
    const rss1 = await host.request<number>('gc');
    // The SFU's own count of RTP packets it sent in the window (the bots' count gives the loss).
    const fwd = h1.forwarded - h0.forwarded;
    return {
      mode,
      n,
      joined,
      connectedMs,
      receivingMs,
      joinCpuMsPerSub,
      fwdPps: fwd / windowS,
      usPerPkt: fwd > 0 ? h1.cpuUs / fwd : NaN,
      sfuCpuPct: (h1.cpuUs / (windowS * 1e6)) * 100,
      threadCpuPct: h1.threadCpuUs.map((t, i) => ((t - (h0.threadCpuUs[i] ?? 0)) / (windowS * 1e6)) * 100),
      subscribersPerThread: h1.subscribersPerThread,
      botCpuPct: ((botCpu1 - botCpu0) / (windowS * 1e6)) * 100,
      otherCpuPct: ((machine1 - machine0 - (botCpu1 - botCpu0) - (pubCpu1 - pubCpu0) - h1.cpuUs) / (windowS * 1e6)) * 100,
      lossPct: b1.expected - b0.expected > 0 ? Math.max(0, (1 - (b1.received - b0.received) / (b1.expected - b0.expected)) * 100) : 100,
      eldP99Ms: h1.eldP99Ms,
      eldMaxMs: h1.eldMaxMs,
      rssPerSubMb: (rss1 - rss0) / n / 2 ** 20,
      rssMb: rss1 / 2 ** 20,
      nativeRetried: (h1.nativeRetried ?? Number.NaN) - (h0.nativeRetried ?? Number.NaN),
      nativeFailed: (h1.nativeFailed ?? Number.NaN) - (h0.nativeFailed ?? Number.NaN),
      deferred: (h1.deferred ?? Number.NaN) - (h0.deferred ?? Number.NaN),
      overflowed: (h1.overflowed ?? Number.NaN) - (h0.overflowed ?? Number.NaN),
      verified: b1.verified - b0.verified,
      verifyFailed: b1.verifyFailed - b0.verifyFailed,
    };
  } finally {
    await stopAll();
  }
}

function row(r: StepResult): string {
  const f = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '—');
  if (r.error) return `| ${LABEL[r.mode]} | ${r.n} | failed: ${r.error.split('\n')[0].slice(0, 80)} | | | | | | | | | |`;
  const threads = r.threadCpuPct.length > 0 ? ` (${r.threadCpuPct.map((t) => f(t, 0)).join('+')})` : '';
  const placed = r.subscribersPerThread.length > 1 ? ` (${r.subscribersPerThread.join('+')})` : '';
  return `| ${LABEL[r.mode]} | ${r.n}${placed} | ${r.joined}/${r.n} | ${f(r.connectedMs / 1000, 2)} / ${f(r.receivingMs / 1000, 2)} (${f(r.joinCpuMsPerSub, 1)}) | ${f(r.fwdPps, 0)} | **${f(r.usPerPkt, 1)}** | ${f(r.sfuCpuPct, 0)}${threads} / ${f(r.botCpuPct, 0)} / ${f(r.otherCpuPct, 0)} % | ${f(r.lossPct, 2)} % | ${f(r.eldP99Ms, 1)} (${f(r.eldMaxMs, 0)}) | ${f(r.rssPerSubMb, 2)} | ${r.verified}/${r.verified + r.verifyFailed} |`;
}

async function main(): Promise<void> {
  const results: StepResult[] = [];
  const plan: Array<[Mode, number[]]> = [
    ['ours', SFU_LADDER],
    ['ours-js', JS_LADDER],
    ['werift', WERIFT_LADDER],
  ];
  for (const [mode, ladder] of plan) {
    for (const n of ladder) {
      const profile = process.env.SFU_PROFILE === '1' && n === ladder[ladder.length - 1];
      let r: StepResult;
      try {
        r = await runStep(mode, n, profile);
      } catch (e) {
        r = { mode, n, joined: 0, connectedMs: -1, receivingMs: -1, joinCpuMsPerSub: NaN, fwdPps: 0, usPerPkt: NaN, sfuCpuPct: 0, threadCpuPct: [], subscribersPerThread: [], botCpuPct: 0, otherCpuPct: 0, lossPct: 100, eldP99Ms: NaN, eldMaxMs: NaN, rssPerSubMb: NaN, rssMb: NaN, verified: 0, verifyFailed: 0, error: e instanceof Error ? e.message : String(e) };
      }
      results.push(r);
      console.log(row(r));
      if (r.error || r.joined < n || r.lossPct > STOP_LOSS_PCT) break;
    }
  }
  console.log(JSON.stringify(results));
  if (process.env.BENCH_RECORD !== '0') record(results);
}

function record(results: StepResult[]): void {
  const ours = results.filter((r) => r.mode === 'ours' && !r.error);
  const naive = results.filter((r) => r.mode === 'werift' && !r.error);
  const at = (list: StepResult[], n: number) => list.find((r) => r.n === n);
  /** "N=…: x×" for every step of `other` that has a step of ours at the same N. */
  const ratiosTo = (other: StepResult[], digits: number) =>
    other
      .flatMap((r) => {
        const o = at(ours, r.n);
        return o ? [`N=${r.n}: ${(r.usPerPkt / o.usPerPkt).toFixed(digits)}×`] : [];
      })
      .join(', ');
  const ratios = ratiosTo(naive, 1);
  const nativeRatios = ratiosTo(results.filter((r) => r.mode === 'ours-js' && !r.error), 2);
  const s400 = at(ours, 400);
  const s200 = at(ours, 200);
  const bestUs = Math.min(...ours.filter((r) => r.n >= 100).map((r) => r.usPerPkt));
  const best = ours.find((r) => r.n >= 100 && r.usPerPkt === bestUs);
  // The smallest N from which every larger step stayed within 10 µs (fixed costs weigh more on small audiences).
  const within = ours.filter((r, i) => ours.slice(i).every((x) => x.usPerPkt <= 10))[0];
  const maxRss = Math.max(...ours.filter((r) => r.n >= 100).map((r) => r.rssPerSubMb));
  const yes = (ok: boolean | undefined) => (ok === undefined ? 'not measured' : ok ? 'met' : 'NOT met');
  const body = [
    `1 publisher bot (VP8 simulcast l/m/h ≈ 0.12/0.31/1.1 Mbps, ~30/60/135 packets/s, keyframe every 2 s and on PLI; Opus-like 50 packets/s) → N subscriber bots (counting every datagram from its clear RTP header, decrypting 1 in 50) in ${BOT_PROCESSES} processes, ${BOT_POLL_MS > 0 ? `each reading its sockets every ${BOT_POLL_MS} ms in one recvmmsg call (so a sleeping bot is not woken inside the SFU's sendto for every datagram, which viewers on other machines never cost it)` : 'each woken by node:dgram for every datagram'}; subscribers ask for the high layer (≈ 185 packets/s each). SFU alone in its process: Podium as the server runs it (SFU worker threads${process.env.SFU_WORKERS ? ` ×${process.env.SFU_WORKERS}` : ', one per core'}, the server's EmbeddedPlacement spreading the event over them${process.env.SPREAD_AFTER ? ` after ${process.env.SPREAD_AFTER} participants` : ''}, the publisher's producers piped to the other workers${process.env.SFU_UDP_PORT ? `, every transport of a worker on one shared UDP port (from ${process.env.SFU_UDP_PORT})` : ', a UDP port per transport'}), naive werift on its main thread; fresh processes per step; ${WINDOW_S} s window after joins + ${WARMUP_MS / 1000} s warm-up; all on loopback.`,
    '',
    '| SFU | N | joined | connected / receiving s (SFU CPU ms/join) | forwarded pkt/s | SFU CPU µs/pkt | CPU % SFU / bots / other | loss | event-loop p99 (max) ms | RSS MB/sub | SRTP samples ok |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(row),
    '',
    'N (a+b) = subscribers per SFU thread. µs/pkt = SFU process CPU (user + sys, every thread) ÷ RTP packets it sent in the window. CPU % = share of one core in the window, SFU (per SFU thread); "other" = machine busy time used by neither the SFU, the bots nor the publisher (orchestrator and other users of this shared machine). Loss from sequence gaps of every packet the bots received. RSS/sub = (RSS after the window − RSS before the joins, both after a forced GC) ÷ N. Connected / receiving = until all N were DTLS-connected / had video, with the SFU CPU per join over that time; joined = subscribers with video within 30 s.',
    '',
    `Targets (issue 3): ≤ 10 µs SFU CPU per forwarded packet — ${s400 ? `${s400.usPerPkt.toFixed(1)} µs at N=400, ` : ''}best ${bestUs.toFixed(1)} µs${best ? ` at N=${best.n}` : ''}, ${within ? `within 10 µs from N=${within.n} up` : 'above 10 µs at every N'}: ${yes(s400 ? s400.usPerPkt <= 10 : Number.isFinite(bestUs) ? bestUs <= 10 : undefined)}; ` +
      `0 % loss and event-loop p99 < 20 ms at 400: ${yes(s400 ? s400.lossPct === 0 && s400.eldP99Ms < 20 : undefined)}${s400 ? ` (${s400.lossPct.toFixed(2)} %, ${s400.eldP99Ms.toFixed(1)} ms)` : ''}; ` +
      `≤ 1 MB per subscriber: ${yes(Number.isFinite(maxRss) ? maxRss <= 1 : undefined)} (max ${maxRss.toFixed(2)} MB at N ≥ 100); ` +
      `200 subscribers connected within 5 s: ${yes(s200 ? s200.connectedMs >= 0 && s200.connectedMs <= 5000 : undefined)}${s200 ? ` (${(s200.connectedMs / 1000).toFixed(2)} s connected, ${(s200.receivingMs / 1000).toFixed(2)} s receiving video)` : ''}.`,
    limitSentence(results),
    `JS send path / native send step µs-per-packet ratio (same SFU, PODIUM_NATIVE_UDP=0): ${nativeRatios || 'not measured'}.`,
    `Naive werift / Podium µs-per-packet ratio: ${ratios || 'not measured'}. Reference on this kind of machine: Janus 1.1.2 13–15 µs best (25–30 default), ~0.22 MB/sub; naive werift ~40 µs, ~2.5 MB/sub.`,
  ].join('\n');
  recordBenchmark('bench:sfu — 1 simulcast publisher → N subscribers', body);
}

/** What stopped our ladder: an SFU thread, or the machine (bots, other load). */
function limitSentence(results: StepResult[]): string {
  const ours = results.filter((r) => r.mode === 'ours');
  // Packets each subscriber got per second at the first step: a later step far below it means the
  // subscribers were fed less (the publisher bot starved of CPU, or lower layers), not that all is well.
  const perSub = (r: StepResult) => r.fwdPps / r.n;
  const baseline = ours.find((r) => !r.error && r.joined === r.n);
  const starved = (r: StepResult) => !!baseline && r !== baseline && perSub(r) < 0.8 * perSub(baseline);
  const stop = ours.find((r) => r.error || r.joined < r.n || r.lossPct > STOP_LOSS_PCT || starved(r));
  if (!stop) return `Our ladder ended at N=${ours[ours.length - 1]?.n ?? 0} without reaching saturation (extend SFU_LADDER).`;
  if (stop.error) return `Our ladder stopped at N=${stop.n}: ${stop.error.split('\n')[0]}.`;
  const fed = starved(stop) && baseline ? `, each subscriber forwarded ${perSub(stop).toFixed(0)} packets/s instead of ${perSub(baseline).toFixed(0)} at N=${baseline.n}` : '';
  const machine = stop.sfuCpuPct + stop.botCpuPct + stop.otherCpuPct;
  const busiest = stop.threadCpuPct.length > 0 ? Math.max(...stop.threadCpuPct) : stop.sfuCpuPct;
  const cause =
    busiest >= 90
      ? `an SFU thread was saturated (${busiest.toFixed(0)} % of a core${stop.threadCpuPct.length > 1 ? `; threads ${stop.threadCpuPct.map((t) => t.toFixed(0)).join(' + ')} %` : ''})`
      : machine >= 180
        ? `the 2-core machine was saturated (SFU ${stop.sfuCpuPct.toFixed(0)} % + bots ${stop.botCpuPct.toFixed(0)} % + other ${stop.otherCpuPct.toFixed(0)} % of 200 %)`
        : `neither the SFU (${stop.sfuCpuPct.toFixed(0)} %) nor the machine (${machine.toFixed(0)} % of 200 %) was saturated — look at the event-loop delay (${stop.eldP99Ms.toFixed(0)} ms p99)`;
  return `Limit: at N=${stop.n} (${stop.lossPct.toFixed(1)} % loss, ${stop.joined}/${stop.n} joined${fed}) ${cause}.`;
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => stopAll());
