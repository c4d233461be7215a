import { isIPv4, isIPv6 } from 'node:net';

/** Outcome of counting one request. */
export interface RateDecision {
  allowed: boolean;
  /** Requests left in the current window after this one. */
  remaining: number;
  /** Whole seconds until the window resets (what `Retry-After` says). */
  retryAfterSeconds: number;
  /** True only for the first refused request of a window: log once per window, not per request. */
  firstRefusal: boolean;
}

/** Options of a fixed-window limiter. */
export interface FixedWindowOptions {
  /** Requests allowed per window and key. */
  limit: number;
  /** Window length in milliseconds. */
  windowMs: number;
  /** Most keys remembered at once; the oldest window is forgotten first. Bounds memory under floods of addresses. */
  maxKeys?: number;
}

interface Window {
  startedAt: number;
  count: number;
}

/**
 * Counts requests per key in fixed windows. Keys are kept in a Map in the order their window
 * started, so sweeping expired windows stops at the first live one and eviction drops the oldest.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly maxKeys: number;

  constructor(private readonly opts: FixedWindowOptions) {
    this.maxKeys = opts.maxKeys ?? 100_000;
  }

  /** Counts one request of `key` at time `now` (ms) and tells whether it may proceed. */
  hit(key: string, now: number): RateDecision {
    let w = this.windows.get(key);
    if (!w || now - w.startedAt >= this.opts.windowMs) {
      // A new window moves the key to the end of the Map: insertion order stays start order.
      if (w) this.windows.delete(key);
      else if (this.windows.size >= this.maxKeys) this.evictOldest();
      w = { startedAt: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    const retryAfterSeconds = Math.max(1, Math.ceil((w.startedAt + this.opts.windowMs - now) / 1000));
    return {
      allowed: w.count <= this.opts.limit,
      remaining: Math.max(0, this.opts.limit - w.count),
      retryAfterSeconds,
      firstRefusal: w.count === this.opts.limit + 1,
    };
  }

  /** Forgets every window that has ended by `now`; returns how many. */
  sweep(now: number): number {
    let removed = 0;
    for (const [key, w] of this.windows) {
      if (now - w.startedAt < this.opts.windowMs) break;
      this.windows.delete(key);
      removed++;
    }
    return removed;
  }

  /** Keys currently remembered. */
  get size(): number {
    return this.windows.size;
  }

  private evictOldest(): void {
    const oldest = this.windows.keys().next();
    if (!oldest.done) this.windows.delete(oldest.value);
  }
}

/**
 * The rate-limit key of a client address. IPv6 clients usually own a whole /64 and can rotate
 * addresses inside it at will, so they are counted per /64; IPv4 (also IPv4-mapped IPv6) per address.
 */
export function clientKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (isIPv4(ip)) return ip;
  if (!isIPv6(ip)) return ip;
  const [head, tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}
