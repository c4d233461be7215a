/**
 * The stage's slides and whiteboard, composed: the page everyone follows, fitted to the stage at
 * its aspect ratio, with the drawings over it, the laser pointers, and the toolbar for those who
 * may draw or present. The room page mounts it and feeds it from the room store:
 *
 * - `doc`: the room's `board` Y.Doc, kept in step by RoomDocSync('board').
 * - `stage`: the room's StageState (content, deck and page, whiteboard page).
 * - `slide`: the deck's file as `{ fileId, url, contentType }` — url from a `file-link` reply for
 *   `stage.slides.fileId`, contentType from the room's files — or null while unknown.
 * - `me`: own participant id (written into strokes as their author).
 * - `canDraw`: may write the board (mayWriteDoc: hosts, presenters, speakers).
 * - `canPresent`: hosts and presenters: page controls, clear page, laser pointer.
 * - `pointers`: the latest `pointer` event per participant id (RemotePointer).
 * - `onStageChange(patch)`: send `stage-set` with the patch ({ page } or { whiteboardPage }).
 * - `onPointer(x, y, visible)`: send `pointer` (already throttled to 8 a second).
 *
 * Shortcuts (P H L A R E T X K, Ctrl+Z / Ctrl+Shift+Z) work while it is mounted, unless typing.
 */
import { useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'react';
import type * as Y from 'yjs';
import type { RoomClientMessageOf, StageState } from '@podium/protocol';
import { useT } from '../../i18n/I18nProvider';
import { AnnotationLayer } from './AnnotationLayer';
import { BoardModel } from './board-model';
import { BoardToolbar, type BoardPager } from './BoardToolbar';
import { fitBox } from './geometry';
import { LaserPointer, type RemotePointer } from './LaserPointer';
import { SlideView, type SlideSource } from './SlideView';
import { COLORS, WIDTHS, slidePageKey, whiteboardPageCount, whiteboardPageKey, type BoardTool } from './strokes';
import { WHITEBOARD_ASPECT, Whiteboard } from './Whiteboard';
import './board.css';

/** What a stage change may set (the `stage-set` message without type and request id). */
export type StagePatch = Omit<RoomClientMessageOf<'stage-set'>, 'type' | 'requestId'>;

/** Props of StageBoard (see file comment). */
export interface StageBoardProps {
  doc: Y.Doc;
  stage: StageState;
  slide: SlideSource | null;
  me: string;
  canDraw: boolean;
  canPresent: boolean;
  pointers: ReadonlyMap<string, RemotePointer>;
  onStageChange: (patch: StagePatch) => void;
  onPointer: (x: number, y: number, visible: boolean) => void;
}

/** Most whiteboard pages (the stage-set schema's bound). */
const MAX_WHITEBOARD_PAGES = 100;

/** The stage board (see file comment). */
export function StageBoard({ doc, stage, slide, me, canDraw, canPresent, pointers, onStageChange, onPointer }: StageBoardProps) {
  const t = useT();
  const model = useMemo(() => new BoardModel(doc, me), [doc, me]);
  useEffect(() => () => model.destroy(), [model]);
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => model.subscribe(bump), [model]);

  const [chosen, setTool] = useState<BoardTool>(canDraw ? 'pen' : 'laser');
  const [color, setColor] = useState<string>(COLORS[1]);
  const [width, setWidth] = useState<number>(WIDTHS[1]);
  // A tool the person may no longer use (a speaker demoted) falls back to one they may.
  const tool: BoardTool = chosen === 'laser' ? (canPresent ? 'laser' : 'pen') : canDraw ? chosen : 'laser';

  const areaRef = useRef<HTMLDivElement>(null);
  const [area, setArea] = useState({ width: 0, height: 0 });
  useLayoutEffect(() => {
    const el = areaRef.current;
    if (!el) return;
    const ro = new ResizeObserver(([e]) => setArea({ width: e.contentRect.width, height: e.contentRect.height }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const slides = stage.content === 'slides' ? stage.slides : null;
  const [slideSize, setSlideSize] = useState<{ key: string; aspect: number } | null>(null);
  const pageKey = slides ? slidePageKey(slides.fileId, slides.page) : stage.content === 'whiteboard' ? whiteboardPageKey(stage.whiteboardPage) : null;
  const aspect = slides ? (slideSize?.key === slides.fileId ? slideSize.aspect : 16 / 9) : WHITEBOARD_ASPECT;
  const box = fitBox(area.width, area.height, aspect);

  // Presenters create the page's stroke list as they arrive, so people drawing at once share one.
  useEffect(() => {
    if (pageKey && canPresent && canDraw) model.ensurePage(pageKey);
  }, [model, pageKey, canPresent, canDraw]);

  let pager: BoardPager | null = null;
  if (canPresent && slides) pager = { page: slides.page, count: slides.pageCount, canAdd: false, max: slides.pageCount };
  if (canPresent && stage.content === 'whiteboard') {
    pager = { page: stage.whiteboardPage, count: whiteboardPageCount(model.pages, stage.whiteboardPage), canAdd: true, max: MAX_WHITEBOARD_PAGES };
  }
  const changePage = (page: number) => onStageChange(slides ? { page } : { whiteboardPage: page });

  const layer = { model, canDraw, tool, color, width };
  const showToolbar = pageKey !== null && (canDraw || canPresent);

  return (
    <section className="bd-stage" aria-label={slides ? t('board.slide', { page: slides.page, count: slides.pageCount }) : stage.content === 'whiteboard' ? t('board.whiteboard', { page: stage.whiteboardPage }) : undefined}>
      {showToolbar && (
        <BoardToolbar
          tool={tool} onTool={setTool} color={color} onColor={setColor} width={width} onWidth={setWidth}
          canDraw={canDraw} canPresent={canPresent} canUndo={model.canUndo} canRedo={model.canRedo}
          onUndo={() => model.undoLast()} onRedo={() => model.redoLast()} onClear={() => pageKey && model.clear(pageKey)}
          pager={pager} onPageChange={changePage} shortcuts
        />
      )}
      <div ref={areaRef} className="bd-area">
        {pageKey === null ? (
          <div className="bd-empty">
            <p className="bd-empty-title">{t('board.empty')}</p>
            {canPresent && <p className="bd-empty-hint">{t('board.emptyStaff')}</p>}
          </div>
        ) : (
          box.width > 0 && (
            <div
              className="bd-page"
              style={{ left: box.left, top: box.top, width: box.width, height: box.height, ['--bd-page-w' as string]: `${box.width}px` }}
            >
              {slides ? (
                <>
                  {slide && slide.fileId === slides.fileId ? (
                    <SlideView source={slide} page={slides.page} onPageSize={(s) => s.height > 0 && setSlideSize({ key: slides.fileId, aspect: s.width / s.height })} />
                  ) : (
                    <div className="bd-slide"><div className="bd-slide-state"><span className="spinner" aria-hidden="true" /><span className="sr-only">{t('board.loading')}</span></div></div>
                  )}
                  <AnnotationLayer {...layer} page={pageKey} aspect={aspect} />
                </>
              ) : (
                <Whiteboard {...layer} page={stage.whiteboardPage} />
              )}
              <LaserPointer pointers={pointers} active={canPresent && tool === 'laser'} onPointer={onPointer} />
            </div>
          )
        )}
      </div>
    </section>
  );
}
