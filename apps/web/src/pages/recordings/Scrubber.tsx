import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { useI18n } from '../../i18n/I18nProvider';
import { formatClock, type Chapter } from './playback-model';

/** How far the arrow keys move (ms); Page Up / Page Down move six times as far. */
export const SEEK_STEP_MS = 5000;

/** The label of a chapter mark, translated. */
export function useChapterName(): (c: Chapter) => string {
  const { t } = useI18n();
  return (c) => c.label.kind === 'slide'
    ? t('recordings.play.chapterSlide', { page: c.label.page, count: c.label.pageCount, name: c.label.name })
    : c.label.kind === 'whiteboard' ? t('recordings.play.chapterWhiteboard', { page: c.label.page }) : t('recordings.play.chapterNone');
}

/**
 * The timeline slider: click or drag to seek, arrows ±5 s, Page Up/Down ±30 s, Home/End; chapter
 * marks where the slide changed (their names in the tooltip; the chapter list reaches them by
 * keyboard).
 */
export function Scrubber({ t, duration, chapters, onSeek }: { t: number; duration: number; chapters: Chapter[]; onSeek(ms: number): void }) {
  const { t: tr } = useI18n();
  const chapterName = useChapterName();
  const ref = useRef<HTMLDivElement>(null);
  const [drag, setDrag] = useState<number | null>(null);
  const shown = drag ?? t;
  const fraction = duration > 0 ? Math.min(1, Math.max(0, shown / duration)) : 0;

  const at = (e: PointerEvent) => {
    const r = ref.current!.getBoundingClientRect();
    return Math.round(Math.min(1, Math.max(0, (e.clientX - r.left) / Math.max(1, r.width))) * duration);
  };
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    e.currentTarget.focus();
    const ms = at(e);
    setDrag(ms);
    onSeek(ms);
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (drag === null) return;
    const ms = at(e);
    setDrag(ms);
    onSeek(ms);
  };
  const end = () => setDrag(null);
  const onKeyDown = (e: KeyboardEvent) => {
    const step = e.key === 'ArrowLeft' || e.key === 'ArrowDown' ? -SEEK_STEP_MS
      : e.key === 'ArrowRight' || e.key === 'ArrowUp' ? SEEK_STEP_MS
        : e.key === 'PageDown' ? -6 * SEEK_STEP_MS : e.key === 'PageUp' ? 6 * SEEK_STEP_MS : null;
    if (step !== null) onSeek(Math.max(0, Math.min(duration, t + step)));
    else if (e.key === 'Home') onSeek(0);
    else if (e.key === 'End') onSeek(duration);
    else return;
    e.preventDefault();
    e.stopPropagation();
  };

  return (
    <div
      ref={ref}
      className={`pb-scrubber${drag !== null ? ' is-dragging' : ''}`}
      role="slider"
      tabIndex={0}
      aria-label={tr('recordings.play.position')}
      aria-valuemin={0}
      aria-valuemax={Math.round(duration / 1000)}
      aria-valuenow={Math.round(shown / 1000)}
      aria-valuetext={tr('recordings.play.positionText', { time: formatClock(shown), duration: formatClock(duration) })}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={end}
      onPointerCancel={end}
      onKeyDown={onKeyDown}
    >
      <div className="pb-scrubber-track">
        <div className="pb-scrubber-fill" style={{ width: `${fraction * 100}%` }} />
        {duration > 0 && chapters.map((c) => c.at > 0 && (
          <span key={c.at} className="pb-scrubber-mark" style={{ left: `${(c.at / duration) * 100}%` }} title={`${formatClock(c.at)} · ${chapterName(c)}`} aria-hidden="true" />
        ))}
        <span className="pb-scrubber-thumb" style={{ left: `${fraction * 100}%` }} aria-hidden="true" />
      </div>
    </div>
  );
}
