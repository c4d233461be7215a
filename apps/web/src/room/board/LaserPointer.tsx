/**
 * The laser pointer over the stage: every remote pointer as a red dot with a short fading trail,
 * and — while a presenter holds the laser — the presenter's own dot, whose position is sent at
 * most POINTER_RATE times a second (hidden again when the pointer leaves the page).
 */
import { useEffect, useRef, useState, type PointerEvent } from 'react';
import { PointerThrottle, TRAIL_MS, extendTrail, trailSegments, type TrailPoint } from './laser';

/** Where a remote participant's pointer is (0–1 across and down the page). */
export interface RemotePointer {
  x: number;
  y: number;
  visible: boolean;
}

/** Props of LaserPointer. */
export interface LaserPointerProps {
  /** The latest pointer of each participant who pointed (from `pointer` events), by participant id. */
  pointers: ReadonlyMap<string, RemotePointer>;
  /** This person holds the laser: the layer takes the pointer and sends its position. */
  active: boolean;
  /** Sends the own pointer (stage-relative 0–1, visible or hidden). */
  onPointer: (x: number, y: number, visible: boolean) => void;
}

const LOCAL = '\u0000self';

/** Remote pointers with trails, and the presenter's own laser (see file comment). */
export function LaserPointer({ pointers, active, onPointer }: LaserPointerProps) {
  const trails = useRef(new Map<string, TrailPoint[]>());
  const [local, setLocal] = useState<{ x: number; y: number } | null>(null);
  const [now, setNow] = useState(() => performance.now());
  const send = useRef(onPointer);
  send.current = onPointer;
  const throttle = useRef<PointerThrottle | null>(null);
  if (!throttle.current) throttle.current = new PointerThrottle((x, y, v) => send.current(x, y, v));

  // Each new position of a remote pointer extends its trail; a hidden one loses it.
  useEffect(() => {
    const at = performance.now();
    for (const [id, p] of pointers) {
      if (!p.visible) {
        trails.current.delete(id);
        continue;
      }
      const trail = trails.current.get(id) ?? [];
      const last = trail[trail.length - 1];
      if (!last || last.x !== p.x || last.y !== p.y) trails.current.set(id, extendTrail(trail, { x: p.x, y: p.y, at }));
    }
    for (const id of [...trails.current.keys()]) if (id !== LOCAL && !pointers.has(id)) trails.current.delete(id);
    setNow(at);
  }, [pointers]);

  // Animate while a trail is still fading.
  useEffect(() => {
    const fading = [...trails.current.values()].some((t) => t.length > 1 && now - t[t.length - 1].at < TRAIL_MS);
    if (!fading) return;
    const id = requestAnimationFrame(() => setNow(performance.now()));
    return () => cancelAnimationFrame(id);
  }, [now]);

  // Putting the laser down hides it for everyone.
  useEffect(() => {
    if (active) return;
    const th = throttle.current!;
    if (local) {
      th.hide(local.x, local.y);
      setLocal(null);
      trails.current.delete(LOCAL);
    }
  }, [active]);
  useEffect(() => () => throttle.current?.cancel(), []);

  const where = (e: PointerEvent<HTMLDivElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: Math.min(1, Math.max(0, (e.clientX - r.left) / Math.max(1, r.width))), y: Math.min(1, Math.max(0, (e.clientY - r.top) / Math.max(1, r.height))) };
  };
  const onMove = (e: PointerEvent<HTMLDivElement>) => {
    const p = where(e);
    setLocal(p);
    const at = performance.now();
    trails.current.set(LOCAL, extendTrail(trails.current.get(LOCAL) ?? [], { ...p, at }));
    setNow(at);
    throttle.current!.move(p.x, p.y);
  };
  const onLeave = (e: PointerEvent<HTMLDivElement>) => {
    const p = where(e);
    throttle.current!.hide(p.x, p.y);
    setLocal(null);
    trails.current.delete(LOCAL);
  };

  const dots: { id: string; x: number; y: number }[] = [];
  for (const [id, p] of pointers) if (p.visible) dots.push({ id, x: p.x, y: p.y });
  if (active && local) dots.push({ id: LOCAL, ...local });

  return (
    <div
      className={`bd-laser${active ? ' is-active' : ''}`}
      onPointerMove={active ? onMove : undefined}
      onPointerDown={active ? onMove : undefined}
      onPointerLeave={active ? onLeave : undefined}
    >
      <svg className="bd-laser-trails" viewBox="0 0 1 1" preserveAspectRatio="none" aria-hidden="true">
        {[...trails.current.entries()].flatMap(([id, trail]) =>
          trailSegments(trail, now).map((s, i) => (
            <line key={`${id}-${i}`} x1={s.x1} y1={s.y1} x2={s.x2} y2={s.y2} strokeOpacity={s.opacity} vectorEffect="non-scaling-stroke" />
          )),
        )}
      </svg>
      {dots.map((d) => (
        <span key={d.id} className={`bd-laser-dot${d.id === LOCAL ? ' is-local' : ''}`} style={{ left: `${d.x * 100}%`, top: `${d.y * 100}%` }} aria-hidden="true" />
      ))}
    </div>
  );
}
