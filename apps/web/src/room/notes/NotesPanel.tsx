/**
 * The room's shared notes: a plain textarea bound to the notes document's `markdown` text (every
 * keystroke a minimal Yjs edit; others' edits appear without moving one's caret), a preview that
 * renders the Markdown as React elements, a read-only mode (the preview only), and "Download .md".
 *
 * Props: `doc` — the room's `notes` Y.Doc, kept in step by RoomDocSync('notes'); `readOnly` — the
 * viewer may not edit (mayWriteDoc); `eventTitle` — names the downloaded file; `status` —
 * optional sync state from RoomDocSync (pending changes, synced) shown under the editor.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type * as Y from 'yjs';
import { notesFileName } from '@podium/protocol';
import { useT } from '../../i18n/I18nProvider';
import { MarkdownView } from './MarkdownView';
import { NotesBinding, type TextView } from './notes-binding';
import './notes.css';

/** What the sync says about the notes: all sent, changes on their way, or no connection. */
export type NotesStatus = 'saved' | 'saving' | 'offline';

/** Props of NotesPanel (see file comment). */
export interface NotesPanelProps {
  doc: Y.Doc;
  readOnly: boolean;
  eventTitle: string;
  status?: NotesStatus;
}

/** Starts a download of `text` as a Markdown file. */
function download(text: string, name: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/markdown;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked after the click has been handled: the download has its own reference by then.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The shared notes panel (see file comment). */
export function NotesPanel({ doc, readOnly, eventTitle, status }: NotesPanelProps) {
  const t = useT();
  const ytext = doc.getText('markdown');
  const [text, setText] = useState(() => ytext.toString());
  const [mode, setMode] = useState<'write' | 'preview'>(readOnly ? 'preview' : 'write');
  const areaRef = useRef<HTMLTextAreaElement>(null);
  const binding = useRef<NotesBinding | null>(null);
  const editorId = useId();
  const showEditor = !readOnly && mode === 'write';

  useEffect(() => {
    const update = () => setText(ytext.toString());
    update();
    ytext.observe(update);
    return () => ytext.unobserve(update);
  }, [ytext]);

  useEffect(() => {
    if (readOnly) setMode('preview');
  }, [readOnly]);

  useEffect(() => {
    const el = areaRef.current;
    if (!showEditor || !el) return;
    const view: TextView = {
      get value() {
        return el.value;
      },
      get selectionStart() {
        return el.selectionStart;
      },
      get selectionEnd() {
        return el.selectionEnd;
      },
      set(value, start, end) {
        if (el.value !== value) el.value = value;
        // Moving the selection of an unfocused textarea would scroll it for nothing.
        if (document.activeElement === el) el.setSelectionRange(start, end);
      },
    };
    const b = new NotesBinding(ytext, view);
    binding.current = b;
    return () => {
      b.destroy();
      binding.current = null;
    };
  }, [ytext, showEditor]);

  const selection = useCallback(() => binding.current?.selectionChanged(), []);

  return (
    <section className="nt-panel" aria-labelledby={`${editorId}-title`}>
      <header className="nt-header">
        <h2 className="nt-title" id={`${editorId}-title`}>{t('board.notes.title')}</h2>
        <div className="nt-actions">
          {!readOnly && (
            <div className="nt-tabs" role="radiogroup" aria-label={t('board.notes.mode')}>
              {(['write', 'preview'] as const).map((m) => (
                <button key={m} type="button" role="radio" aria-checked={mode === m} className={`nt-tab${mode === m ? ' is-on' : ''}`} onClick={() => setMode(m)}>
                  {t(`board.notes.${m}`)}
                </button>
              ))}
            </div>
          )}
          <button type="button" className="btn btn-secondary btn-sm" disabled={!text} onClick={() => download(text, notesFileName(eventTitle).unicode)}>
            <svg viewBox="0 0 16 16" width="14" height="14" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
              <path d="M8 2v8M4.5 6.5 8 10l3.5-3.5M2.5 13.5h11" />
            </svg>
            {t('board.notes.download')}
          </button>
        </div>
      </header>
      <div className="nt-body">
        {showEditor ? (
          <textarea
            ref={areaRef}
            id={editorId}
            className="nt-editor"
            aria-label={t('board.notes.editor')}
            placeholder={t('board.notes.placeholder')}
            spellCheck
            defaultValue={text}
            onInput={() => binding.current?.input()}
            onSelect={selection}
            onKeyUp={selection}
            onMouseUp={selection}
            onFocus={selection}
            onCompositionStart={() => binding.current?.compositionStart()}
            onCompositionEnd={() => binding.current?.compositionEnd()}
          />
        ) : text.trim() ? (
          <MarkdownView source={text} className="md nt-preview" taskLabels={{ done: t('board.notes.taskDone'), open: t('board.notes.taskOpen') }} />
        ) : (
          <p className="nt-empty">{t('board.notes.empty')}</p>
        )}
      </div>
      {(readOnly || status) && (
        <footer className="nt-footer">
          {readOnly && <span>{t('board.notes.readOnly')}</span>}
          {!readOnly && status && (
            <span className={`nt-status is-${status}`} aria-live="polite">
              <span className="nt-status-dot" aria-hidden="true" />
              {t(`board.notes.${status}`)}
            </span>
          )}
        </footer>
      )}
    </section>
  );
}
