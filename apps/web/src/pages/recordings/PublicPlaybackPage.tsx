import { useMemo } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import {
  publicRecording, publicRecordingSlideLink, publicRecordingTimeline, publicRecordingTrack,
  type FileId, type RecordingId,
} from '@podium/protocol';
import { ApiError, call, routeUrl } from '../../api/client';
import { LanguageSwitcher } from '../../components/events/PublicLayout';
import { useI18n } from '../../i18n/I18nProvider';
import { sameOriginPath } from '../events/eventFiles';
import { PlaybackScreen, type PlaybackLoader } from './PlaybackScreen';

/** A published recording, for anyone with its link (`?token=`); no account needed. */
export default function PublicPlaybackPage() {
  const { recordingId = '' } = useParams();
  const [search] = useSearchParams();
  const token = search.get('token') ?? '';
  const { t } = useI18n();
  const loader = useMemo<PlaybackLoader>(() => {
    const params = { recordingId: recordingId as RecordingId };
    const query = { token };
    return {
      recording: (signal) => call(publicRecording, { params, query, signal }),
      timeline: (signal) => call(publicRecordingTimeline, { params, query, signal }),
      source: {
        trackUrl: (track) => routeUrl(publicRecordingTrack, { ...params, trackId: track.id }, query),
        slideLink: async (fileId) => {
          try {
            const link = await call(publicRecordingSlideLink, { params: { ...params, fileId: fileId as FileId }, query });
            return sameOriginPath(link.url);
          } catch (err) {
            if (err instanceof ApiError && err.status === 404) return null;
            throw err;
          }
        },
      },
    };
  }, [recordingId, token]);
  return (
    <PlaybackScreen
      loader={loader}
      header={() => (
        <div className="pb-public-bar">
          <span className="pub-brand">
            <span className="logo-mark" aria-hidden="true">P</span>
            <span className="pub-org">{t('common.appName')}</span>
          </span>
          <LanguageSwitcher />
        </div>
      )}
    />
  );
}
