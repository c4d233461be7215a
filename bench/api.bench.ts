/**
 * bench:api — registrations per second and latency through the real HTTP stack, on the embedded
 * store (PGlite) and on PostgreSQL. The server runs as its own process, as `npm start` runs it;
 * autocannon drives it over loopback with unique emails per request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startChildServer, type ChildServer } from '../apps/server/src/testing/child-server';
import { TestClient } from '../apps/server/src/testing/client';
import { recordBenchmark } from './lib/report';
import { freshPostgresDatabase } from './lib/postgres';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const PG_DB = 'podium_bench';

interface Result {
  store: string;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  counted: number;
}

async function prepareEvent(server: ChildServer): Promise<{ eventId: string; apiKey: string; orgId: string }> {
  const owner = new TestClient(server.url);
  const setup = await owner.post('/api/v1/setup', {
    email: 'owner@bench.test', password: 'bench-password-123', name: 'Bench Owner', orgName: 'Bench Org', dataRegion: 'eu-central',
  });
  if (setup.status !== 201) throw new Error(`setup failed: ${setup.status} ${setup.text}`);
  const orgId: string = setup.body.memberships[0].orgId;
  const key = await owner.post(`/api/v1/orgs/${orgId}/api-keys`, { name: 'bench' });
  if (key.status !== 201) throw new Error(`api key failed: ${key.status} ${key.text}`);
  const api = new TestClient(server.url).withApiKey(key.body.secret);
  const ev = await api.post(`/api/v1/orgs/${orgId}/events`, {
    type: 'webinar', title: 'Benchmark webinar', startsAt: new Date(Date.now() + 7 * 864e5).toISOString(),
    durationMinutes: 60, timeZone: 'Europe/Warsaw', accessMode: 'registration',
    registrationFields: [{ key: 'company', label: 'Company', type: 'text', required: false }],
  });
  if (ev.status !== 201) throw new Error(`event failed: ${ev.status} ${ev.text}`);
  return { eventId: ev.body.id, apiKey: key.body.secret, orgId };
}

async function run(store: 'pglite' | 'postgres'): Promise<Result> {
  const dataDir = mkdtempSync(join(tmpdir(), 'podium-bench-'));
  const env: Record<string, string> = {
    PODIUM_DATA_DIR: dataDir,
    PODIUM_AUTH_RATE_LIMIT: '1000000',
    PODIUM_RATE_LIMIT: '10000000',
    PODIUM_JOBS: 'false',
    LOG_LEVEL: 'error',
  };
  if (store === 'postgres') env.DATABASE_URL = await freshPostgresDatabase(PG_DB);
  const server = await startChildServer(env);
  try {
    const { eventId, apiKey, orgId } = await prepareEvent(server);
    const body = (tag: string) =>
      JSON.stringify({ name: 'Bench Attendee', email: `a-${tag}-[<id>]@bench.test`, fields: { company: 'ACME' }, consentVersion: 1, consentAccepted: true });
    const opts = (tag: string, duration: number) => ({
      url: `${server.url}/api/v1/public/events/${eventId}/registrations`,
      method: 'POST' as const,
      headers: { 'content-type': 'application/json' },
      body: body(tag),
      idReplacement: true,
      connections: CONNECTIONS,
      duration,
    });
    await autocannon(opts('warm', 3));
    const r = await autocannon(opts('run', DURATION_S));
    const api = new TestClient(server.url).withApiKey(apiKey);
    const ev = await api.get(`/api/v1/orgs/${orgId}/events/${eventId}`);
    return {
      store,
      rps: r['2xx'] / DURATION_S,
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      ok: r['2xx'],
      non2xx: r.non2xx,
      errors: r.errors + r.timeouts,
      counted: ev.body.registeredCount,
    };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const results: Result[] = [];
for (const store of ['pglite', 'postgres'] as const) {
  process.stdout.write(`running ${store} (${DURATION_S} s, ${CONNECTIONS} connections)…\n`);
  results.push(await run(store));
}
const rows = results.map(
  (r) => `| ${r.store} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.ok} | ${r.non2xx} | ${r.errors} | ${r.counted} |`,
);
recordBenchmark(
  'bench:api — public registrations',
  `POST /api/v1/public/events/:id/registrations (unique email, one custom field, consent; confirmation
email with .ics written to the outbox in the same transaction), ${CONNECTIONS} connections, ${DURATION_S} s after a
3 s warm-up; server in its own process, autocannon on the same machine.
Target (PostgreSQL): ≥ 1,500 registrations/s with p99 < 50 ms.

| store | registrations/s | p50 ms | p90 ms | p99 ms | 2xx | non-2xx | errors | registeredCount (incl. warm-up) |
|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}`,
);
