import { describe, expect, it } from 'vitest';
import { PointerThrottle, TRAIL_MS, extendTrail, trailSegments } from './laser';

/** A clock and timers the test moves by hand. */
function clock() {
  let now = 0;
  let timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      const t = { at: now + ms, fn };
      timers.push(t);
      return t;
    },
    clearTimer: (t: unknown) => {
      timers = timers.filter((x) => x !== t);
    },
    advance(ms: number) {
      now += ms;
      for (const t of timers.filter((x) => x.at <= now)) {
        timers = timers.filter((x) => x !== t);
        t.fn();
      }
    },
  };
}

describe('PointerThrottle', () => {
  it('sends at most 8 positions a second, always ending on the latest one', () => {
    const c = clock();
    const sent: [number, number, boolean][] = [];
    const th = new PointerThrottle((x, y, v) => sent.push([x, y, v]), 125, c.now, c.setTimer, c.clearTimer);
    // 60 moves a second for one second.
    for (let i = 0; i < 60; i++) {
      th.move(i / 100, 0.5);
      c.advance(1000 / 60);
    }
    c.advance(200);
    expect(sent.length).toBeLessThanOrEqual(9);
    expect(sent.length).toBeGreaterThanOrEqual(7);
    expect(sent.at(-1)).toEqual([0.59, 0.5, true]);
  });

  it('hides at once and drops a pending move, so the pointer does not come back', () => {
    const c = clock();
    const sent: [number, number, boolean][] = [];
    const th = new PointerThrottle((x, y, v) => sent.push([x, y, v]), 125, c.now, c.setTimer, c.clearTimer);
    th.move(0.1, 0.1);
    th.move(0.2, 0.2);
    th.hide(0.2, 0.2);
    c.advance(500);
    expect(sent).toEqual([[0.1, 0.1, true], [0.2, 0.2, false]]);
  });
});

describe('laser trail', () => {
  it('keeps recent points only and fades older segments', () => {
    let trail = extendTrail([], { x: 0, y: 0, at: 0 });
    trail = extendTrail(trail, { x: 0.1, y: 0, at: 100 });
    trail = extendTrail(trail, { x: 0.2, y: 0, at: 200 });
    const segs = trailSegments(trail, 200);
    expect(segs).toHaveLength(2);
    expect(segs[1].opacity).toBeGreaterThan(segs[0].opacity);
    expect(trailSegments(trail, 200 + TRAIL_MS)).toEqual([]);
    expect(extendTrail(trail, { x: 1, y: 1, at: 100 + TRAIL_MS })).toEqual([{ x: 0.2, y: 0, at: 200 }, { x: 1, y: 1, at: 100 + TRAIL_MS }]);
  });
});
