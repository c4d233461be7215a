import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { loadConfig } from '../config/load';
import type { Config } from '../config/schema';
import { createServer, type PodiumServer } from '../server';
import { secretsFromKey } from '../security/secrets';
import { openTestSql, type StoreKind } from './sql';
import { TestClient } from './client';

/** A control plane on a random loopback port, over a fresh store. */
export interface TestServer {
  server: PodiumServer;
  url: string;
  /** A new HTTP client with its own cookie jar. */
  client(): TestClient;
  /** Moves the server's clock (jobs, expiry) by `ms`. */
  advance(ms: number): void;
  close(): Promise<void>;
}

/** Starts a real server over a socket for a test (jobs are run by the test with `ctx.jobs.runDue()`). */
export async function startTestServer(opts: { store?: StoreKind; config?: Partial<Config>; log?: Logger } = {}): Promise<TestServer> {
  const sql = await openTestSql(opts.store ?? 'pglite');
  // Uploaded files go to a folder of this server's own, removed with it.
  const blobDir = mkdtempSync(join(tmpdir(), 'podium-test-blobs-'));
  let offset = 0;
  const config = loadConfig({}, {
    port: 0,
    host: '127.0.0.1',
    dataDir: '/nonexistent-podium-test-dir',
    logLevel: 'silent',
    jobs: false,
    webDir: '/nonexistent-podium-web-dir',
    authRateLimitPerMinute: 10_000,
    // Media (SFU worker threads) only where a test asks for it: `config: { mediaEnabled: true }`.
    mediaEnabled: false,
    mediaListenIp: '127.0.0.1',
    blobDir,
    // Stored files are encrypted as in production, under a fixed test key (nothing generated on disk).
    storageMasterKeys: [`test:${Buffer.alloc(32, 7).toString('base64')}`],
    ...opts.config,
  });
  const server = await createServer(config, {
    sql,
    log: opts.log ?? pino({ level: 'silent' }),
    secrets: secretsFromKey('test-secret-test-secret-test-secret-0123'),
    now: () => new Date(Date.now() + offset),
  });
  const url = await server.listen();
  config.publicUrl = url;
  return {
    server,
    url,
    client: () => new TestClient(url),
    advance(ms: number) {
      offset += ms;
    },
    async close() {
      await server.close();
      await sql.close();
      rmSync(blobDir, { recursive: true, force: true });
    },
  };
}
