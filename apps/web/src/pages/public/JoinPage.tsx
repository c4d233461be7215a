import { useCallback, useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { getJoinInfo, type JoinInfo } from '@podium/protocol';
import { ApiError, call } from '../../api/client';
import { Alert, Badge, Button, FullPageSpinner, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n/I18nProvider';
import { PublicLayout } from '../../components/events/PublicLayout';
import { RecordingConsent } from '../../components/events/RecordingConsent';
import { countdownParts, formatDuration, formatTimeRange, zonesDiffer } from '../../components/events/eventFormat';
import { browserTimeZone } from '../../components/events/timezone';

/** How often the page asks whether the room has opened. */
const POLL_MS = 15_000;

/** True for errors meaning the link itself is bad (not a passing network problem). */
function isBadLink(err: unknown): boolean {
  return err instanceof ApiError && (['TOKEN_INVALID', 'REGISTRATION_NOT_FOUND', 'EVENT_NOT_FOUND', 'VALIDATION_FAILED', 'NOT_FOUND'].includes(err.code) || err.status === 404);
}

function Countdown({ startsAt }: { startsAt: string }) {
  const { t } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const c = countdownParts(Date.parse(startsAt), now);
  if (c.done) return <p className="join-soon">{t('public.join.startingNow')}</p>;
  const units: [number, string][] = [[c.days, t('public.join.days')], [c.hours, t('public.join.hours')], [c.minutes, t('public.join.minutes')], [c.seconds, t('public.join.seconds')]];
  const spoken = t('public.join.countdownSpoken', { days: c.days, hours: c.hours, minutes: c.minutes });
  return (
    <div className="join-countdown" role="timer" aria-label={spoken}>
      <div className="join-countdown-label" aria-hidden="true">{t('public.join.startsIn')}</div>
      <div className="join-countdown-tiles" aria-hidden="true">
        {units.map(([value, label], i) => (c.days === 0 && i === 0 ? null : (
          <div key={label} className="join-tile">
            <span className="join-tile-value">{String(value).padStart(2, '0')}</span>
            <span className="join-tile-label">{label}</span>
          </div>
        )))}
      </div>
    </div>
  );
}

/** The personal join link page: who you are, when it starts, and the way into the room once it opens. */
export default function JoinPage() {
  const { token = '' } = useParams();
  const { t, locale } = useI18n();
  const errorText = useErrorText();
  const [info, setInfo] = useState<JoinInfo | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pollFailed, setPollFailed] = useState(false);
  const [checkedAt, setCheckedAt] = useState<number | null>(null);
  const hasInfo = useRef(false);

  const load = useCallback(async (signal?: AbortSignal) => {
    try {
      const next = await call(getJoinInfo, { query: { token }, signal });
      hasInfo.current = true;
      setInfo(next);
      setError(null);
      setPollFailed(false);
      setCheckedAt(Date.now());
    } catch (err) {
      if (signal?.aborted) return;
      // A bad link is final; a network hiccup while polling keeps the page and tries again.
      if (isBadLink(err)) {
        hasInfo.current = false;
        setInfo(null);
        setError(err);
      } else if (hasInfo.current) {
        setPollFailed(true);
      } else {
        setError(err);
      }
    }
  }, [token]);

  useEffect(() => {
    const ctrl = new AbortController();
    hasInfo.current = false;
    setInfo(null);
    setError(null);
    void load(ctrl.signal);
    return () => ctrl.abort();
  }, [load]);

  const status = info?.event.status;
  const waiting = !!info && !info.roomOpen && status !== 'ended' && status !== 'cancelled';
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => void load(), POLL_MS);
    // Coming back to the tab checks at once instead of waiting for the next tick.
    const onVisible = () => {
      if (document.visibilityState === 'visible') void load();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [waiting, load]);

  useEffect(() => {
    document.title = info ? `${info.event.title} · ${t('public.join.pageTitle')}` : t('public.join.pageTitle');
  }, [info, t]);

  if (!info && error) {
    const bad = isBadLink(error);
    return (
      <PublicLayout narrow>
        <div className="pub-error">
          <div className="pub-error-icon" aria-hidden="true">!</div>
          <h1>{bad ? t('public.join.invalidTitle') : t('public.join.loadErrorTitle')}</h1>
          <p className="muted">{bad ? t('public.join.invalidText') : errorText(error)}</p>
          {!bad && <Button type="button" onClick={() => void load()}>{t('common.retry')}</Button>}
        </div>
      </PublicLayout>
    );
  }
  if (!info) return <FullPageSpinner />;

  const e = info.event;
  const viewerZone = browserTimeZone();
  const roomUrl = `/room/${e.id}?token=${encodeURIComponent(token)}`;
  // A recorded event opens only after the person agreed to be recorded (GDPR: consent before processing).
  const consentMissing = !!info.recording?.records && !info.recording.accepted;
  const enter = (className: string, label: string) => consentMissing
    ? <button type="button" className={className} disabled title={t('public.join.recordingNeeded')}>{label}</button>
    : <a className={className} href={roomUrl}>{label}</a>;

  return (
    <PublicLayout organizer={e.orgName} narrow>
      <div className="pub-card join-card">
        <div className="pub-kicker">
          <Badge tone={info.role === 'attendee' ? 'neutral' : 'info'}>{t('public.join.role', { role: t(`events.role.${info.role}`) })}</Badge>
        </div>
        <p className="join-hello">{t('public.join.hello', { name: info.name })}</p>
        <h1 className="pub-title join-title">{e.title}</h1>
        <p className="join-when">{formatTimeRange(e.startsAt, e.durationMinutes, locale, e.timeZone)}</p>
        {zonesDiffer(e.startsAt, e.timeZone, viewerZone) && (
          <p className="small muted join-when-local">{t('public.join.yourTime', { time: formatTimeRange(e.startsAt, e.durationMinutes, locale, viewerZone) })}</p>
        )}
        <p className="small muted">{formatDuration(e.durationMinutes, locale)} · {t('public.join.by', { org: e.orgName })}</p>

        {status !== 'cancelled' && status !== 'ended' && <RecordingConsent info={info} token={token} onChange={() => void load()} />}
        {consentMissing && status !== 'cancelled' && status !== 'ended' && <p className="small muted">{t('public.join.recordingNeeded')}</p>}
        {status === 'cancelled' ? (
          <Alert kind="warning">{t('public.join.cancelled')}</Alert>
        ) : status === 'ended' ? (
          <Alert kind="info">{t('public.join.ended')}</Alert>
        ) : info.roomOpen ? (
          <div className="join-open">
            <p className="join-open-text"><span className="ev-live-dot" aria-hidden="true" /> {t('public.join.roomOpen')}</p>
            {enter('btn btn-primary join-enter', `${t('public.join.enter')} →`)}
          </div>
        ) : (
          <>
            <Countdown startsAt={e.startsAt} />
            <div className="join-wait" role="status">
              <span className="join-pulse" aria-hidden="true" />
              <div>
                <p className="join-wait-title">{info.role === 'host' ? t('public.join.waitTitleHost') : t('public.join.waitTitle')}</p>
                <p className="small muted">{t('public.join.waitText')}</p>
                {pollFailed && <p className="small ev-warn-text">{t('public.join.pollFailed')}</p>}
                {checkedAt && !pollFailed && (
                  <p className="small muted">{t('public.join.checkedAt', { time: new Intl.DateTimeFormat(locale, { timeStyle: 'medium' }).format(checkedAt) })}</p>
                )}
              </div>
            </div>
            {/* The lobby opens before the start: countdown, agenda and a camera and microphone check. */}
            <div className="join-open">
              {enter('btn btn-secondary join-enter', t('room.join.openLobby'))}
              <p className="small muted">{info.role === 'attendee' ? t('room.join.openLobbyHint') : t('room.join.openLobbyHintStaff')}</p>
            </div>
          </>
        )}
        <p className="small muted join-keep">{t('public.join.personalLink')}</p>
      </div>
    </PublicLayout>
  );
}
