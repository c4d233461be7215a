import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import type { S3BlobStoreOptions } from '../s3-blob-store';

const SCRIPT = fileURLToPath(new URL('./s3-server-process.cjs', import.meta.url));

/** An S3-compatible server on a loopback port, in a child process (so its memory is not the test's). */
export interface S3TestServer {
  /** `http://127.0.0.1:<port>` (path-style). */
  endpoint: string;
  port: number;
  /** The folder holding the buckets' objects as files. */
  directory: string;
  /** S3BlobStore options for `bucket`, path-style, with the server's credentials. */
  options(bucket: string, extra?: Partial<S3BlobStoreOptions>): S3BlobStoreOptions;
  /** Options for virtual-host style (`http://<bucket>.s3.localhost:<port>`, resolved to the loopback address). */
  virtualHostOptions(bucket: string, extra?: Partial<S3BlobStoreOptions>): S3BlobStoreOptions;
  /** Stops the server (its port refuses connections afterwards) and removes its folder. */
  stop(): Promise<void>;
}

/** Starts the test S3 server with `buckets` created. */
export async function startS3TestServer(buckets: string[]): Promise<S3TestServer> {
  const directory = mkdtempSync(join(tmpdir(), 'podium-s3-'));
  const child: ChildProcess = spawn(process.execPath, [SCRIPT, JSON.stringify({ directory, buckets })], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      lines.close();
      resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`the test S3 server exited with ${code}`)));
  });
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const endpoint = `http://127.0.0.1:${port}`;
  // Every <bucket>.s3.localhost name is this machine's loopback address.
  const loopback = new http.Agent({
    keepAlive: true,
    lookup: ((_host: string, opts: { all?: boolean }, cb: (...args: unknown[]) => void) =>
      opts?.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)) as never,
  });
  let stopped = false;
  return {
    endpoint,
    port,
    directory,
    options: (bucket, extra) => ({ endpoint, bucket, region: 'us-east-1', credentials, pathStyle: true, ...extra }),
    virtualHostOptions: (bucket, extra) => ({
      endpoint: `http://s3.localhost:${port}`, bucket, region: 'us-east-1', credentials, pathStyle: false, agent: loopback, ...extra,
    }),
    async stop() {
      if (stopped) return;
      stopped = true;
      loopback.destroy();
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin!.end();
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      });
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
