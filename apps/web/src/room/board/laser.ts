/**
 * The laser pointer without the DOM: a throttle that sends the presenter's pointer at most a few
 * times a second (always the latest position, and a hide at once), and the fading trail drawn
 * behind each remote pointer.
 */

/** Most pointer messages a presenter sends per second. */
export const POINTER_RATE = 8;
/** How long a trail point stays visible, ms. */
export const TRAIL_MS = 700;
/** Most trail points kept per pointer. */
export const TRAIL_POINTS = 24;

/** Sends pointer positions at most every `intervalMs`, keeping the latest one for the trailing send. */
export class PointerThrottle {
  private last = -Infinity;
  private pending: { x: number; y: number } | null = null;
  private timer: unknown = null;

  constructor(
    private readonly send: (x: number, y: number, visible: boolean) => void,
    private readonly intervalMs = 1000 / POINTER_RATE,
    private readonly now: () => number = () => Date.now(),
    private readonly setTimer: (fn: () => void, ms: number) => unknown = (fn, ms) => setTimeout(fn, ms),
    private readonly clearTimer: (id: unknown) => void = (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
  ) {}

  /** The pointer is at (x, y) (0–1 of the stage). */
  move(x: number, y: number): void {
    const t = this.now();
    if (t - this.last >= this.intervalMs && this.timer === null) {
      this.last = t;
      this.send(x, y, true);
      return;
    }
    this.pending = { x, y };
    if (this.timer === null) {
      this.timer = this.setTimer(() => {
        this.timer = null;
        const p = this.pending;
        this.pending = null;
        if (!p) return;
        this.last = this.now();
        this.send(p.x, p.y, true);
      }, Math.max(0, this.intervalMs - (t - this.last)));
    }
  }

  /** The pointer left the stage (or the laser was put down): hide it now, dropping any pending move. */
  hide(x = 0, y = 0): void {
    this.cancel();
    this.last = this.now();
    this.send(x, y, false);
  }

  /** Drops a pending move without sending anything. */
  cancel(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.pending = null;
  }
}

/** One point of a trail: where and when. */
export interface TrailPoint {
  x: number;
  y: number;
  at: number;
}

/** Adds a position to a trail, dropping points too old or too many. */
export function extendTrail(trail: readonly TrailPoint[], p: TrailPoint): TrailPoint[] {
  return [...trail.filter((q) => p.at - q.at < TRAIL_MS), p].slice(-TRAIL_POINTS);
}

/** The trail's segments at time `now`, each with an opacity that fades with age (oldest first). */
export function trailSegments(trail: readonly TrailPoint[], now: number): { x1: number; y1: number; x2: number; y2: number; opacity: number }[] {
  const out: { x1: number; y1: number; x2: number; y2: number; opacity: number }[] = [];
  for (let i = 1; i < trail.length; i++) {
    const age = now - trail[i].at;
    if (age >= TRAIL_MS) continue;
    out.push({ x1: trail[i - 1].x, y1: trail[i - 1].y, x2: trail[i].x, y2: trail[i].y, opacity: Math.max(0, 1 - age / TRAIL_MS) * 0.6 });
  }
  return out;
}
