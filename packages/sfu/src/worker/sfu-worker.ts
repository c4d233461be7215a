/**
 * The control plane's handle on one SFU worker thread: spawns it, exposes the typed request
 * channel and events, and rejects every pending request when the worker exits or is closed.
 * `SfuWorker.inThread()` runs the same service on a MessageChannel in this thread (tests, or a
 * deployment that wants no threads).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { MediaError } from '../transport/media-error';
import { TypedEmitter } from '../util/typed-emitter';
import type { SfuEvents, SfuRequests } from './protocol';
import { RpcClient, type RpcClientOptions } from './rpc';
import { SfuWorkerService } from './sfu-worker-service';

/** How long a closing worker may take to close its routers and finish its recordings. */
const CLOSE_TIMEOUT_MS = 10_000;

/** Events of an SfuWorker handle. */
export type SfuWorkerEvents = {
  /** The worker thread ended (crash or close); every pending request was rejected. */
  exit: [code: number];
};

/** Options of SfuWorker.start(). */
export interface SfuWorkerOptions extends RpcClientOptions {
  /** Heap limit of the thread, MB. */
  maxOldGenerationSizeMb?: number;
  /**
   * How long the thread may take to load and answer its first request, ms. Default 60 s: loading
   * compiles the SFU's modules (tsx), which takes seconds on a machine under heavy load.
   */
  readyTimeoutMs?: number;
}

/** Handle on one SFU worker (see file comment). */
export class SfuWorker extends TypedEmitter<SfuWorkerEvents> {
  /** The typed request channel; its events are the worker's events. */
  readonly channel: RpcClient<SfuRequests, SfuEvents>;
  private closed = false;

  private constructor(
    channel: RpcClient<SfuRequests, SfuEvents>,
    private readonly stop: () => Promise<void>,
  ) {
    super();
    this.channel = channel;
  }

  /** Spawns a worker thread running the SFU service. */
  static async start(options: SfuWorkerOptions = {}): Promise<SfuWorker> {
    // The code base runs as TypeScript through tsx. Node 20 loads a worker's entry before hooks
    // from --import are ready, so the thread starts as a tiny script that loads the entry via tsx.
    const entry = new URL('./worker-entry.ts', import.meta.url).href;
    const tsx = tsxEsmApiUrl();
    const bootstrap = `import(${JSON.stringify(tsx)}).then((api) => api.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
    const worker = new Worker(bootstrap, {
      eval: true,
      resourceLimits: options.maxOldGenerationSizeMb ? { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb } : undefined,
    });
    const channel = new RpcClient<SfuRequests, SfuEvents>(worker, options);
    const handle = new SfuWorker(channel, async () => {
      // Terminating a thread while it handles datagrams can abort the whole process (node's UDP
      // receive callback fails a V8 call once termination began: "FromJust Maybe value is
      // Nothing"), and would cut off recordings being written: the service closes everything first.
      await channel.request('worker.close', {}, CLOSE_TIMEOUT_MS).catch(() => undefined);
      channel.close();
      await worker.terminate();
    });
    let failure: Error | undefined;
    worker.on('error', (err) => {
      failure ??= err;
      channel.close();
    });
    worker.once('exit', (code) => {
      failure ??= new Error(`exited with code ${code}`);
      channel.close();
      handle.closed = true;
      handle.emit('exit', code);
    });
    // 'online' comes before the module graph is loaded (the bootstrap runs first); the service
    // listens once it is. Messages posted meanwhile wait in the port, so one round trip with a
    // generous timeout proves the service is up.
    const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
    const started = Date.now();
    try {
      await channel.request('worker.counts', {}, readyTimeoutMs);
    } catch (err) {
      void worker.terminate().catch(() => undefined);
      const why = failure ? `it failed: ${failure.message}` : `no answer within ${Math.round((Date.now() - started) / 1000)} s`;
      void err;
      throw new MediaError('WORKER_UNAVAILABLE', `The SFU worker thread did not start (${why}).`);
    }
    return handle;
  }

  /** Runs the service on a MessageChannel in this thread. */
  static inThread(options: RpcClientOptions = {}): SfuWorker {
    const { port1, port2 } = new MessageChannel();
    const service = new SfuWorkerService(port2);
    const channel = new RpcClient<SfuRequests, SfuEvents>(port1, options);
    const handle = new SfuWorker(channel, async () => {
      service.close();
      port1.close();
      port2.close();
    });
    return handle;
  }

  /** Typed request shortcut. */
  request<K extends keyof SfuRequests & string>(method: K, data: SfuRequests[K]['req']): Promise<SfuRequests[K]['res']> {
    return this.channel.request(method, data);
  }

  /** Stops the worker (its routers closed and recordings finished first); pending requests are rejected. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.stop();
    this.channel.close();
  }
}

/** file: URL of tsx's ESM API, resolved from this package (independent of the process's cwd). */
function tsxEsmApiUrl(): string {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import?: { default?: string } }> };
  const rel = pkg.exports['./esm/api']?.import?.default ?? './dist/esm/api/index.mjs';
  return pathToFileURL(join(dirname(pkgPath), rel)).href;
}

/**
 * Makes `producerId` of router `from` available in router `to` (other workers allowed) under the
 * same id, over a loopback UDP pipe. Returns the producer as the target router sees it.
 */
export async function pipeProducer(
  from: { worker: SfuWorker; routerId: string },
  to: { worker: SfuWorker; routerId: string },
  producerId: string,
  listenIp = '127.0.0.1',
): Promise<{ producerId: string; pipeIds: [string, string] }> {
  const [a, b] = await Promise.all([
    from.worker.request('pipe.create', { routerId: from.routerId, listenIp }),
    to.worker.request('pipe.create', { routerId: to.routerId, listenIp }),
  ]);
  await Promise.all([
    from.worker.request('pipe.connect', { pipeId: a.pipeId, ip: listenIp, port: b.port }),
    to.worker.request('pipe.connect', { pipeId: b.pipeId, ip: listenIp, port: a.port }),
  ]);
  const offer = await from.worker.request('pipe.consume', { pipeId: a.pipeId, producerId });
  const produced = await to.worker.request('pipe.produce', { pipeId: b.pipeId, offer });
  return { producerId: produced.id, pipeIds: [a.pipeId, b.pipeId] };
}
