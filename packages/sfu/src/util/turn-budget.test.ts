import { describe, expect, it } from 'vitest';
import { type DeferredPacketTarget, TurnBudget } from './turn-budget';

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

describe('TurnBudget', () => {
  it('admits packets until the turn has spent its budget, then defers them; they run in later turns, in order, with timers in between', async () => {
    let clock = 0;
    const budget = new TurnBudget(4, 100, () => clock);
    const handled: number[] = [];
    const events: string[] = [];
    const target: DeferredPacketTarget = {
      onDeferredPacket: (p) => {
        handled.push(p[0] as number);
        events.push(`packet ${p[0]}`);
        clock += 3; // each deferred packet costs 3 ms
      },
    };
    // One turn: 0..3 ms admitted, then the budget is spent.
    const admitted: number[] = [];
    for (let i = 0; i < 6; i++) {
      if (budget.admit()) {
        admitted.push(i);
        clock += 2;
      } else budget.defer(target, Buffer.from([i]), '', 0);
    }
    expect(admitted).toEqual([0, 1]);
    expect(budget.stats).toEqual({ deferred: 4, overflowed: 0, failed: 0, queued: 4 });
    // Other work of the loop (here a setImmediate queued after the first chunk) runs between chunks.
    setImmediate(() => events.push('other work'));
    // While packets wait, newcomers queue behind them even in a fresh turn.
    await nextTurn();
    expect(budget.admit()).toBe(false);
    budget.defer(target, Buffer.from([6]), '', 0);
    for (let t = 0; t < 10 && budget.stats.queued > 0; t++) await new Promise((r) => setTimeout(r, 1));
    expect(handled).toEqual([2, 3, 4, 5, 6]);
    // 3 ms each against a 4 ms budget: two per turn, the other work in between.
    expect(events).toEqual(['packet 2', 'packet 3', 'other work', 'packet 4', 'packet 5', 'packet 6']);
    expect(budget.stats.queued).toBe(0);
    await nextTurn();
    expect(budget.admit()).toBe(true);
  });

  it('drops past maxQueued and counts it; a throwing target does not stall the others', async () => {
    let clock = 0;
    const budget = new TurnBudget(1, 3, () => clock);
    const handled: number[] = [];
    const bad: DeferredPacketTarget = {
      onDeferredPacket: () => {
        throw new Error('boom');
      },
    };
    const good: DeferredPacketTarget = { onDeferredPacket: (p) => handled.push(p[0] as number) };
    expect(budget.admit()).toBe(true);
    clock = 5;
    expect(budget.admit()).toBe(false);
    budget.defer(bad, Buffer.from([0]), '', 0);
    budget.defer(good, Buffer.from([1]), '', 0);
    budget.defer(good, Buffer.from([2]), '', 0);
    budget.defer(good, Buffer.from([3]), '', 0); // a fourth does not fit
    for (let t = 0; t < 10 && budget.stats.queued > 0; t++) await nextTurn();
    expect(handled).toEqual([1, 2]);
    expect(budget.stats).toEqual({ deferred: 3, overflowed: 1, failed: 1, queued: 0 });
  });
});
