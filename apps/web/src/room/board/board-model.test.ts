import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BoardModel } from './board-model';
import { readStroke } from './strokes';

/** Two documents exchanging every update, like two browsers through the server. */
function pair() {
  const a = new Y.Doc();
  const b = new Y.Doc();
  a.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(b, u, 'remote'));
  b.on('update', (u: Uint8Array, origin: unknown) => origin !== 'remote' && Y.applyUpdate(a, u, 'remote'));
  return { a: new BoardModel(a, 'prt_a'), b: new BoardModel(b, 'prt_b') };
}

const pen = { tool: 'pen' as const, color: '#e03131', width: 4 };

describe('BoardModel', () => {
  it('a stroke is in the document from its first point and grows as it is drawn; the other side sees every step', () => {
    const { a, b } = pair();
    const s = a.begin('whiteboard:1', { ...pen, x: 0.1, y: 0.1 });
    expect(b.strokes('whiteboard:1')).toEqual([{ id: s.id, ...pen, points: [0.1, 0.1], by: 'prt_a' }]);
    a.extend(s, [0.2, 0.25, 0.3, 0.35]);
    a.extend(s, [2, -1]);
    a.end(s);
    expect(b.strokes('whiteboard:1')[0].points).toEqual([0.1, 0.1, 0.2, 0.25, 0.3, 0.35, 1, 0]);

    const line = b.begin('whiteboard:1', { tool: 'arrow', color: '#1971c2', width: 2, x: 0.5, y: 0.5 });
    b.reshape(line, 0.7, 0.6);
    b.reshape(line, 0.8, 0.9);
    b.end(line);
    expect(a.strokes('whiteboard:1')[1]).toMatchObject({ tool: 'arrow', points: [0.5, 0.5, 0.8, 0.9], by: 'prt_b' });
  });

  it('undo and redo take back only one\'s own strokes, one stroke per step, never the other person\'s', () => {
    const { a, b } = pair();
    const s1 = a.begin('whiteboard:1', { ...pen, x: 0.1, y: 0.1 });
    a.extend(s1, [0.2, 0.2]);
    a.extend(s1, [0.3, 0.3]);
    a.end(s1);
    const s2 = b.begin('whiteboard:1', { ...pen, x: 0.5, y: 0.5 });
    b.end(s2);
    const s3 = a.begin('whiteboard:1', { ...pen, x: 0.9, y: 0.9 });
    a.end(s3);

    a.undoLast();
    expect(b.strokes('whiteboard:1').map((s) => s.id)).toEqual([s1.id, s2.id]);
    a.undoLast();
    expect(b.strokes('whiteboard:1').map((s) => s.id)).toEqual([s2.id]);
    expect(a.canUndo).toBe(false);
    a.redoLast();
    expect(b.strokes('whiteboard:1').map((s) => s.id)).toEqual([s1.id, s2.id]);
    expect(b.strokes('whiteboard:1')[0].points).toEqual([0.1, 0.1, 0.2, 0.2, 0.3, 0.3]);
    // The page itself survives undoing everything: B's stroke is still there.
    a.undoLast();
    expect(a.pages.has('whiteboard:1')).toBe(true);
  });

  it('erasing and clearing are undoable steps of their own', () => {
    const { a, b } = pair();
    const s1 = b.begin('slide:fil_abc:2', { ...pen, x: 0.1, y: 0.1 });
    b.end(s1);
    const s2 = a.begin('slide:fil_abc:2', { ...pen, x: 0.2, y: 0.2 });
    a.end(s2);
    a.erase('slide:fil_abc:2', [s1.id]);
    expect(b.strokes('slide:fil_abc:2').map((s) => s.id)).toEqual([s2.id]);
    a.undoLast();
    expect(b.strokes('slide:fil_abc:2').map((s) => s.id)).toEqual([s1.id, s2.id]);
    // A sweep of the eraser over several strokes is one step, however many moves it took.
    const s3 = a.begin('slide:fil_abc:2', { ...pen, x: 0.3, y: 0.3 });
    a.end(s3);
    a.beginSweep();
    a.erase('slide:fil_abc:2', [s1.id]);
    a.erase('slide:fil_abc:2', [s3.id]);
    a.endSweep();
    expect(b.strokes('slide:fil_abc:2').map((s) => s.id)).toEqual([s2.id]);
    a.undoLast();
    expect(b.strokes('slide:fil_abc:2').map((s) => s.id)).toEqual([s1.id, s2.id, s3.id]);
    a.erase('slide:fil_abc:2', [s3.id]);
    a.clear('slide:fil_abc:2');
    expect(b.strokes('slide:fil_abc:2')).toEqual([]);
    a.undoLast();
    expect(b.strokes('slide:fil_abc:2')).toHaveLength(2);
  });

  it('adds text strokes, and its strokes are valid for everyone who reads them', () => {
    const { a, b } = pair();
    a.addText('whiteboard:2', { tool: 'text', color: '#1b1f24', width: 4, x: 0.4, y: 0.3, text: 'Hello\nworld' });
    expect(b.strokes('whiteboard:2')).toEqual([expect.objectContaining({ tool: 'text', text: 'Hello\nworld', points: [0.4, 0.3] })]);
  });

  it('two people starting on a fresh page at once both keep their strokes (the losing list is drawn again into the winner)', () => {
    const da = new Y.Doc();
    const db = new Y.Doc();
    const a = new BoardModel(da, 'prt_a');
    const b = new BoardModel(db, 'prt_b');
    const sa = a.begin('whiteboard:1', { ...pen, x: 0.1, y: 0.1 });
    a.end(sa);
    const sb = b.begin('whiteboard:1', { ...pen, x: 0.9, y: 0.9 });
    b.extend(sb, [0.8, 0.8]);
    // Offline from each other until now: exchange everything, then what the rehoming wrote.
    for (let i = 0; i < 3; i++) {
      const ua = Y.encodeStateAsUpdate(da, Y.encodeStateVector(db));
      const ub = Y.encodeStateAsUpdate(db, Y.encodeStateVector(da));
      Y.applyUpdate(db, ua, 'remote');
      Y.applyUpdate(da, ub, 'remote');
    }
    b.extend(sb, [0.7, 0.7]);
    b.end(sb);
    Y.applyUpdate(da, Y.encodeStateAsUpdate(db, Y.encodeStateVector(da)), 'remote');
    const ids = (m: BoardModel) => m.strokes('whiteboard:1').map((s) => s.id).sort();
    expect(ids(a)).toEqual([sa.id, sb.id].sort());
    expect(ids(b)).toEqual(ids(a));
    expect(a.strokes('whiteboard:1').find((s) => s.id === sb.id)?.points).toEqual([0.9, 0.9, 0.8, 0.8, 0.7, 0.7]);
  });

  it('skips malformed strokes others wrote instead of drawing them', () => {
    const doc = new Y.Doc();
    const m = new BoardModel(doc, 'prt_a');
    const list = m.ensurePage('whiteboard:1');
    const bad = [
      { id: 'x', tool: 'laser', color: '#000000', width: 2, points: [0, 0] },
      { id: 'y', tool: 'pen', color: 'red', width: 2, points: [0, 0] },
      { id: 'z', tool: 'pen', color: '#000000', width: 2, points: [0, 0, 1] },
      { id: 'w', tool: 'pen', color: '#000000', width: 2, points: [0, 'a'] },
      { id: 'v', tool: 'text', color: '#000000', width: 2, points: [0, 0] },
      { id: 'u', tool: 'pen', color: '#000000', width: Infinity, points: [0, 0] },
    ];
    doc.transact(() => {
      for (const s of bad) {
        const map = new Y.Map<unknown>();
        for (const [k, v] of Object.entries(s)) map.set(k, v);
        list.push([map]);
      }
      list.push([new Y.Map()]);
    });
    expect(m.strokes('whiteboard:1')).toEqual([]);
    expect(readStroke('not a map')).toBeNull();
  });
});
