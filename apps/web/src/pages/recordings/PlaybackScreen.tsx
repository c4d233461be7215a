import { useEffect, useState, type ReactNode } from 'react';
import type { Recording, RecordingTimeline } from '@podium/protocol';
import { ApiError } from '../../api/client';
import { Alert, Button, ErrorMessage, Spinner } from '../../components/ui';
import { useI18n } from '../../i18n/I18nProvider';
import { formatDateTime } from '../../i18n/format';
import { Player, type PlaybackSource } from './Player';
import { formatClock } from './playback-model';

/** What the playback page loads: the recording, then its timeline (both from the host's or the public routes). */
export interface PlaybackLoader {
  recording(signal: AbortSignal): Promise<Recording>;
  timeline(signal: AbortSignal): Promise<RecordingTimeline>;
  source: PlaybackSource;
}

type Loaded =
  | { state: 'loading' }
  | { state: 'error'; error: unknown }
  | { state: 'waiting'; recording: Recording }
  | { state: 'ready'; recording: Recording; timeline: RecordingTimeline };

/** How often a recording still being finalized is asked for again. */
const WAIT_POLL_MS = 4000;

/**
 * Loads a recording and plays it, with the states on the way: loading, still being recorded or
 * processed (asked again every few seconds), failed, deleted by retention, an expired or wrong
 * link, not found.
 */
export function PlaybackScreen({ loader, header }: { loader: PlaybackLoader; header(recording: Recording | null): ReactNode }) {
  const { t, locale } = useI18n();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const recording = await loader.recording(ctrl.signal);
        if (recording.status === 'recording' || recording.status === 'processing') {
          setLoaded({ state: 'waiting', recording });
          timer = setTimeout(() => void load(), WAIT_POLL_MS);
          return;
        }
        if (recording.status !== 'ready') {
          setLoaded({ state: 'waiting', recording });
          return;
        }
        const timeline = await loader.timeline(ctrl.signal);
        setLoaded({ state: 'ready', recording, timeline });
      } catch (error) {
        if (ctrl.signal.aborted) return;
        setLoaded({ state: 'error', error });
      }
    };
    void load();
    return () => {
      ctrl.abort();
      clearTimeout(timer);
    };
  }, [loader, attempt]);

  const recording = loaded.state === 'waiting' || loaded.state === 'ready' ? loaded.recording : null;
  let body: ReactNode;
  if (loaded.state === 'loading') {
    body = <div className="pb-state"><Spinner label={t('recordings.play.loading')} /><p className="muted">{t('recordings.play.loading')}</p></div>;
  } else if (loaded.state === 'error') {
    const code = loaded.error instanceof ApiError ? loaded.error.code : '';
    const title = code === 'RECORDING_LINK_INVALID' ? t('recordings.play.linkInvalidTitle')
      : code === 'RECORDING_NOT_FOUND' ? t('recordings.play.notFoundTitle') : t('recordings.play.errorTitle');
    body = (
      <div className="pb-state" role="alert">
        <h1 className="pb-state-title">{title}</h1>
        {code === 'RECORDING_LINK_INVALID' ? <p className="muted">{t('recordings.play.linkInvalidText')}</p>
          : code === 'RECORDING_NOT_FOUND' ? <p className="muted">{t('recordings.play.notFoundText')}</p>
            : <ErrorMessage error={loaded.error} />}
        {code !== 'RECORDING_LINK_INVALID' && code !== 'RECORDING_NOT_FOUND' && (
          <Button type="button" onClick={() => { setLoaded({ state: 'loading' }); setAttempt((a) => a + 1); }}>{t('common.retry')}</Button>
        )}
      </div>
    );
  } else if (loaded.state === 'waiting') {
    const r = loaded.recording;
    const still = r.status === 'recording' || r.status === 'processing';
    body = (
      <div className="pb-state" role="status">
        {still && <Spinner />}
        <h1 className="pb-state-title">{t(`recordings.play.state.${r.status}`)}</h1>
        <p className="muted">{t(`recordings.play.stateText.${r.status}`)}</p>
        {r.error && <Alert kind="error">{r.error}</Alert>}
      </div>
    );
  } else {
    body = (
      <>
        {loaded.timeline.truncated && <div className="pb-note"><Alert kind="info">{t('recordings.play.truncated')}</Alert></div>}
        <Player recording={loaded.recording} timeline={loaded.timeline} source={loader.source} />
      </>
    );
  }

  return (
    <div className="pb-page">
      <header className="pb-header">
        {header(recording)}
        {recording && (
          <div className="pb-title-block">
            <h1 className="pb-title">{recording.eventTitle}</h1>
            <p className="pb-subtitle muted">
              {t('recordings.play.recordedOn', { date: formatDateTime(recording.startedAt, locale) })}
              {recording.durationMs !== null && <> · {formatClock(recording.durationMs)}</>}
            </p>
          </div>
        )}
      </header>
      <main id="main" className="pb-main">{body}</main>
    </div>
  );
}
