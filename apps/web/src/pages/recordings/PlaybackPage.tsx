import { useMemo } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  fileLink, getRecording, recordingTimeline, recordingTrackContent,
  type EventId, type FileId, type OrgId, type RecordingId,
} from '@podium/protocol';
import { ApiError, call, routeUrl } from '../../api/client';
import { useI18n } from '../../i18n/I18nProvider';
import { sameOriginPath } from '../events/eventFiles';
import { PlaybackScreen, type PlaybackLoader } from './PlaybackScreen';

/** A recording played back for the organization's hosts (their session opens every file). */
export default function PlaybackPage() {
  const { orgId = '', recordingId = '' } = useParams();
  const { t } = useI18n();
  const loader = useMemo<PlaybackLoader>(() => {
    const params = { orgId: orgId as OrgId, recordingId: recordingId as RecordingId };
    let eventId: EventId | null = null;
    return {
      recording: async (signal) => {
        const r = await call(getRecording, { params, signal });
        eventId = r.eventId as EventId;
        return r;
      },
      timeline: (signal) => call(recordingTimeline, { params, signal }),
      source: {
        trackUrl: (track) => routeUrl(recordingTrackContent, { ...params, trackId: track.id }),
        slideLink: async (fileId) => {
          if (!eventId) return null;
          try {
            const link = await call(fileLink, { params: { orgId: params.orgId, eventId, fileId: fileId as FileId } });
            return sameOriginPath(link.url);
          } catch (err) {
            if (err instanceof ApiError && err.status === 404) return null;
            throw err;
          }
        },
      },
    };
  }, [orgId, recordingId]);
  return (
    <PlaybackScreen
      loader={loader}
      header={(r) => (
        <nav className="pb-crumb" aria-label={t('recordings.play.navLabel')}>
          {r ? <Link to={`/o/${orgId}/events/${r.eventId}`}>← {t('recordings.play.backToEvent')}</Link>
            : <Link to={`/o/${orgId}/recordings`}>← {t('recordings.play.backToRecordings')}</Link>}
        </nav>
      )}
    />
  );
}
