import { useCallback } from 'react';
import { listEventRecordings, type Event } from '@podium/protocol';
import { call } from '../../api/client';
import { Card } from '../../components/ui';
import { useI18n } from '../../i18n/I18nProvider';
import { RecordingsList } from './RecordingsList';

/** The event's recordings for its hosts (on the event page). */
export function EventRecordingsSection({ event }: { event: Event }) {
  const { t } = useI18n();
  const load = useCallback(
    (signal: AbortSignal) => call(listEventRecordings, { params: { orgId: event.orgId, eventId: event.id }, query: { limit: 50 }, signal }),
    [event.orgId, event.id],
  );
  return (
    <Card title={t('recordings.list.title')}>
      <div className="stack" id="recordings">
        <p className="muted">{t('recordings.list.intro')}</p>
        <RecordingsList load={load} emptyText={t('recordings.list.emptyEvent')} />
      </div>
    </Card>
  );
}
