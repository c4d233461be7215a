/**
 * Request/response over a forked child's IPC channel: the benchmark's control plane between the
 * orchestrator, the SFU host and the bot processes (never on the media path).
 */
import { type ChildProcess, fork } from 'node:child_process';

type Handler = (args: Record<string, unknown>) => unknown;

/** Serves `handlers` in a child process; replies carry the request id. */
export function serve(handlers: Record<string, Handler>): void {
  process.on('message', (raw) => {
    const { id, op, args } = raw as { id: number; op: string; args: Record<string, unknown> };
    void (async () => {
      try {
        const h = handlers[op];
        if (!h) throw new Error(`unknown op ${op}`);
        process.send?.({ id, result: await h(args ?? {}) });
      } catch (e) {
        process.send?.({ id, error: e instanceof Error ? e.stack ?? e.message : String(e) });
      }
    })();
  });
  process.on('disconnect', () => process.exit(0));
}

/** A forked benchmark process with typed-enough requests. */
export class Child {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited = false;

  private constructor(
    readonly name: string,
    readonly proc: ChildProcess,
  ) {
    proc.on('message', (raw) => {
      const { id, result, error } = raw as { id: number; result?: unknown; error?: string };
      const p = this.pending.get(id);
      if (!p) return;
      this.pending.delete(id);
      if (error) p.reject(new Error(`${name}: ${error}`));
      else p.resolve(result);
    });
    proc.on('exit', (code, signal) => {
      this.exited = true;
      for (const p of this.pending.values()) p.reject(new Error(`${name} exited (${code ?? signal})`));
      this.pending.clear();
    });
  }

  /** Forks `file` under tsx with extra node flags. */
  static start(name: string, file: string, nodeFlags: string[] = [], env: Record<string, string> = {}): Child {
    const proc = fork(file, [], { execArgv: ['--import', 'tsx', ...nodeFlags], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Child(name, proc);
  }

  /** Process id. */
  get pid(): number {
    return this.proc.pid ?? -1;
  }

  /** Sends a request; rejects after `timeoutMs`. */
  request<T = unknown>(op: string, args: Record<string, unknown> = {}, timeoutMs = 60_000): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.name} is not running`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${op} timed out`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.proc.send({ id, op, args });
    });
  }

  /** Ends the process (SIGTERM, then SIGKILL) and waits for it. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((r) => this.proc.once('exit', () => r()));
    this.proc.kill('SIGTERM');
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 2000);
    await done;
    clearTimeout(t);
  }
}

/**
 * Connects the bot publisher process to the SFU host process (offer → publish → answer) and waits
 * until the publisher's media reaches the SFU.
 */
export async function connectPublisher(host: Child, pub: Child, timeoutMs = 15_000): Promise<void> {
  const offer = await pub.request<string>('offer');
  const { answer } = await host.request<{ answer: string }>('publish', { offer });
  await pub.request('answer', { sdp: answer });
  const readyBy = Date.now() + timeoutMs;
  while (!(await host.request<boolean>('ready'))) {
    if (Date.now() > readyBy) throw new Error('publisher media never reached the SFU');
    await new Promise((r) => setTimeout(r, 100));
  }
}
