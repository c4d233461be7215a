/**
 * The drawings over a slide page or a whiteboard page: an SVG the size of the page showing every
 * stroke of the page key, live as others draw, and — when the viewer may draw — the pointer
 * handling of the current tool: freehand (coalesced pointer events, so fast strokes stay smooth),
 * shapes dragged from corner to corner, text typed where one clicks, the eraser.
 */
import { memo, useEffect, useMemo, useReducer, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useT } from '../../i18n/I18nProvider';
import type { BoardModel, DrawingStroke } from './board-model';
import { PAGE_UNITS, eraserHits, strokeShape, textSize, TEXT_LINE_HEIGHT } from './geometry';
import { MAX_STROKE_TEXT, type BoardTool, type Stroke, type StrokeTool } from './strokes';

/** Props of AnnotationLayer. */
export interface AnnotationLayerProps {
  model: BoardModel;
  /** `slide:<fileId>:<page>` or `whiteboard:<n>`. */
  page: string;
  /** Width / height of the page. */
  aspect: number;
  /** May draw (otherwise the layer only shows). */
  canDraw: boolean;
  tool: BoardTool;
  color: string;
  /** Thousandths of the page width. */
  width: number;
}

const DRAW_TOOLS: ReadonlySet<BoardTool> = new Set(['pen', 'highlighter', 'line', 'arrow', 'rect', 'ellipse']);
const FREEHAND: ReadonlySet<BoardTool> = new Set(['pen', 'highlighter']);
/** Eraser radius in page units. */
const ERASER_RADIUS = 10;
/** Freehand points closer than this (page units) to the previous one are skipped. */
const MIN_STEP = 0.6;

/** One stroke, redrawn only when it changed. */
const StrokeView = memo(
  function StrokeView({ stroke, aspect }: { stroke: Stroke; aspect: number }) {
    const s = strokeShape(stroke, aspect);
    if (s.kind === 'ellipse') return <ellipse cx={s.cx} cy={s.cy} rx={s.rx} ry={s.ry} fill="none" stroke={s.stroke} strokeWidth={s.width} />;
    if (s.kind === 'text') {
      return (
        <text x={s.x} y={s.y} fill={s.color} fontSize={s.size} dominantBaseline="hanging" className="bd-text">
          {s.lines.map((line, i) => (
            <tspan key={i} x={s.x} dy={i === 0 ? 0 : s.size * TEXT_LINE_HEIGHT}>
              {line || ' '}
            </tspan>
          ))}
        </text>
      );
    }
    return (
      <path
        d={s.d} fill={s.fill ?? 'none'} stroke={s.stroke} strokeWidth={s.width} strokeOpacity={s.opacity}
        strokeLinecap={stroke.tool === 'rect' ? 'square' : 'round'} strokeLinejoin="round"
      />
    );
  },
  (a, b) => {
    const x = a.stroke;
    const y = b.stroke;
    return a.aspect === b.aspect && x.id === y.id && x.points.length === y.points.length && x.points[x.points.length - 1] === y.points[y.points.length - 1]
      && x.points[x.points.length - 2] === y.points[y.points.length - 2] && x.color === y.color && x.width === y.width && x.text === y.text;
  },
);

/** The strokes of one page, with drawing when allowed (see file comment). */
export function AnnotationLayer({ model, page, aspect, canDraw, tool, color, width }: AnnotationLayerProps) {
  const t = useT();
  const svgRef = useRef<SVGSVGElement>(null);
  const [version, bump] = useReducer((n: number) => n + 1, 0);
  const drawing = useRef<{ stroke: DrawingStroke | null; last: [number, number]; pointerId: number } | null>(null);
  const [eraser, setEraser] = useState<[number, number] | null>(null);
  const [draft, setDraftState] = useState<{ x: number; y: number; text: string } | null>(null);
  // The draft as of now, for handlers that commit it (a state updater must not write to the document).
  const draftRef = useRef(draft);
  const setDraft = (d: typeof draft) => {
    draftRef.current = d;
    setDraftState(d);
  };
  const height = PAGE_UNITS / aspect;

  useEffect(() => model.subscribe(bump), [model]);
  const strokes = useMemo(() => model.strokes(page), [model, page, version]);

  // Leaving the page (or losing the right to draw) ends a stroke in progress and drops a text draft.
  useEffect(() => {
    return () => {
      if (drawing.current?.stroke) model.end(drawing.current.stroke);
      else if (drawing.current) model.endSweep();
      drawing.current = null;
      draftRef.current = null;
      setDraftState(null);
    };
  }, [model, page, canDraw]);

  const active = canDraw && (DRAW_TOOLS.has(tool) || tool === 'eraser' || tool === 'text');

  /** A pointer position as page fractions. */
  const at = (clientX: number, clientY: number): [number, number] => {
    const r = svgRef.current!.getBoundingClientRect();
    return [(clientX - r.left) / Math.max(1, r.width), (clientY - r.top) / Math.max(1, r.height)];
  };

  const erase = (from: [number, number], to: [number, number]) => {
    const ids = eraserHits(model.strokes(page), from, to, ERASER_RADIUS, aspect);
    if (ids.length) model.erase(page, ids);
  };

  const onPointerDown = (e: PointerEvent<SVGSVGElement>) => {
    if (!active || e.button > 0) return;
    e.preventDefault();
    const p = at(e.clientX, e.clientY);
    if (tool === 'text') {
      commitDraft();
      setDraft({ x: p[0], y: p[1], text: '' });
      return;
    }
    e.currentTarget.setPointerCapture(e.pointerId);
    if (tool === 'eraser') {
      drawing.current = { stroke: null, last: p, pointerId: e.pointerId };
      model.beginSweep();
      erase(p, p);
      return;
    }
    const stroke = model.begin(page, { tool: tool as StrokeTool, color, width, x: p[0], y: p[1] });
    drawing.current = { stroke, last: p, pointerId: e.pointerId };
  };

  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    if (tool === 'eraser' && active) setEraser(at(e.clientX, e.clientY));
    const d = drawing.current;
    if (!d || d.pointerId !== e.pointerId) return;
    const events = typeof e.nativeEvent.getCoalescedEvents === 'function' ? e.nativeEvent.getCoalescedEvents() : [];
    const samples = (events.length ? events : [e.nativeEvent]).map((ev) => at(ev.clientX, ev.clientY));
    if (!d.stroke) {
      for (const p of samples) {
        erase(d.last, p);
        d.last = p;
      }
      return;
    }
    if (FREEHAND.has(d.stroke.tool)) {
      const add: number[] = [];
      for (const p of samples) {
        if (Math.hypot((p[0] - d.last[0]) * PAGE_UNITS, (p[1] - d.last[1]) * height) < MIN_STEP) continue;
        add.push(p[0], p[1]);
        d.last = p;
      }
      if (add.length) model.extend(d.stroke, add);
      return;
    }
    const p = samples[samples.length - 1];
    model.reshape(d.stroke, p[0], p[1]);
  };

  const finish = (e: PointerEvent<SVGSVGElement>) => {
    const d = drawing.current;
    if (!d || d.pointerId !== e.pointerId) return;
    if (d.stroke) model.end(d.stroke);
    else model.endSweep();
    drawing.current = null;
  };

  const commitDraft = () => {
    const cur = draftRef.current;
    const text = cur?.text.trim();
    setDraft(null);
    if (cur && text) model.addText(page, { tool: 'text', color, width, x: cur.x, y: cur.y, text: text.slice(0, MAX_STROKE_TEXT) });
  };

  const onDraftKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    e.stopPropagation();
    if (e.key === 'Escape') setDraft(null);
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      commitDraft();
    }
  };

  return (
    <div className={`bd-layer${active ? ` is-drawing tool-${tool}` : ''}`}>
      <svg
        ref={svgRef}
        className="bd-svg"
        viewBox={`0 0 ${PAGE_UNITS} ${height}`}
        preserveAspectRatio="none"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={finish}
        onPointerCancel={finish}
        onPointerLeave={() => setEraser(null)}
        aria-hidden="true"
      >
        {strokes.map((s) => (
          <StrokeView key={s.id} stroke={s} aspect={aspect} />
        ))}
        {eraser && tool === 'eraser' && active && (
          <circle cx={eraser[0] * PAGE_UNITS} cy={eraser[1] * height} r={ERASER_RADIUS} className="bd-eraser-ring" />
        )}
      </svg>
      {draft && (
        <textarea
          className="bd-text-input"
          autoFocus
          rows={1}
          maxLength={MAX_STROKE_TEXT}
          value={draft.text}
          placeholder={t('board.textPlaceholder')}
          aria-label={t('board.tool.text')}
          onChange={(e) => setDraft({ ...draft, text: e.target.value })}
          onKeyDown={onDraftKey}
          onBlur={commitDraft}
          style={{
            left: `${draft.x * 100}%`,
            top: `${draft.y * 100}%`,
            color,
            // The font scales with the page, like the stroke it becomes.
            fontSize: `calc(${(textSize(width) / PAGE_UNITS) * 100} * var(--bd-page-w, 10px) / 100)`,
          }}
        />
      )}
    </div>
  );
}
