import { useEffect, useState } from 'react';
import type { Recording, RecordingPage } from '@podium/protocol';
import { Button, EmptyState, ErrorMessage, Spinner } from '../../components/ui';
import { useI18n } from '../../i18n/I18nProvider';
import { RecordingItem, inProgress } from './RecordingItem';
import './recordings.css';

/** How often the list asks again while a recording is being recorded or processed, or an MP4 made. */
const POLL_MS = 3000;

/**
 * A host's list of recordings from `load` (an event's or the organization's), asked again every
 * few seconds while something is in progress, with each row's changes applied as the server
 * confirms them.
 */
export function RecordingsList({ load, showEvent = false, emptyText }: { load(signal: AbortSignal): Promise<RecordingPage>; showEvent?: boolean; emptyText: string }) {
  const { t } = useI18n();
  const [items, setItems] = useState<Recording[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    load(ctrl.signal).then(
      (page) => { setItems(page.items); setError(null); },
      (err: unknown) => { if (!ctrl.signal.aborted) setError(err); },
    );
    return () => ctrl.abort();
  }, [load, tick]);

  const busy = items?.some(inProgress) ?? false;
  useEffect(() => {
    if (!busy) return;
    const timer = setTimeout(() => setTick((n) => n + 1), POLL_MS);
    return () => clearTimeout(timer);
  }, [busy, items]);

  if (items === null) {
    return error ? (
      <div className="stack-sm">
        <ErrorMessage error={error} />
        <Button type="button" onClick={() => setTick((n) => n + 1)}>{t('common.retry')}</Button>
      </div>
    ) : <div className="ev-loading"><Spinner /></div>;
  }
  if (items.length === 0) return <EmptyState title={t('recordings.list.emptyTitle')} description={emptyText} />;
  return (
    <>
      {error !== null && <ErrorMessage error={error} />}
      <ul className="rc-list" aria-label={t('recordings.list.label')}>
        {items.map((r) => (
          <RecordingItem
            key={r.id}
            recording={r}
            showEvent={showEvent}
            onChanged={(next) => setItems((list) => list?.map((x) => (x.id === next.id ? next : x)) ?? null)}
            onDeleted={() => setItems((list) => list?.filter((x) => x.id !== r.id) ?? null)}
          />
        ))}
      </ul>
    </>
  );
}
