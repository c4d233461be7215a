import { useEffect, useRef, useState, type DragEvent } from 'react';
import {
  FILE_PICKER_ACCEPT, FILE_PURPOSES, deleteFile, fileLink, listFiles,
  type Event, type FilePurpose, type RoomFile,
} from '@podium/protocol';
import { ApiError, call } from '../../api/client';
import { Alert, Badge, Button, Card, ConfirmButton, EmptyState, ErrorMessage, Spinner, useErrorText } from '../../components/ui';
import { useApi, useMutation } from '../../hooks/useApi';
import { useI18n } from '../../i18n/I18nProvider';
import { formatDate } from '../../i18n/format';
import { fileKind, formatBytes, sameOriginPath, uploadRefusal, uploadWithProgress, type FileKind } from './eventFiles';
import './event-files.css';

/** An upload on its way: sending, being checked by the server, or refused. */
interface UploadItem {
  key: number;
  name: string;
  purpose: FilePurpose;
  sent: number;
  total: number;
  state: 'waiting' | 'sending' | 'checking' | 'failed';
  error?: unknown;
  abort?: AbortController;
}

const KIND_PATHS: Record<FileKind, string> = {
  pdf: 'M7 3h7l5 5v13H7zM14 3v5h5M9.5 16.5v-4h1.3a1.2 1.2 0 0 1 0 2.4H9.5M13.5 16.5v-4h1a1.6 1.6 0 0 1 1.6 1.6v.8a1.6 1.6 0 0 1-1.6 1.6z',
  image: 'M4 5h16v14H4zM4 16l4.5-4.5 3.5 3.5 2.5-2.5L20 18M15.5 9.5h.01',
  document: 'M7 3h7l5 5v13H7zM14 3v5h5M9.5 12.5h7M9.5 15.5h7M9.5 18.5h4',
  spreadsheet: 'M4 5h16v14H4zM4 10h16M4 14.5h16M10 5v14',
  presentation: 'M3 4.5h18M5 4.5v10h14v-10M12 14.5v3.5M8.5 20.5 12 18l3.5 2.5',
  text: 'M7 3h7l5 5v13H7zM14 3v5h5M9.5 12.5h7M9.5 15.5h5',
};

/** The icon of a kind of file (decorative: the text next to it names the kind). */
function FileKindIcon({ kind }: { kind: FileKind }) {
  return (
    <span className={`ef-icon ef-icon-${kind}`} aria-hidden="true">
      <svg viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round">
        <path d={KIND_PATHS[kind]} />
      </svg>
    </span>
  );
}

/** "12 pages" in the reader's language, with its plural form. */
function usePages(): (count: number) => string {
  const { t, locale } = useI18n();
  return (count) => t(`files.pages.${new Intl.PluralRules(locale).select(count)}`, { count });
}

/** One stored file: what it is, and download and remove buttons. */
function FileRow({ event, file, onRemove }: { event: Event; file: RoomFile; onRemove(): Promise<void> }) {
  const { t, locale } = useI18n();
  const pages = usePages();
  const kind = fileKind(file.contentType);
  const download = useMutation(async () => {
    const link = await call(fileLink, { params: { orgId: event.orgId, eventId: event.id, fileId: file.id } });
    const a = document.createElement('a');
    a.href = sameOriginPath(link.url);
    a.download = file.name;
    document.body.append(a);
    a.click();
    a.remove();
  });
  const meta = [t(`files.kind.${kind}`), file.pageCount && kind === 'pdf' ? pages(file.pageCount) : null, formatBytes(file.size, locale), t('files.addedOn', { date: formatDate(file.uploadedAt, locale) })];
  return (
    <li className="ef-row">
      <FileKindIcon kind={kind} />
      <div className="ef-row-main">
        <div className="ef-row-name" title={file.name}>{file.name}</div>
        <div className="ef-row-meta small muted">{meta.filter(Boolean).join(' · ')}</div>
        {download.error !== null && <ErrorMessage error={download.error} />}
      </div>
      <Badge tone={file.purpose === 'slides' ? 'info' : 'neutral'}>{t(`files.purpose.${file.purpose}`)}</Badge>
      <div className="ef-row-actions">
        <Button type="button" variant="secondary" className="btn-sm" busy={download.busy} aria-label={t('files.downloadOf', { name: file.name })} onClick={() => void download.run()}>
          {t('files.download')}
        </Button>
        <ConfirmButton confirmText={t('files.removeConfirm')} onConfirm={onRemove}>
          {t('files.remove')}
        </ConfirmButton>
      </div>
    </li>
  );
}

/** An upload in progress or refused: name, a progress bar, and cancel or dismiss. */
function UploadRow({ item, onCancel, onDismiss }: { item: UploadItem; onCancel(): void; onDismiss(): void }) {
  const { t, locale } = useI18n();
  const errorText = useErrorText();
  if (item.state === 'failed') {
    const refusal = uploadRefusal(item.error, item.purpose, locale);
    return (
      <li className="ef-upload ef-upload-failed">
        <Alert kind="error">
          <div className="ef-upload-failed-body">
            <div>
              <strong className="ef-upload-name">{t('files.failed', { name: item.name })}</strong>
              <div>{refusal ? t(refusal.key, refusal.vars) : errorText(item.error)}</div>
            </div>
            <Button type="button" variant="ghost" className="btn-sm" onClick={onDismiss}>{t('files.dismiss')}</Button>
          </div>
        </Alert>
      </li>
    );
  }
  const percent = item.total > 0 ? Math.min(100, Math.round((item.sent / item.total) * 100)) : 0;
  const label = t('files.uploading', { name: item.name });
  return (
    <li className="ef-upload">
      <div className="ef-upload-head">
        <span className="ef-upload-name" title={item.name}>{item.name}</span>
        <span className="small muted nowrap">
          {item.state === 'checking' ? t('files.checking') : `${percent}% · ${formatBytes(item.sent, locale)} / ${formatBytes(item.total, locale)}`}
        </span>
        {item.state !== 'checking' && (
          <Button type="button" variant="ghost" className="btn-sm" aria-label={t('files.cancelUploadOf', { name: item.name })} onClick={onCancel}>
            {t('files.cancelUpload')}
          </Button>
        )}
      </div>
      <div className={`ef-progress${item.state === 'checking' ? ' is-checking' : ''}`} role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
        <div className="ef-progress-bar" style={{ width: `${item.state === 'checking' ? 100 : percent}%` }} />
      </div>
    </li>
  );
}

/**
 * The event's slides and handouts for its hosts: upload (file picker or drag and drop, with real
 * progress, one file after another), the list with kind, pages, size and date, download through a
 * signed link, and removal with confirmation. Refusals say why: too large, wrong type, damaged.
 */
export function EventFilesSection({ event }: { event: Event }) {
  const { t, locale } = useI18n();
  const params = { orgId: event.orgId, eventId: event.id };
  const list = useApi(listFiles, { params, query: { limit: 200 } }, [event.id]);
  const [purpose, setPurpose] = useState<FilePurpose>('slides');
  const [uploads, setUploads] = useState<UploadItem[]>([]);
  const [added, setAdded] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const nextKey = useRef(1);
  const mounted = useRef(true);
  useEffect(() => () => {
    mounted.current = false;
    setUploads((items) => {
      for (const i of items) i.abort?.abort();
      return items;
    });
  }, []);

  const update = (key: number, change: Partial<UploadItem> | null) => {
    if (!mounted.current) return;
    setUploads((items) => (change === null ? items.filter((i) => i.key !== key) : items.map((i) => (i.key === key ? { ...i, ...change } : i))));
  };

  const send = async (item: UploadItem, file: File) => {
    if (item.abort?.signal.aborted) return;
    update(item.key, { state: 'sending' });
    try {
      await uploadWithProgress({
        orgId: event.orgId, eventId: event.id, file, purpose: item.purpose, signal: item.abort?.signal,
        onProgress: (sent, total) => update(item.key, sent >= total ? { sent, total, state: 'checking' } : { sent, total }),
      });
      update(item.key, null);
      if (mounted.current) setAdded(item.name);
      list.reload();
    } catch (err) {
      if ((err as Error).name === 'AbortError') update(item.key, null);
      else update(item.key, { state: 'failed', error: err });
    }
  };

  const start = (files: FileList | File[]) => {
    setAdded(null);
    const max = list.data?.maxUploadBytes;
    for (const file of Array.from(files)) {
      const item: UploadItem = { key: nextKey.current++, name: file.name, purpose, sent: 0, total: file.size, state: 'waiting', abort: new AbortController() };
      if (max !== undefined && file.size > max) {
        // Refused here as the server would refuse it, without sending a byte.
        const error = new ApiError(413, 'PAYLOAD_TOO_LARGE', 'The file is too large.', { maxBytes: max });
        setUploads((items) => [...items, { ...item, state: 'failed', error }]);
        continue;
      }
      setUploads((items) => [...items, item]);
      // One after another: each upload gets the whole connection, and its progress means something.
      queue.current = queue.current.then(() => send(item, file));
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (e.dataTransfer.files.length) start(e.dataTransfer.files);
  };
  const remove = async (file: RoomFile) => {
    await call(deleteFile, { params: { ...params, fileId: file.id } });
    setAdded(null);
    list.reload();
  };

  const items = list.data?.items ?? [];
  const max = list.data?.maxUploadBytes;
  const usage = list.data?.usage;
  const purposeName = t(`files.purpose.${purpose}`);
  return (
    <Card title={t('files.title')}>
      <div className="stack">
        <p className="muted ef-intro">{t('files.intro')}</p>
        <fieldset className="ef-purpose">
          <legend className="field-label">{t('files.purposeLabel')}</legend>
          <div className="ef-purpose-options">
            {FILE_PURPOSES.map((p) => (
              <label key={p} className={`ef-purpose-option${purpose === p ? ' is-selected' : ''}`}>
                <input type="radio" name={`ef-purpose-${event.id}`} value={p} checked={purpose === p} onChange={() => setPurpose(p)} />
                <span className="ef-purpose-title">{t(`files.purpose.${p}`)}</span>
                <span className="ef-purpose-hint small muted">{t(`files.purposeHint.${p}`)}</span>
              </label>
            ))}
          </div>
        </fieldset>

        <div
          className={`ef-drop${dragging ? ' is-dragging' : ''}`}
          onDragEnter={(e) => { e.preventDefault(); setDragging(true); }}
          onDragOver={(e) => { e.preventDefault(); e.dataTransfer.dropEffect = 'copy'; }}
          onDragLeave={(e) => { if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false); }}
          onDrop={onDrop}
        >
          <svg className="ef-drop-icon" viewBox="0 0 24 24" width="28" height="28" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
            <path d="M12 15V4M7.5 8.5 12 4l4.5 4.5M4.5 15v3.5a1.5 1.5 0 0 0 1.5 1.5h12a1.5 1.5 0 0 0 1.5-1.5V15" />
          </svg>
          <div className="ef-drop-text">
            {dragging ? <strong>{t('files.dropNow', { purpose: purposeName })}</strong> : (
              <>
                <span>{t('files.dropTitle')}</span> <span className="muted">{t('files.dropOr')}</span>{' '}
                <Button type="button" variant="primary" onClick={() => inputRef.current?.click()}>{t('files.choose')}</Button>
              </>
            )}
          </div>
          {max !== undefined && <div className="small muted">{t('files.limit', { max: formatBytes(max, locale) })}</div>}
          {usage?.limitBytes != null && (
            <div className="small muted">{t('files.usage', { used: formatBytes(usage.usedBytes, locale), limit: formatBytes(usage.limitBytes, locale) })}</div>
          )}
          <input
            ref={inputRef} type="file" multiple className="sr-only" tabIndex={-1} aria-hidden="true" accept={FILE_PICKER_ACCEPT[purpose]}
            onChange={(e) => {
              if (e.target.files?.length) start(e.target.files);
              e.target.value = '';
            }}
          />
        </div>

        {uploads.length > 0 && (
          <ul className="ef-uploads" aria-live="polite">
            {uploads.map((u) => (
              <UploadRow key={u.key} item={u} onCancel={() => u.abort?.abort()} onDismiss={() => update(u.key, null)} />
            ))}
          </ul>
        )}
        {added && <Alert kind="success">{t('files.added', { name: added })}</Alert>}

        {list.error ? (
          <div className="stack-sm">
            <ErrorMessage error={list.error} />
            <Button type="button" onClick={list.reload}>{t('common.retry')}</Button>
          </div>
        ) : list.loading && !list.data ? (
          <div className="ev-loading"><Spinner /></div>
        ) : items.length === 0 ? (
          <EmptyState title={t('files.emptyTitle')} description={t('files.emptyText')} />
        ) : (
          <ul className={`ef-list${list.loading ? ' is-stale' : ''}`} aria-label={t('files.listLabel')}>
            {items.map((f) => <FileRow key={f.id} event={event} file={f} onRemove={() => remove(f)} />)}
          </ul>
        )}
      </div>
    </Card>
  );
}
