/**
 * The board document's vocabulary (docs/signaling.md, "Board layout"): page keys, tools, and the
 * strokes stored under each page. Coordinates are fractions of the page (0–1 across, 0–1 down),
 * so every screen draws the same picture; `width` is in thousandths of the page's width (a text
 * stroke's font size too). Strokes come from other people's clients: readStroke() validates each
 * before anything draws it.
 */
import * as Y from 'yjs';

/** Tools that leave a stroke in the document. */
export const STROKE_TOOLS = ['pen', 'highlighter', 'line', 'arrow', 'rect', 'ellipse', 'text'] as const;
/** A tool that leaves a stroke. */
export type StrokeTool = (typeof STROKE_TOOLS)[number];
/** Every tool of the toolbar: the stroke tools, the eraser, and the presenter's laser pointer. */
export type BoardTool = StrokeTool | 'eraser' | 'laser';

/** One stroke as drawn: validated, plain data. */
export interface Stroke {
  id: string;
  tool: StrokeTool;
  color: string;
  /** Thousandths of the page width. */
  width: number;
  /** Flat x, y pairs (0–1); two points for shapes, one for text. */
  points: number[];
  text?: string;
  /** Participant id of the author. */
  by: string;
}

/** Colours offered by the toolbar (good contrast on white slides and on the whiteboard). */
export const COLORS = ['#1b1f24', '#e03131', '#2f9e44', '#1971c2', '#f08c00', '#9c36b5', '#ffffff'] as const;
/** Stroke widths offered (thousandths of the page width). */
export const WIDTHS = [2, 4, 8] as const;
/** How much wider and more transparent a highlighter is than a pen of the same width. */
export const HIGHLIGHTER = { widthFactor: 4, opacity: 0.35 } as const;
/** Font size of text strokes per width step (thousandths of the page width). */
export const TEXT_SIZE_FACTOR = 7;
/** Longest text of a text stroke (characters). */
export const MAX_STROKE_TEXT = 500;
/** Most coordinates one stroke keeps (a pen stroke stops growing past it). */
export const MAX_STROKE_POINTS = 4_000;

const COLOR = /^#[0-9a-fA-F]{6}$/;
const PAGE_KEY = /^(?:slide:(fil_[A-Za-z0-9]{1,64}):([1-9][0-9]{0,4})|whiteboard:([1-9][0-9]{0,2}))$/;

/** The page key of a slide page. */
export function slidePageKey(fileId: string, page: number): string {
  return `slide:${fileId}:${page}`;
}

/** The page key of a whiteboard page. */
export function whiteboardPageKey(page: number): string {
  return `whiteboard:${page}`;
}

/** What a page key names, or null when it is not one. */
export function parsePageKey(key: string): { kind: 'slide'; fileId: string; page: number } | { kind: 'whiteboard'; page: number } | null {
  const m = PAGE_KEY.exec(key);
  if (!m) return null;
  return m[1] ? { kind: 'slide', fileId: m[1], page: Number(m[2]) } : { kind: 'whiteboard', page: Number(m[3]) };
}

/** Whiteboard pages the document holds (the highest page number with a key), at least `atLeast`. */
export function whiteboardPageCount(pages: { keys(): IterableIterator<string> }, atLeast = 1): number {
  let max = atLeast;
  for (const key of pages.keys()) {
    const p = parsePageKey(key);
    if (p?.kind === 'whiteboard' && p.page > max) max = p.page;
  }
  return max;
}

const isUnit = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= -0.5 && v <= 1.5;

/** A stroke from the document, validated; null for anything malformed (it is then not drawn). */
export function readStroke(value: unknown): Stroke | null {
  if (!(value instanceof Y.Map)) return null;
  const id = value.get('id');
  const tool = value.get('tool');
  const color = value.get('color');
  const width = value.get('width');
  const by = value.get('by');
  const raw = value.get('points');
  const points: unknown = raw instanceof Y.Array ? raw.toArray() : raw;
  if (typeof id !== 'string' || id.length === 0 || id.length > 64) return null;
  if (typeof tool !== 'string' || !(STROKE_TOOLS as readonly string[]).includes(tool)) return null;
  if (typeof color !== 'string' || !COLOR.test(color)) return null;
  if (typeof width !== 'number' || !Number.isFinite(width) || width <= 0 || width > 100) return null;
  if (!Array.isArray(points) || points.length < 2 || points.length % 2 !== 0 || points.length > MAX_STROKE_POINTS * 2) return null;
  if (!points.every(isUnit)) return null;
  const stroke: Stroke = { id, tool: tool as StrokeTool, color, width, points: points as number[], by: typeof by === 'string' ? by : '' };
  if (tool === 'text') {
    const text = value.get('text');
    if (typeof text !== 'string' || !text.trim() || text.length > MAX_STROKE_TEXT) return null;
    stroke.text = text;
  }
  return stroke;
}

/** The valid strokes of a page array, in drawing order. */
export function readStrokes(page: unknown): Stroke[] {
  if (!(page instanceof Y.Array)) return [];
  const out: Stroke[] = [];
  for (const v of page.toArray()) {
    const s = readStroke(v);
    if (s) out.push(s);
  }
  return out;
}

/** A fresh stroke id (random, so concurrent authors never collide). */
export function newStrokeId(): string {
  const bytes = new Uint8Array(9);
  crypto.getRandomValues(bytes);
  return `s${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Clamps a coordinate to the page. */
export function clampUnit(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
