/**
 * bench:room — N signaling-only attendees in one live webinar (issue "The live room"): join
 * throughput (the first 500, then the rest up to N) and how long a chat message takes to reach
 * every attendee (p50/p99 over every delivery, and over the time until the last attendee has it).
 * The server runs as its own process, as `npm start` runs it (media off: signaling only); the
 * attendees live in separate processes, connecting from many loopback addresses.
 *
 * Env: BENCH_ROOM_ATTENDEES (2000), BENCH_ROOM_FIRST (500), BENCH_ROOM_PROCS (2),
 * BENCH_ROOM_MESSAGES (20), BENCH_ROOM_STORES (pglite,postgres).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EventId } from '@podium/protocol';
import { startChildServer, type ChildServer } from '../../apps/server/src/testing/child-server';
import { TestClient } from '../../apps/server/src/testing/client';
import { secretsFromKey } from '../../apps/server/src/security/secrets';
import { signJoinToken } from '../../apps/server/src/registrations/join-token';
import { recordBenchmark } from '../lib/report';
import type { FromAttendees, ToAttendees } from './attendees';
import { freshPostgresDatabase } from '../lib/postgres';

const N = Number(process.env.BENCH_ROOM_ATTENDEES ?? 2000);
const FIRST = Math.min(N, Number(process.env.BENCH_ROOM_FIRST ?? 500));
const PROCS = Number(process.env.BENCH_ROOM_PROCS ?? 2);
const MESSAGES = Number(process.env.BENCH_ROOM_MESSAGES ?? 20);
const STORES = (process.env.BENCH_ROOM_STORES ?? 'pglite,postgres').split(',') as ('pglite' | 'postgres')[];
const SECRET = 'bench-room-secret-0123456789abcdef';
const PG_DB = 'podium_bench_room';
// 40 source addresses: 50 connections each for 2000 attendees, under the per-address cap.
const ADDRESSES = Array.from({ length: 40 }, (_, i) => `127.0.0.${i + 2}`);

interface Result {
  store: string;
  firstJoinS: number;
  firstJoinRate: number;
  restJoinS: number;
  joinP50: number;
  joinP99: number;
  joined: number;
  failed: number;
  deliveryP50: number;
  deliveryP99: number;
  lastP50: number;
  lastP99: number;
  delivered: number;
  expected: number;
  serverCpuS: number;
  serverRssMb: number;
}

const quantile = (xs: number[], q: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const r1 = (x: number) => Math.round(x * 10) / 10;

function procStat(pid: number): { cpuS: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]);
  const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return { cpuS: ticks / 100, rssMb: Number(rss ?? 0) / 1024 };
}

/** An organization, a live webinar and N registrations; returns their join tokens. */
async function prepare(server: ChildServer): Promise<string[]> {
  const owner = new TestClient(server.url);
  const setup = await owner.post('/api/v1/setup', {
    email: 'owner@bench.test', password: 'bench-password-123', name: 'Bench Owner', orgName: 'Bench Org', dataRegion: 'eu-central',
  });
  if (setup.status !== 201) throw new Error(`setup failed: ${setup.status} ${setup.text}`);
  const orgId: string = setup.body.memberships[0].orgId;
  const startsAt = new Date(Date.now() + 3600_000);
  const ev = await owner.post(`/api/v1/orgs/${orgId}/events`, {
    type: 'webinar', title: 'Room benchmark', startsAt: startsAt.toISOString(), durationMinutes: 120, timeZone: 'Europe/Warsaw', accessMode: 'registration',
  });
  if (ev.status !== 201) throw new Error(`event failed: ${ev.status} ${ev.text}`);
  const eventId: string = ev.body.id;
  const live = await owner.post(`/api/v1/orgs/${orgId}/events/${eventId}/status`, { status: 'live' });
  if (live.status !== 200) throw new Error(`live failed: ${live.status}`);
  const secrets = secretsFromKey(SECRET);
  const exp = Math.floor(startsAt.getTime() / 1000) + 4 * 3600;
  const tokens: string[] = new Array(N);
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    const client = new TestClient(server.url);
    while (next < N) {
      const i = next++;
      const res = await client.post(`/api/v1/public/events/${eventId}/registrations`, {
        name: `Attendee ${i}`, email: `a${i}@bench.test`, consentVersion: 1, consentAccepted: true,
      });
      if (res.status !== 201) throw new Error(`registration failed: ${res.status} ${res.text}`);
      tokens[i] = signJoinToken(secrets, { e: eventId as EventId, r: res.body.registrationId, role: 'attendee', exp });
    }
  }));
  return tokens;
}

/** One attendee process with a typed message channel. */
class AttendeeProcess {
  private readonly child: ChildProcess;
  private waiting = new Map<string, (m: FromAttendees) => void>();
  constructor() {
    this.child = fork(fileURLToPath(new URL('./attendees.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    this.child.on('message', (m: FromAttendees) => {
      const w = this.waiting.get(m.kind);
      if (w) {
        this.waiting.delete(m.kind);
        w(m);
      }
    });
  }
  ask<K extends FromAttendees['kind']>(msg: ToAttendees, reply: K): Promise<Extract<FromAttendees, { kind: K }>> {
    return new Promise((resolve) => {
      this.waiting.set(reply, resolve as (m: FromAttendees) => void);
      this.child.send(msg);
    });
  }
}

async function joinAll(procs: AttendeeProcess[], url: string, tokens: string[]): Promise<{ seconds: number; joinMs: number[]; failed: number; errors: string[] }> {
  const started = performance.now();
  const parts = procs.map((_, p) => tokens.filter((__, i) => i % procs.length === p));
  const replies = await Promise.all(procs.map((proc, p) => proc.ask({ kind: 'join', url, tokens: parts[p], concurrency: 32, addresses: ADDRESSES }, 'joined')));
  return {
    seconds: (performance.now() - started) / 1000,
    joinMs: replies.flatMap((r) => r.joinMs),
    failed: replies.reduce((t, r) => t + r.failed, 0),
    errors: replies.flatMap((r) => r.errors),
  };
}

async function run(store: 'pglite' | 'postgres'): Promise<Result> {
  const dataDir = mkdtempSync(join(tmpdir(), 'podium-bench-room-'));
  const env: Record<string, string> = {
    PODIUM_DATA_DIR: dataDir, PODIUM_SECRET: SECRET, PODIUM_MEDIA_ENABLED: 'false', PODIUM_JOBS: 'false',
    PODIUM_AUTH_RATE_LIMIT: '1000000', PODIUM_RATE_LIMIT: '10000000', LOG_LEVEL: 'error',
  };
  if (store === 'postgres') env.DATABASE_URL = await freshPostgresDatabase(PG_DB);
  // BENCH_PROFILE_DIR: write a CPU profile of the server process there (node --cpu-prof).
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const server = await startChildServer(env, 60_000, profile);
  const procs = Array.from({ length: PROCS }, () => new AttendeeProcess());
  try {
    const tokens = await prepare(server);
    const pid = server.process.pid!;
    const cpu0 = procStat(pid).cpuS;
    const first = await joinAll(procs, server.url, tokens.slice(0, FIRST));
    const rest = await joinAll(procs, server.url, tokens.slice(FIRST));
    const joined = first.joinMs.length + rest.joinMs.length;
    const failed = first.failed + rest.failed;
    if (failed) console.error(`join failures: ${failed}`, [...first.errors, ...rest.errors].slice(0, 5));
    await new Promise((r) => setTimeout(r, 1000));
    await Promise.all(procs.map((p) => p.ask({ kind: 'report' }, 'report')));
    // Chat: each message from a different attendee (a person may send 5 per 10 s), 4 per second.
    const perProc = Math.floor(joined / procs.length);
    for (let k = 0; k < MESSAGES; k++) {
      await procs[k % procs.length].ask({ kind: 'send', index: (k * 37) % perProc, text: `bench {at} message ${k}` }, 'sent');
      await new Promise((r) => setTimeout(r, 250));
    }
    await new Promise((r) => setTimeout(r, 2000));
    const reports = await Promise.all(procs.map((p) => p.ask({ kind: 'report' }, 'report')));
    const latencies = reports.flatMap((r) => r.latencies);
    // Time until the last attendee had each message.
    const last = new Array<number>(MESSAGES).fill(0);
    for (const r of reports) r.messages.forEach((k, i) => (last[k] = Math.max(last[k], r.latencies[i])));
    const stats = procStat(pid);
    const joinMs = [...first.joinMs, ...rest.joinMs];
    return {
      store,
      firstJoinS: r1(first.seconds),
      firstJoinRate: Math.round(first.joinMs.length / first.seconds),
      restJoinS: r1(rest.seconds),
      joinP50: r1(quantile(joinMs, 0.5)),
      joinP99: r1(quantile(joinMs, 0.99)),
      joined,
      failed,
      deliveryP50: r1(quantile(latencies, 0.5)),
      deliveryP99: r1(quantile(latencies, 0.99)),
      lastP50: r1(quantile(last, 0.5)),
      lastP99: r1(quantile(last, 0.99)),
      delivered: latencies.length,
      expected: MESSAGES * joined,
      serverCpuS: r1(stats.cpuS - cpu0),
      serverRssMb: Math.round(stats.rssMb),
    };
  } finally {
    await Promise.all(procs.map((p) => p.ask({ kind: 'close' }, 'closed').catch(() => undefined)));
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const results: Result[] = [];
for (const store of STORES) results.push(await run(store));
const rows = results.map((r) =>
  `| ${r.store} | ${r.joined} (${r.failed} failed) | ${r.firstJoinS} s (${r.firstJoinRate}/s) | ${r.restJoinS} s | ${r.joinP50} / ${r.joinP99} ms | ${r.deliveryP50} / ${r.deliveryP99} ms | ${r.lastP50} / ${r.lastP99} ms | ${r.delivered} / ${r.expected} | ${r.serverCpuS} s | ${r.serverRssMb} MB |`);
recordBenchmark('bench:room — N attendees in one webinar (signaling only)', `
${N} attendees in ${PROCS} processes from ${ADDRESSES.length} loopback addresses; first ${FIRST} joins timed alone, then the rest; ${MESSAGES} chat messages from different attendees at 4/s, each delivered to everyone. Server in its own process (media off), targets: 2,000 attendees, p99 chat fan-out < 100 ms, 500 joins < 30 s.

| store | joined | first ${FIRST} joins | remaining joins | join p50 / p99 | chat delivery p50 / p99 | until the last attendee p50 / p99 | chat deliveries | server CPU (joins + chat) | server RSS |
|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}
`);
