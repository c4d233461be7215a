import { useState } from 'react';
import type { RoomFile } from '@podium/protocol';
import { useI18n } from '../i18n/I18nProvider';
import { useRoom } from './context';
import { IconDownload } from './icons';

/** A file size in the reader's language (kB, MB). */
export function formatSize(bytes: number, locale: string): string {
  const units: [number, string][] = [[1e9, 'gigabyte'], [1e6, 'megabyte'], [1e3, 'kilobyte']];
  for (const [n, unit] of units) {
    if (bytes >= n) return new Intl.NumberFormat(locale, { style: 'unit', unit, maximumFractionDigits: 1 }).format(bytes / n);
  }
  return new Intl.NumberFormat(locale, { style: 'unit', unit: 'byte' }).format(bytes);
}

/** Handouts (and the slide decks) of the event: each downloads through a short-lived signed link. */
export function FilesPanel() {
  const { t, locale } = useI18n();
  const { model, send } = useRoom();
  const [busy, setBusy] = useState<string | null>(null);
  const files = [...model.state.files].sort((a, b) => (a.purpose === b.purpose ? 0 : a.purpose === 'handout' ? -1 : 1));
  const download = async (f: RoomFile) => {
    setBusy(f.id);
    const reply = await send({ type: 'file-link', fileId: f.id });
    setBusy(null);
    if (reply?.type !== 'file-link') return;
    const a = document.createElement('a');
    a.href = reply.url;
    a.download = f.name;
    a.rel = 'noopener';
    document.body.appendChild(a);
    a.click();
    a.remove();
  };
  if (files.length === 0) return <p className="rm-empty">{t('room.files.empty')}</p>;
  return (
    <ul className="rm-plain-list rm-files">
      {files.map((f) => (
        <li key={f.id} className="rm-file" data-file-id={f.id}>
          <span className="rm-file-type" aria-hidden="true">{(f.name.split('.').pop() ?? '').slice(0, 4).toUpperCase()}</span>
          <span className="rm-person-main">
            <span className="rm-file-name">{f.name}</span>
            <span className="small muted">
              {formatSize(f.size, locale)} · {f.purpose === 'slides' ? t('room.files.slides') : t('room.files.handout')}
              {f.pageCount && f.pageCount > 1 ? ` · ${t('room.files.pages', { count: f.pageCount })}` : ''}
            </span>
          </span>
          <button type="button" className="btn btn-secondary btn-sm" disabled={busy === f.id} aria-busy={busy === f.id || undefined}
            aria-label={t('room.files.downloadName', { name: f.name })} onClick={() => void download(f)}>
            <IconDownload /> {t('room.files.download')}
          </button>
        </li>
      ))}
    </ul>
  );
}
