import { useCallback } from 'react';
import { useParams } from 'react-router-dom';
import { listRecordings, type OrgId } from '@podium/protocol';
import { call } from '../../api/client';
import { PageHeader } from '../../components/ui';
import { useI18n } from '../../i18n/I18nProvider';
import '../../components/events/events.css';
import { RecordingsList } from './RecordingsList';

/** Every recording of the organization, newest first. */
export default function OrgRecordingsPage() {
  const { orgId = '' } = useParams();
  const { t } = useI18n();
  const load = useCallback(
    (signal: AbortSignal) => call(listRecordings, { params: { orgId: orgId as OrgId }, query: { limit: 100 }, signal }),
    [orgId],
  );
  return (
    <div className="ev-page">
      <PageHeader title={t('recordings.list.orgTitle')} subtitle={t('recordings.list.orgIntro')} />
      <RecordingsList load={load} showEvent emptyText={t('recordings.list.emptyOrg')} />
    </div>
  );
}
