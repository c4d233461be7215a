import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { MediaError } from '../transport/media-error';
import { RpcClient, RpcServer } from './rpc';

interface TestMethods {
  echo: { req: { text: string }; res: { text: string } };
  fail: { req: Record<string, never>; res: never };
  crash: { req: Record<string, never>; res: never };
  never: { req: Record<string, never>; res: never };
}
type TestEvents = { tick: [{ n: number }] };

const ports: MessageChannel[] = [];
afterEach(() => {
  for (const p of ports.splice(0)) {
    p.port1.close();
    p.port2.close();
  }
});

function pair(options?: { timeoutMs?: number; maxPending?: number }) {
  const ch = new MessageChannel();
  ports.push(ch);
  const server = new RpcServer<TestMethods, TestEvents>(ch.port2, {
    echo: ({ text }) => ({ text: text.toUpperCase() }),
    fail: () => {
      throw new MediaError('PRODUCER_NOT_FOUND');
    },
    crash: () => {
      throw new TypeError('internal detail that must not leak');
    },
    never: () => new Promise<never>(() => {}),
  });
  const client = new RpcClient<TestMethods, TestEvents>(ch.port1, options);
  return { server, client, ch };
}

describe('RpcClient / RpcServer', () => {
  it('answers requests by id, concurrently, and delivers events', async () => {
    const { client, server } = pair();
    const events: number[] = [];
    client.on('tick', ({ n }) => events.push(n));
    const answers = await Promise.all(['a', 'b', 'c'].map((text) => client.request('echo', { text })));
    expect(answers).toEqual([{ text: 'A' }, { text: 'B' }, { text: 'C' }]);
    server.emit('tick', { n: 1 });
    server.emit('tick', { n: 2 });
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual([1, 2]);
    expect(client.pendingCount).toBe(0);
  });

  it('turns handler errors into typed MediaErrors, without leaking internal messages', async () => {
    const { client } = pair();
    await expect(client.request('fail', {})).rejects.toMatchObject({ name: 'MediaError', code: 'PRODUCER_NOT_FOUND' });
    const crash = await client.request('crash', {}).catch((e: unknown) => e as MediaError);
    expect(crash).toBeInstanceOf(MediaError);
    expect(crash.code).toBe('BAD_REQUEST');
    expect(crash.message).not.toContain('internal detail');
    await expect(client.request('nope' as 'echo', { text: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('rejects every pending request when closed, and refuses new ones', async () => {
    const { client } = pair();
    const pending = [client.request('never', {}), client.request('never', {})];
    expect(client.pendingCount).toBe(2);
    client.close();
    for (const p of pending) await expect(p).rejects.toMatchObject({ code: 'WORKER_UNAVAILABLE' });
    await expect(client.request('echo', { text: 'x' })).rejects.toMatchObject({ code: 'WORKER_UNAVAILABLE' });
    expect(client.pendingCount).toBe(0);
  });

  it('bounds the requests in flight and times out unanswered ones', async () => {
    const { client } = pair({ timeoutMs: 50, maxPending: 2 });
    const a = client.request('never', {});
    const b = client.request('never', {});
    await expect(client.request('never', {})).rejects.toMatchObject({ code: 'LIMIT_REACHED' });
    await expect(a).rejects.toMatchObject({ code: 'WORKER_UNAVAILABLE' });
    await expect(b).rejects.toMatchObject({ code: 'WORKER_UNAVAILABLE' });
    expect(client.pendingCount).toBe(0);
  });

  it('ignores malformed messages on the port', async () => {
    const { client, ch } = pair();
    ch.port2.postMessage(null);
    ch.port2.postMessage({ t: 'res', id: 'x' });
    ch.port1.postMessage({ t: 'req', id: 999, method: 'toString' });
    ch.port1.postMessage('garbage');
    await expect(client.request('echo', { text: 'ok' })).resolves.toEqual({ text: 'OK' });
  });
});
