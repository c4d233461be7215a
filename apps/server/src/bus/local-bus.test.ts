import { describe, expect, it } from 'vitest';
import { BusRequestError, subjectMatches } from './bus';
import { LocalBus } from './local-bus';

const tick = () => new Promise((r) => setImmediate(r));

describe('LocalBus', () => {
  it('publish() delivers to matching subscriptions in publish order, never inside publish()', async () => {
    const bus = new LocalBus();
    const got: string[] = [];
    bus.subscribe<{ n: number }>('room.a.events', (m, s) => got.push(`${s}:${m.n}`));
    bus.subscribe<{ n: number }>('room.*.events', (m) => got.push(`*:${m.n}`));
    bus.subscribe<{ n: number }>('room.>', (m) => got.push(`>:${m.n}`));
    bus.subscribe('room.b.events', () => got.push('wrong room'));
    bus.publish('room.a.events', { n: 1 });
    bus.publish('room.a.events', { n: 2 });
    expect(got).toEqual([]);
    await tick();
    expect(got).toEqual(['room.a.events:1', '*:1', '>:1', 'room.a.events:2', '*:2', '>:2']);
  });

  it('an unsubscribed handler receives nothing more, even for messages already published', async () => {
    const bus = new LocalBus();
    const got: number[] = [];
    const off = bus.subscribe<number>('x', (n) => got.push(n));
    bus.publish('x', 1);
    off();
    off();
    await tick();
    expect(got).toEqual([]);
    expect(bus.stats()).toEqual({ subscriptions: 0, responders: 0, pendingRequests: 0 });
  });

  it('a throwing subscriber does not keep the others from their messages', async () => {
    const errors: unknown[] = [];
    const bus = new LocalBus({ onHandlerError: (e) => errors.push(e) });
    const got: number[] = [];
    bus.subscribe('x', () => {
      throw new Error('boom');
    });
    bus.subscribe<number>('x', (n) => got.push(n));
    bus.publish('x', 7);
    await tick();
    expect(got).toEqual([7]);
    expect(errors).toHaveLength(1);
  });

  it('request() is answered by a responder of the subject, also through a wildcard', async () => {
    const bus = new LocalBus();
    bus.serve<{ a: number }, { b: number }>('calc.*', async (q, s) => ({ b: q.a * 2 + (s === 'calc.plus1' ? 1 : 0) }));
    expect(await bus.request('calc.double', { a: 4 })).toEqual({ b: 8 });
    expect(await bus.request('calc.plus1', { a: 4 })).toEqual({ b: 9 });
    expect(bus.stats().pendingRequests).toBe(0);
  });

  it('request() fails with no-responders, responder-failed, timeout or closed — and never hangs', async () => {
    const bus = new LocalBus();
    await expect(bus.request('nobody', {})).rejects.toMatchObject({ reason: 'no-responders' });
    bus.serve('fails', () => {
      throw new Error('x');
    });
    await expect(bus.request('fails', {})).rejects.toMatchObject({ reason: 'responder-failed' });
    bus.serve('slow', () => new Promise(() => {}));
    await expect(bus.request('slow', {}, { timeoutMs: 20 })).rejects.toBeInstanceOf(BusRequestError);
    const pending = bus.request('slow', {}, { timeoutMs: 60_000 });
    expect(bus.stats().pendingRequests).toBe(1);
    await bus.close();
    await expect(pending).rejects.toMatchObject({ reason: 'closed' });
    expect(bus.stats()).toEqual({ subscriptions: 0, responders: 0, pendingRequests: 0 });
  });

  it('refuses malformed subjects', () => {
    const bus = new LocalBus();
    expect(() => bus.publish('a..b', 1)).toThrow();
    expect(() => bus.publish('a.*', 1)).toThrow();
    expect(() => bus.subscribe('a.>.b', () => {})).toThrow();
    expect(() => bus.subscribe('has space', () => {})).toThrow();
  });

  it('subjectMatches() follows NATS wildcards', () => {
    expect(subjectMatches('room.*.events', 'room.evt_1.events')).toBe(true);
    expect(subjectMatches('room.*.events', 'room.evt_1.commands')).toBe(false);
    expect(subjectMatches('room.>', 'room.a.b.c')).toBe(true);
    expect(subjectMatches('room.>', 'room')).toBe(false);
    expect(subjectMatches('room.*', 'room.a.b')).toBe(false);
  });
});
