/**
 * One person's hands on the board document: drawing strokes live (a stroke is created at the
 * first point and grows as the pointer moves, so everyone sees it being drawn), erasing, clearing
 * a page, and undo/redo of one's own actions only (a Y.UndoManager tracking this model's origin).
 *
 * A page's stroke list is created in its own, untracked transaction, so undoing a first stroke
 * never takes away the page (and whatever others drew on it since). Two people starting on a
 * fresh page at the same moment each create the list; Yjs keeps one of them, so the strokes the
 * other list held are drawn again into the winner (`rehome`).
 */
import * as Y from 'yjs';
import { MAX_STROKE_POINTS, clampUnit, newStrokeId, readStrokes, type Stroke, type StrokeTool } from './strokes';

/** What a new stroke starts with. */
export interface StrokeStart {
  tool: StrokeTool;
  color: string;
  width: number;
  x: number;
  y: number;
  text?: string;
}

/** A stroke being drawn. */
export interface DrawingStroke {
  readonly id: string;
  readonly page: string;
  readonly tool: StrokeTool;
}

const PAGE_ORIGIN = 'board-page';
const SHAPES: ReadonlySet<StrokeTool> = new Set(['line', 'arrow', 'rect', 'ellipse']);

/** The board document as one participant edits it (see file comment). */
export class BoardModel {
  /** The origin of this model's own changes (what undo tracks). */
  readonly origin = { board: 'local' };
  readonly pages: Y.Map<Y.Array<Y.Map<unknown>>>;
  private readonly undo: Y.UndoManager;
  // Strokes this person finished, by id, so they can be put back if their page list loses a race.
  private readonly mine = new Map<string, { page: string; stroke: Stroke }>();
  // Strokes being drawn: their document map, and a plain copy (a map whose list lost a race can no longer be read).
  private readonly live = new Map<string, { page: string; map: Y.Map<unknown>; points: Y.Array<number>; data: Stroke }>();
  private sweeping = false;
  private readonly onPagesChange = (e: Y.YMapEvent<Y.Array<Y.Map<unknown>>>) => this.rehome(e);

  constructor(readonly doc: Y.Doc, readonly me: string) {
    this.pages = doc.getMap('pages');
    // One undo step per stroke: steps are cut explicitly when a stroke starts and ends.
    this.undo = new Y.UndoManager(this.pages, { trackedOrigins: new Set([this.origin]), captureTimeout: 24 * 3_600_000 });
    this.pages.observe(this.onPagesChange);
  }

  /** The valid strokes of a page, in drawing order. */
  strokes(page: string): Stroke[] {
    return readStrokes(this.pages.get(page));
  }

  /** Calls `fn` after every change of the board (local or remote); returns a function that stops. */
  subscribe(fn: () => void): () => void {
    const handler = () => fn();
    this.pages.observeDeep(handler);
    const stack = () => fn();
    this.undo.on('stack-item-added', stack);
    this.undo.on('stack-item-popped', stack);
    return () => {
      this.pages.unobserveDeep(handler);
      this.undo.off('stack-item-added', stack);
      this.undo.off('stack-item-popped', stack);
    };
  }

  /** Makes sure the page has its stroke list (untracked: undo never removes a page). */
  ensurePage(page: string): Y.Array<Y.Map<unknown>> {
    let list = this.pages.get(page);
    if (!(list instanceof Y.Array)) {
      this.doc.transact(() => {
        list = new Y.Array<Y.Map<unknown>>();
        this.pages.set(page, list);
      }, PAGE_ORIGIN);
    }
    return list as Y.Array<Y.Map<unknown>>;
  }

  /** Starts a stroke at a point (a shape's two points both start there); others see it at once. */
  begin(page: string, start: StrokeStart): DrawingStroke {
    const list = this.ensurePage(page);
    const id = newStrokeId();
    const x = clampUnit(start.x);
    const y = clampUnit(start.y);
    const data: Stroke = { id, tool: start.tool, color: start.color, width: start.width, by: this.me, points: SHAPES.has(start.tool) ? [x, y, x, y] : [x, y] };
    if (start.tool === 'text' && start.text !== undefined) data.text = start.text;
    this.undo.stopCapturing();
    this.doc.transact(() => {
      const map = strokeMap(data);
      list.push([map]);
      this.live.set(id, { page, map, points: map.get('points') as Y.Array<number>, data: { ...data, points: [...data.points] } });
    }, this.origin);
    return { id, page, tool: start.tool };
  }

  /** Adds freehand points to a pen or highlighter stroke (flat x, y pairs). */
  extend(s: DrawingStroke, xy: readonly number[]): void {
    const l = this.live.get(s.id);
    if (!l || xy.length < 2) return;
    const room = MAX_STROKE_POINTS * 2 - l.points.length;
    if (room <= 0) return;
    const add = xy.slice(0, Math.min(xy.length - (xy.length % 2), room)).map(clampUnit);
    l.data.points.push(...add);
    this.doc.transact(() => l.points.push(add), this.origin);
  }

  /** Moves the second point of a shape (line, arrow, rectangle, ellipse). */
  reshape(s: DrawingStroke, x: number, y: number): void {
    const l = this.live.get(s.id);
    if (!l || l.points.length !== 4) return;
    l.data.points.splice(2, 2, clampUnit(x), clampUnit(y));
    this.doc.transact(() => {
      l.points.delete(2, 2);
      l.points.insert(2, [clampUnit(x), clampUnit(y)]);
    }, this.origin);
  }

  /** Finishes a stroke: later changes are a new undo step. */
  end(s: DrawingStroke): void {
    const l = this.live.get(s.id);
    this.live.delete(s.id);
    this.undo.stopCapturing();
    if (l) this.mine.set(s.id, { page: s.page, stroke: l.data });
  }

  /** Adds a finished text stroke at a point. */
  addText(page: string, start: StrokeStart & { text: string }): void {
    const s = this.begin(page, start);
    this.end(s);
  }

  /** Starts an eraser sweep: everything erased until endSweep() is one undo step. */
  beginSweep(): void {
    this.undo.stopCapturing();
    this.sweeping = true;
  }

  /** Ends an eraser sweep. */
  endSweep(): void {
    this.sweeping = false;
    this.undo.stopCapturing();
  }

  /** Deletes the strokes with these ids from the page (one undo step, or part of the current sweep's). */
  erase(page: string, ids: readonly string[]): void {
    const list = this.pages.get(page);
    if (!(list instanceof Y.Array) || !ids.length) return;
    const doomed = new Set(ids);
    if (!this.sweeping) this.undo.stopCapturing();
    this.doc.transact(() => {
      for (let i = list.length - 1; i >= 0; i--) {
        const m = list.get(i);
        if (m instanceof Y.Map && doomed.has(m.get('id') as string)) list.delete(i, 1);
      }
    }, this.origin);
    for (const id of ids) this.mine.delete(id);
    if (!this.sweeping) this.undo.stopCapturing();
  }

  /** Deletes every stroke of the page (staff; one undo step). */
  clear(page: string): void {
    const list = this.pages.get(page);
    if (!(list instanceof Y.Array) || list.length === 0) return;
    this.undo.stopCapturing();
    this.doc.transact(() => list.delete(0, list.length), this.origin);
    for (const [id, m] of this.mine) if (m.page === page) this.mine.delete(id);
    this.undo.stopCapturing();
  }

  /** True when there is an own action to undo / redo. */
  get canUndo(): boolean {
    return this.undo.canUndo();
  }
  get canRedo(): boolean {
    return this.undo.canRedo();
  }

  /** Undoes this person's last action (never anyone else's). */
  undoLast(): void {
    this.undo.undo();
  }

  /** Redoes what undoLast() took back. */
  redoLast(): void {
    this.undo.redo();
  }

  /** Stops observing the document. */
  destroy(): void {
    this.pages.unobserve(this.onPagesChange);
    this.undo.destroy();
  }

  private rehome(e: Y.YMapEvent<Y.Array<Y.Map<unknown>>>): void {
    if (e.transaction.local) return;
    for (const [page, change] of e.changes.keys) {
      if (change.action !== 'update') continue;
      const list = this.pages.get(page);
      if (!(list instanceof Y.Array)) continue;
      const present = new Set(readStrokes(list).map((s) => s.id));
      const lost = [...this.mine.values()].filter((m) => m.page === page && !present.has(m.stroke.id)).map((m) => m.stroke);
      const drawing = [...this.live.entries()].filter(([id, l]) => l.page === page && !present.has(id));
      if (!lost.length && !drawing.length) continue;
      this.doc.transact(() => {
        for (const stroke of lost) list.push([strokeMap(stroke)]);
        // A stroke still being drawn moves too, and keeps growing in its new place.
        for (const [id, l] of drawing) {
          const map = strokeMap(l.data);
          list.push([map]);
          this.live.set(id, { page, map, points: map.get('points') as Y.Array<number>, data: l.data });
        }
      }, PAGE_ORIGIN);
    }
  }
}

/** A new document map holding a stroke. */
function strokeMap(stroke: Stroke): Y.Map<unknown> {
  const map = new Y.Map<unknown>();
  map.set('id', stroke.id);
  map.set('tool', stroke.tool);
  map.set('color', stroke.color);
  map.set('width', stroke.width);
  map.set('by', stroke.by);
  map.set('points', Y.Array.from(stroke.points));
  if (stroke.text !== undefined) map.set('text', stroke.text);
  return map;
}
