/**
 * The board's toolbar: tools (with single-key shortcuts P H L A R E T X, and K for the laser),
 * colours, widths, undo/redo of one's own strokes, clearing the page (staff) and the page controls
 * (staff). A real toolbar for keyboards: Tab enters it, the arrow keys move along it, every button
 * says what it is and whether it is on.
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useT } from '../../i18n/I18nProvider';
import { IconClear, IconNext, IconPlus, IconPrev, IconRedo, IconUndo, TOOL_ICONS } from './icons';
import { COLORS, STROKE_TOOLS, WIDTHS, type BoardTool } from './strokes';

/** Single-key shortcut of each tool. */
export const TOOL_KEYS: Record<BoardTool, string> = {
  pen: 'P', highlighter: 'H', line: 'L', arrow: 'A', rect: 'R', ellipse: 'E', text: 'T', eraser: 'X', laser: 'K',
};

const COLOR_NAMES: Record<(typeof COLORS)[number], string> = {
  '#1b1f24': 'black', '#e03131': 'red', '#2f9e44': 'green', '#1971c2': 'blue', '#f08c00': 'orange', '#9c36b5': 'purple', '#ffffff': 'white',
};

/** Page controls for staff: the page shown, how many there are, and whether "next" on the last page adds one (whiteboard). */
export interface BoardPager {
  page: number;
  count: number;
  /** On the last page, next adds a page (up to `max`). */
  canAdd: boolean;
  max: number;
}

/** Props of BoardToolbar. */
export interface BoardToolbarProps {
  tool: BoardTool;
  onTool: (tool: BoardTool) => void;
  color: string;
  onColor: (color: string) => void;
  width: number;
  onWidth: (width: number) => void;
  /** Drawing tools, colours, widths, undo/redo. */
  canDraw: boolean;
  /** Laser, clear page and page controls. */
  canPresent: boolean;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onClear: () => void;
  pager: BoardPager | null;
  onPageChange: (page: number) => void;
  /** Listen to keyboard shortcuts on the page (while the board is shown). */
  shortcuts: boolean;
}

/** True when a key event belongs to something the person types into. */
function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT';
}

/** The board toolbar (see file comment). */
export function BoardToolbar(p: BoardToolbarProps) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  const [confirming, setConfirming] = useState(false);
  const latest = useRef(p);
  latest.current = p;

  const tools: BoardTool[] = [...(p.canDraw ? [...STROKE_TOOLS, 'eraser' as const] : []), ...(p.canPresent ? ['laser' as const] : [])];

  useEffect(() => {
    if (!p.shortcuts) return;
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.defaultPrevented || typing(e.target) || e.altKey) return;
      const cur = latest.current;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && cur.canDraw && (key === 'z' || key === 'y')) {
        e.preventDefault();
        if (key === 'y' || e.shiftKey) cur.onRedo();
        else cur.onUndo();
        return;
      }
      if (mod || e.shiftKey) return;
      const tool = (Object.keys(TOOL_KEYS) as BoardTool[]).find((k) => TOOL_KEYS[k].toLowerCase() === key);
      const offered = tool && ((tool === 'laser' && cur.canPresent) || (tool !== 'laser' && cur.canDraw));
      if (tool && offered) {
        e.preventDefault();
        cur.onTool(tool);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [p.shortcuts]);

  // Arrow keys move along the toolbar (the ARIA toolbar pattern).
  const onArrow = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight' && e.key !== 'Home' && e.key !== 'End') return;
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('button:not(:disabled)') ?? [])];
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (i < 0) return;
    e.preventDefault();
    const next = e.key === 'Home' ? 0 : e.key === 'End' ? buttons.length - 1 : (i + (e.key === 'ArrowRight' ? 1 : -1) + buttons.length) % buttons.length;
    buttons[next].focus();
  };

  const pager = p.pager;
  const atLast = pager ? pager.page >= pager.count : false;
  const canNext = pager ? !atLast || (pager.canAdd && pager.page < pager.max) : false;

  return (
    <div ref={ref} className="bd-toolbar" role="toolbar" aria-label={t('board.toolbar')} onKeyDown={onArrow}>
      {tools.length > 0 && (
        <div className="bd-group" role="group" aria-label={t('board.toolbar')}>
          {tools.map((tool) => {
            const Icon = TOOL_ICONS[tool];
            const label = t('board.withKey', { label: t(`board.tool.${tool}`), key: TOOL_KEYS[tool] });
            return (
              <button
                key={tool} type="button" className={`bd-btn${p.tool === tool ? ' is-on' : ''}${tool === 'laser' ? ' bd-btn-laser' : ''}`}
                aria-pressed={p.tool === tool} aria-label={label} title={label} aria-keyshortcuts={TOOL_KEYS[tool]} onClick={() => p.onTool(tool)}
              >
                <Icon />
              </button>
            );
          })}
        </div>
      )}
      {p.canDraw && (
        <>
          <div className="bd-group" role="group" aria-label={t('board.colors')}>
            {COLORS.map((c) => (
              <button
                key={c} type="button" className={`bd-swatch${p.color === c ? ' is-on' : ''}`} aria-pressed={p.color === c}
                aria-label={t(`board.color.${COLOR_NAMES[c]}`)} title={t(`board.color.${COLOR_NAMES[c]}`)} onClick={() => p.onColor(c)}
              >
                <span style={{ background: c }} />
              </button>
            ))}
          </div>
          <div className="bd-group" role="group" aria-label={t('board.widths')}>
            {WIDTHS.map((w) => (
              <button
                key={w} type="button" className={`bd-btn bd-width${p.width === w ? ' is-on' : ''}`} aria-pressed={p.width === w}
                aria-label={t(`board.width.${w}`)} title={t(`board.width.${w}`)} onClick={() => p.onWidth(w)}
              >
                <span style={{ width: 2 + w * 1.2, height: 2 + w * 1.2 }} />
              </button>
            ))}
          </div>
          <div className="bd-group" role="group">
            <button type="button" className="bd-btn" aria-label={t('board.undo')} title={`${t('board.undo')} (Ctrl+Z)`} aria-keyshortcuts="Control+Z" disabled={!p.canUndo} onClick={p.onUndo}>
              <IconUndo />
            </button>
            <button type="button" className="bd-btn" aria-label={t('board.redo')} title={`${t('board.redo')} (Ctrl+Shift+Z)`} aria-keyshortcuts="Control+Shift+Z" disabled={!p.canRedo} onClick={p.onRedo}>
              <IconRedo />
            </button>
            {p.canPresent && (
              <span className="bd-confirm-wrap">
                <button type="button" className="bd-btn bd-btn-danger" aria-label={t('board.clear')} title={t('board.clear')} aria-expanded={confirming} onClick={() => setConfirming((c) => !c)}>
                  <IconClear />
                </button>
                {confirming && (
                  <span className="bd-confirm" role="alertdialog" aria-label={t('board.clear')}>
                    <span>{t('board.clearConfirm')}</span>
                    <span className="bd-confirm-actions">
                      <button type="button" className="btn btn-ghost btn-sm" onClick={() => setConfirming(false)}>
                        {t('board.cancel')}
                      </button>
                      <button type="button" className="btn btn-danger btn-sm" autoFocus onClick={() => { setConfirming(false); p.onClear(); }}>
                        {t('board.clearYes')}
                      </button>
                    </span>
                  </span>
                )}
              </span>
            )}
          </div>
        </>
      )}
      {pager && (
        <div className="bd-group bd-pager" role="group" aria-label={t('board.pages')}>
          <button type="button" className="bd-btn" aria-label={t('board.prevPage')} title={t('board.prevPage')} disabled={pager.page <= 1} onClick={() => p.onPageChange(pager.page - 1)}>
            <IconPrev />
          </button>
          <span className="bd-page-label" aria-live="polite">{t('board.page', { page: pager.page, count: pager.count })}</span>
          <button
            type="button" className="bd-btn" disabled={!canNext} onClick={() => p.onPageChange(pager.page + 1)}
            aria-label={atLast ? t('board.newPage') : t('board.nextPage')} title={atLast ? t('board.newPage') : t('board.nextPage')}
          >
            {atLast ? <IconPlus /> : <IconNext />}
          </button>
        </div>
      )}
    </div>
  );
}
