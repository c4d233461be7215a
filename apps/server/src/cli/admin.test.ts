import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Me } from '@podium/protocol';
import { loadConfig } from '../config/load';
import { createServer, type PodiumServer } from '../server';
import { secretsFromKey } from '../security/secrets';
import { TestClient } from '../testing/client';
import { STORE_KINDS, TEST_DATABASE_URL, type StoreKind } from '../testing/sql';
import { EXIT, runCli } from './run';
import type { CliIo } from './prompt';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PASSWORD = 'admin-password-123';
const CREATE = ['admin', 'create', '--email', 'Ada@Example.com', '--name', 'Ada Admin', '--org', 'Ada Labs', '--region', 'eu-central'];

/** Environment pointing Podium at one store: a PGlite data dir, or a private schema of the test PostgreSQL. */
interface StoreEnv {
  env: NodeJS.ProcessEnv;
  cleanup(): Promise<void>;
}

async function storeEnv(kind: StoreKind): Promise<StoreEnv> {
  const base = { ...process.env };
  for (const k of Object.keys(base)) if (k.startsWith('PODIUM_') || k === 'DATABASE_URL') delete base[k];
  if (kind === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'podium-cli-'));
    return { env: { ...base, PODIUM_DATA_DIR: dir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `cli_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return {
    env: { ...base, DATABASE_URL: url, PODIUM_DATA_DIR: '/nonexistent-podium-cli-dir' },
    async cleanup() {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

/** Runs the CLI in this process with captured output. */
async function runInProcess(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) => new Writable({ write(chunk, _enc, cb) { append(String(chunk)); cb(); } });
  const stdin = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream;
  const io: CliIo = { env, stdin, stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)) };
  const code = await runCli(argv, io);
  return { code, out, err };
}

/** Starts the real server over the store the CLI wrote to. */
async function serverOn(env: NodeJS.ProcessEnv): Promise<{ server: PodiumServer; client: () => TestClient }> {
  const config = loadConfig(env, { port: 0, host: '127.0.0.1', logLevel: 'silent', jobs: false, webDir: '/nonexistent-podium-web-dir' });
  const server = await createServer(config, { log: pino({ level: 'silent' }), secrets: secretsFromKey('cli-test-secret-cli-test-secret-0123456') });
  const url = await server.listen();
  return { server, client: () => new TestClient(url) };
}

describe.each(STORE_KINDS)('podium admin on %s', (kind) => {
  let store: StoreEnv;
  let server: PodiumServer | undefined;
  beforeEach(async () => {
    store = await storeEnv(kind);
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await store.cleanup();
  });

  it('admin create, run as a child process, makes an owner and instance admin who can sign in through the server', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'apps/server/src/cli/main.ts', ...CREATE], {
      cwd: REPO_ROOT,
      env: { ...store.env, PODIUM_ADMIN_PASSWORD: PASSWORD },
    });
    expect(stdout).toContain('Created the organization "Ada Labs" (ada-labs, data region eu-central)');

    const s = await serverOn(store.env);
    server = s.server;
    expect((await s.client().get('/api/v1/setup')).body).toEqual({ needsSetup: false });
    const res = await s.client().post<Me>('/api/v1/auth/sign-in', { email: 'ada@example.com', password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email: 'Ada@Example.com', name: 'Ada Admin', isInstanceAdmin: true });
    expect(res.body.memberships).toEqual([expect.objectContaining({ orgName: 'Ada Labs', dataRegion: 'eu-central', role: 'owner' })]);
  });

  it('a second admin create exits with 1 and says the instance is already set up', async () => {
    expect((await runInProcess([...CREATE, '--password', PASSWORD], store.env)).code).toBe(EXIT.ok);
    const again = await runInProcess([...CREATE, '--email', 'other@example.com', '--password', PASSWORD], store.env);
    expect(again.code).toBe(EXIT.failed);
    expect(again.err).toContain('already set up');
  });

  it('admin reset-password sets a new password that works for sign-in; an unknown email exits with 1', async () => {
    await runInProcess(CREATE, { ...store.env, PODIUM_ADMIN_PASSWORD: PASSWORD });
    const reset = await runInProcess(['admin', 'reset-password', '--email', 'ADA@example.com', '--password', 'a-new-admin-password'], store.env);
    expect(reset.code).toBe(EXIT.ok);
    const unknown = await runInProcess(['admin', 'reset-password', '--email', 'nobody@example.com', '--password', 'a-new-admin-password'], store.env);
    expect(unknown.code).toBe(EXIT.failed);
    expect(unknown.err).toContain('No account');

    const s = await serverOn(store.env);
    server = s.server;
    expect((await s.client().post('/api/v1/auth/sign-in', { email: 'ada@example.com', password: PASSWORD })).status).toBe(401);
    expect((await s.client().post('/api/v1/auth/sign-in', { email: 'ada@example.com', password: 'a-new-admin-password' })).status).toBe(200);
  });
});

describe('podium admin command line', () => {
  const env = { PODIUM_DATA_DIR: '/nonexistent-podium-cli-dir' };

  it('a missing option, an unknown region or a short password exits with 2 and a clear message', async () => {
    const noRegion = await runInProcess(CREATE.slice(0, -2).concat('--password', PASSWORD), env);
    expect(noRegion).toMatchObject({ code: EXIT.usage });
    expect(noRegion.err).toContain('--region is required');
    const badRegion = await runInProcess([...CREATE.slice(0, -1), 'mars', '--password', PASSWORD], env);
    expect(badRegion.err).toContain('--region must be one of: eu-central');
    const weak = await runInProcess([...CREATE, '--password', 'short'], env);
    expect(weak.code).toBe(EXIT.usage);
    expect(weak.err).toContain('at least 10 characters');
  });

  it('without a password option, environment variable or terminal it exits with 2', async () => {
    const res = await runInProcess(CREATE, env);
    expect(res.code).toBe(EXIT.usage);
    expect(res.err).toContain('PODIUM_ADMIN_PASSWORD');
  });

  it('an unknown command or option exits with 2; --help prints usage and exits with 0', async () => {
    expect((await runInProcess(['admin', 'destroy'], env)).code).toBe(EXIT.usage);
    expect((await runInProcess([...CREATE, '--colour', 'red'], env)).err).toContain('Unknown option --colour');
    const help = await runInProcess(['--help'], env);
    expect(help.code).toBe(EXIT.ok);
    expect(help.out).toContain('podium admin create');
  });
});
