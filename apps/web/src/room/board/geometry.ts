/**
 * Geometry of strokes, free of the DOM: what to draw for each stroke in page units (the page is
 * 1000 units wide and 1000/aspect tall, so a width of 4 is four thousandths of the width on every
 * screen), and which strokes the eraser touches.
 */
import { HIGHLIGHTER, TEXT_SIZE_FACTOR, type Stroke } from './strokes';

/** Width of the page in drawing units (the SVG viewBox). */
export const PAGE_UNITS = 1000;

/** What to draw for one stroke. */
export type Shape =
  | { kind: 'path'; d: string; stroke: string; width: number; opacity: number; fill?: string }
  | { kind: 'ellipse'; cx: number; cy: number; rx: number; ry: number; stroke: string; width: number }
  | { kind: 'text'; x: number; y: number; lines: string[]; size: number; color: string };

const r1 = (v: number) => Math.round(v * 10) / 10;

/** Font size (page units) of a text stroke of this width. */
export function textSize(width: number): number {
  return width * TEXT_SIZE_FACTOR;
}

/** Line height of text strokes, as a factor of the font size. */
export const TEXT_LINE_HEIGHT = 1.25;

/** Points of a stroke in page units. */
function unitPoints(s: Stroke, aspect: number): [number, number][] {
  const h = PAGE_UNITS / aspect;
  const out: [number, number][] = [];
  for (let i = 0; i + 1 < s.points.length; i += 2) out.push([s.points[i] * PAGE_UNITS, s.points[i + 1] * h]);
  return out;
}

/** A smooth path through freehand points: quadratic curves through the midpoints. */
function freehandPath(pts: [number, number][]): string {
  if (pts.length === 1) {
    const [x, y] = pts[0];
    // A dot: a zero-length line drawn with round caps.
    return `M${r1(x)} ${r1(y)}L${r1(x + 0.01)} ${r1(y)}`;
  }
  let d = `M${r1(pts[0][0])} ${r1(pts[0][1])}`;
  for (let i = 1; i < pts.length - 1; i++) {
    const [x, y] = pts[i];
    const [nx, ny] = pts[i + 1];
    d += `Q${r1(x)} ${r1(y)} ${r1((x + nx) / 2)} ${r1((y + ny) / 2)}`;
  }
  const [lx, ly] = pts[pts.length - 1];
  return `${d}L${r1(lx)} ${r1(ly)}`;
}

/** The lines of an arrow: the shaft and a head scaled to the stroke width. */
function arrowPath(a: [number, number], b: [number, number], width: number): string {
  const [x0, y0] = a;
  const [x1, y1] = b;
  const len = Math.hypot(x1 - x0, y1 - y0) || 1;
  const head = Math.min(len * 0.5, 10 + width * 3);
  const ux = (x1 - x0) / len;
  const uy = (y1 - y0) / len;
  const sin = Math.sin(Math.PI / 7);
  const cos = Math.cos(Math.PI / 7);
  const lx = x1 - head * (ux * cos - uy * sin);
  const ly = y1 - head * (uy * cos + ux * sin);
  const rx = x1 - head * (ux * cos + uy * sin);
  const ry = y1 - head * (uy * cos - ux * sin);
  return `M${r1(x0)} ${r1(y0)}L${r1(x1)} ${r1(y1)}M${r1(lx)} ${r1(ly)}L${r1(x1)} ${r1(y1)}L${r1(rx)} ${r1(ry)}`;
}

/** What to draw for a stroke on a page of this aspect ratio (width / height). */
export function strokeShape(s: Stroke, aspect: number): Shape {
  const pts = unitPoints(s, aspect);
  const a = pts[0];
  const b = pts[pts.length - 1];
  switch (s.tool) {
    case 'pen':
      return { kind: 'path', d: freehandPath(pts), stroke: s.color, width: s.width, opacity: 1 };
    case 'highlighter':
      return { kind: 'path', d: freehandPath(pts), stroke: s.color, width: s.width * HIGHLIGHTER.widthFactor, opacity: HIGHLIGHTER.opacity };
    case 'line':
      return { kind: 'path', d: `M${r1(a[0])} ${r1(a[1])}L${r1(b[0])} ${r1(b[1])}`, stroke: s.color, width: s.width, opacity: 1 };
    case 'arrow':
      return { kind: 'path', d: arrowPath(a, b, s.width), stroke: s.color, width: s.width, opacity: 1 };
    case 'rect': {
      const x = Math.min(a[0], b[0]);
      const y = Math.min(a[1], b[1]);
      const w = Math.abs(b[0] - a[0]);
      const h = Math.abs(b[1] - a[1]);
      return { kind: 'path', d: `M${r1(x)} ${r1(y)}h${r1(w)}v${r1(h)}h${r1(-w)}Z`, stroke: s.color, width: s.width, opacity: 1, fill: 'none' };
    }
    case 'ellipse':
      return {
        kind: 'ellipse', cx: r1((a[0] + b[0]) / 2), cy: r1((a[1] + b[1]) / 2), rx: r1(Math.abs(b[0] - a[0]) / 2), ry: r1(Math.abs(b[1] - a[1]) / 2),
        stroke: s.color, width: s.width,
      };
    case 'text':
      return { kind: 'text', x: r1(a[0]), y: r1(a[1]), lines: (s.text ?? '').split('\n'), size: textSize(s.width), color: s.color };
  }
}

// ---- hit testing ------------------------------------------------------------------------------

/** Distance from point p to the segment a–b. */
export function distanceToSegment(p: [number, number], a: [number, number], b: [number, number]): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

/** The outline of a stroke as polylines in page units (what the eraser can touch). */
function outline(s: Stroke, aspect: number): [number, number][][] {
  const pts = unitPoints(s, aspect);
  const a = pts[0];
  const b = pts[pts.length - 1];
  switch (s.tool) {
    case 'pen':
    case 'highlighter':
      return [pts];
    case 'line':
    case 'arrow':
      return [[a, b]];
    case 'rect':
      return [[a, [b[0], a[1]], b, [a[0], b[1]], a]];
    case 'ellipse': {
      const cx = (a[0] + b[0]) / 2;
      const cy = (a[1] + b[1]) / 2;
      const rx = Math.abs(b[0] - a[0]) / 2;
      const ry = Math.abs(b[1] - a[1]) / 2;
      const ring: [number, number][] = [];
      for (let i = 0; i <= 48; i++) ring.push([cx + rx * Math.cos((i / 48) * 2 * Math.PI), cy + ry * Math.sin((i / 48) * 2 * Math.PI)]);
      return [ring];
    }
    case 'text':
      return [];
  }
}

/** The box a text stroke covers (page units), estimated from its characters. */
export function textBox(s: Stroke, aspect: number): { x: number; y: number; w: number; h: number } {
  const [[x, y]] = unitPoints(s, aspect);
  const size = textSize(s.width);
  const lines = (s.text ?? '').split('\n');
  const longest = Math.max(...lines.map((l) => l.length));
  return { x, y, w: longest * size * 0.6, h: lines.length * size * TEXT_LINE_HEIGHT };
}

/** True when a circle of `radius` (page units) at `p` (page units) touches the stroke. */
export function hitsStroke(s: Stroke, p: [number, number], radius: number, aspect: number): boolean {
  if (s.tool === 'text') {
    const b = textBox(s, aspect);
    return p[0] >= b.x - radius && p[0] <= b.x + b.w + radius && p[1] >= b.y - radius && p[1] <= b.y + b.h + radius;
  }
  const half = (s.tool === 'highlighter' ? s.width * HIGHLIGHTER.widthFactor : s.width) / 2;
  for (const line of outline(s, aspect)) {
    if (line.length === 1 && Math.hypot(p[0] - line[0][0], p[1] - line[0][1]) <= radius + half) return true;
    for (let i = 1; i < line.length; i++) if (distanceToSegment(p, line[i - 1], line[i]) <= radius + half) return true;
  }
  return false;
}

/**
 * Ids of the strokes the eraser touches moving from `from` to `to` (page fractions, like the
 * strokes), with a radius in page units; the path is sampled so a fast sweep misses nothing.
 */
export function eraserHits(strokes: readonly Stroke[], from: [number, number], to: [number, number], radius: number, aspect: number): string[] {
  const h = PAGE_UNITS / aspect;
  const a: [number, number] = [from[0] * PAGE_UNITS, from[1] * h];
  const b: [number, number] = [to[0] * PAGE_UNITS, to[1] * h];
  const steps = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1]) / Math.max(1, radius)));
  const hit: string[] = [];
  for (const s of strokes) {
    for (let i = 0; i <= steps; i++) {
      const p: [number, number] = [a[0] + ((b[0] - a[0]) * i) / steps, a[1] + ((b[1] - a[1]) * i) / steps];
      if (hitsStroke(s, p, radius, aspect)) {
        hit.push(s.id);
        break;
      }
    }
  }
  return hit;
}

/** The largest box of `aspect` (width / height) that fits `w` × `h`, centred. */
export function fitBox(w: number, h: number, aspect: number): { left: number; top: number; width: number; height: number } {
  if (w <= 0 || h <= 0 || !(aspect > 0)) return { left: 0, top: 0, width: 0, height: 0 };
  const width = Math.min(w, h * aspect);
  const height = width / aspect;
  return { left: (w - width) / 2, top: (h - height) / 2, width, height };
}
