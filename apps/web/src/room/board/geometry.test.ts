import { describe, expect, it } from 'vitest';
import { eraserHits, fitBox, hitsStroke, strokeShape } from './geometry';
import { parsePageKey, slidePageKey, whiteboardPageKey, type Stroke } from './strokes';

const stroke = (tool: Stroke['tool'], points: number[], extra: Partial<Stroke> = {}): Stroke => ({
  id: `${tool}-${points.join('-')}`, tool, color: '#000000', width: 4, points, by: 'p', ...extra,
});

describe('eraser hit testing', () => {
  const aspect = 16 / 9;
  it('touches a freehand stroke near its path, and not far from it', () => {
    const s = stroke('pen', [0.1, 0.1, 0.5, 0.1]);
    expect(hitsStroke(s, [300, 56.25], 5, aspect)).toBe(true);
    expect(hitsStroke(s, [300, 100], 5, aspect)).toBe(false);
  });

  it('touches a rectangle and an ellipse on their outline only', () => {
    const rect = stroke('rect', [0.2, 0.2, 0.6, 0.8]);
    const ellipse = stroke('ellipse', [0.2, 0.2, 0.6, 0.8]);
    const h = 1000 / aspect;
    expect(hitsStroke(rect, [200, 0.5 * h], 4, aspect)).toBe(true);
    expect(hitsStroke(rect, [400, 0.5 * h], 4, aspect)).toBe(false);
    expect(hitsStroke(ellipse, [200, 0.5 * h], 4, aspect)).toBe(true);
    expect(hitsStroke(ellipse, [400, 0.5 * h], 4, aspect)).toBe(false);
  });

  it('touches a text stroke anywhere in its box', () => {
    const t = stroke('text', [0.5, 0.5], { text: 'Hello world' });
    expect(hitsStroke(t, [520, 0.5 * (1000 / aspect) + 10], 2, aspect)).toBe(true);
    expect(hitsStroke(t, [480, 0.5 * (1000 / aspect) - 20], 2, aspect)).toBe(false);
  });

  it('a fast sweep across strokes catches every one it crosses, and none it does not', () => {
    const a = stroke('line', [0.3, 0, 0.3, 1]);
    const b = stroke('line', [0.6, 0, 0.6, 1]);
    const c = stroke('line', [0.9, 0, 0.9, 0.1]);
    expect(eraserHits([a, b, c], [0.1, 0.5], [0.8, 0.5], 6, aspect)).toEqual([a.id, b.id]);
  });
});

describe('stroke shapes', () => {
  it('scales points to the page (1000 units wide) and keeps highlighters wide and translucent', () => {
    const shape = strokeShape(stroke('highlighter', [0, 0, 1, 1]), 2);
    expect(shape).toMatchObject({ kind: 'path', d: 'M0 0L1000 500', width: 16, opacity: 0.35 });
    expect(strokeShape(stroke('ellipse', [0.2, 0.2, 0.6, 0.8]), 1)).toMatchObject({ kind: 'ellipse', cx: 400, cy: 500, rx: 200, ry: 300 });
    expect(strokeShape(stroke('rect', [0.6, 0.8, 0.2, 0.2]), 1)).toMatchObject({ d: 'M200 200h400v600h-400Z' });
    expect(strokeShape(stroke('text', [0.1, 0.1], { text: 'a\nb' }), 1)).toMatchObject({ kind: 'text', lines: ['a', 'b'], size: 28 });
  });

  it('fits a page of an aspect ratio into a box, centred', () => {
    expect(fitBox(1600, 1000, 16 / 9)).toEqual({ left: 0, top: 50, width: 1600, height: 900 });
    expect(fitBox(800, 1000, 4 / 3)).toEqual({ left: 0, top: 200, width: 800, height: 600 });
    expect(fitBox(0, 100, 1)).toEqual({ left: 0, top: 0, width: 0, height: 0 });
  });
});

describe('page keys', () => {
  it('round-trip slide and whiteboard pages and refuse anything else', () => {
    expect(parsePageKey(slidePageKey('fil_abc123', 12))).toEqual({ kind: 'slide', fileId: 'fil_abc123', page: 12 });
    expect(parsePageKey(whiteboardPageKey(3))).toEqual({ kind: 'whiteboard', page: 3 });
    for (const bad of ['whiteboard:0', 'slide:abc:1', 'slide:fil_a:0', 'whiteboard:1000', 'x']) expect(parsePageKey(bad)).toBeNull();
  });
});
