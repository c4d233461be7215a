import { describe, expect, it } from 'vitest';
import { FixedWindowLimiter, clientKey } from './rate-limiter';

describe('FixedWindowLimiter', () => {
  it('allows `limit` requests per window, then refuses with the seconds left in the window', () => {
    const l = new FixedWindowLimiter({ limit: 3, windowMs: 60_000 });
    const t0 = 1_000_000;
    expect([0, 1, 2].map((i) => l.hit('a', t0 + i).allowed)).toEqual([true, true, true]);
    const refused = l.hit('a', t0 + 15_000);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 45, firstRefusal: true });
    expect(l.hit('a', t0 + 16_000).firstRefusal).toBe(false);
  });

  it('counts each key on its own', () => {
    const l = new FixedWindowLimiter({ limit: 1, windowMs: 60_000 });
    expect(l.hit('a', 0).allowed).toBe(true);
    expect(l.hit('b', 0).allowed).toBe(true);
    expect(l.hit('a', 1).allowed).toBe(false);
  });

  it('starts a fresh window once the old one has ended', () => {
    const l = new FixedWindowLimiter({ limit: 1, windowMs: 60_000 });
    expect(l.hit('a', 0).allowed).toBe(true);
    expect(l.hit('a', 59_999).allowed).toBe(false);
    expect(l.hit('a', 60_000)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('sweep() forgets ended windows and keeps live ones', () => {
    const l = new FixedWindowLimiter({ limit: 5, windowMs: 1000 });
    l.hit('old1', 0);
    l.hit('old2', 100);
    l.hit('live', 900);
    expect(l.sweep(1500)).toBe(2);
    expect(l.size).toBe(1);
    expect(l.hit('live', 1500).remaining).toBe(3);
  });

  it('a key whose window restarts moves behind younger windows, so sweeping stays correct', () => {
    const l = new FixedWindowLimiter({ limit: 5, windowMs: 1000 });
    l.hit('a', 0);
    l.hit('b', 500);
    l.hit('a', 1200);
    expect(l.sweep(1600)).toBe(1);
    expect(l.hit('a', 1700).remaining).toBe(3);
  });

  it('never remembers more than maxKeys clients: the oldest window is forgotten first', () => {
    const l = new FixedWindowLimiter({ limit: 1, windowMs: 60_000, maxKeys: 3 });
    for (const k of ['a', 'b', 'c', 'd']) l.hit(k, 0);
    expect(l.size).toBe(3);
    expect(l.hit('a', 1).allowed).toBe(true);
    expect(l.hit('d', 1).allowed).toBe(false);
    for (let i = 0; i < 10_000; i++) l.hit(`flood-${i}`, 2);
    expect(l.size).toBe(3);
  });
});

describe('clientKey()', () => {
  it('keys IPv4 clients by address, also when written as IPv4-mapped IPv6', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('keys IPv6 clients by their /64, so rotating addresses inside it does not escape the limit', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('2001:db8:1:3::1')).not.toBe(clientKey('2001:db8:1:2::1'));
  });
});
