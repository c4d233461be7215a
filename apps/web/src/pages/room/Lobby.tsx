import { useEffect, useId, useRef, useState } from 'react';
import type { JoinInfo } from '@podium/protocol';
import type { RoomConnectionSnapshot } from '@podium/client';
import { useI18n } from '../../i18n/I18nProvider';
import { Alert, Badge, Button } from '../../components/ui';
import { LanguageSwitcher } from '../../components/events/PublicLayout';
import { RecordingConsent } from '../../components/events/RecordingConsent';
import { countdownParts, formatDuration, formatTimeRange, zonesDiffer } from '../../components/events/eventFormat';
import { browserTimeZone } from '../../components/events/timezone';
import { DeviceCheck, type PreparedDevices } from '../../room/DeviceCheck';

function Countdown({ startsAt }: { startsAt: string }) {
  const { t } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const c = countdownParts(Date.parse(startsAt), now);
  if (c.done) return <p className="rm-lobby-soon">{t('room.lobby.startingSoon')}</p>;
  const units: [number, string][] = [[c.days, t('public.join.days')], [c.hours, t('public.join.hours')], [c.minutes, t('public.join.minutes')], [c.seconds, t('public.join.seconds')]];
  return (
    <div className="join-countdown rm-lobby-countdown" role="timer" aria-label={t('public.join.countdownSpoken', { days: c.days, hours: c.hours, minutes: c.minutes })}>
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

/**
 * The lobby: what the event is (title, organizer, time in the event's zone and the viewer's,
 * agenda, countdown), the camera and microphone check, then the way in — the event password
 * when the room asks for it, and the waiting state until a host lets the person in.
 */
export function Lobby({ info, token, onInfoChange, conn, devices, onDevices, onJoin, onPassword, waiting }: {
  info: JoinInfo;
  /** The join token (the recording consent is saved with it). */
  token: string;
  /** Asks for the join info again (after the consent changed, or the server asked for it). */
  onInfoChange(): void;
  conn: RoomConnectionSnapshot | null;
  devices: PreparedDevices;
  onDevices(d: PreparedDevices): void;
  onJoin(): void;
  onPassword(pw: string): void;
  /** Joined, waiting in the lobby. */
  waiting: boolean;
}) {
  const { t, locale } = useI18n();
  const e = info.event;
  const viewerZone = browserTimeZone();
  const pwId = useId();
  const [password, setPassword] = useState('');
  const failure = conn?.phase === 'failed' ? conn.failure : null;
  const needsPassword = failure?.code === 'EVENT_PASSWORD_REQUIRED' || failure?.code === 'EVENT_PASSWORD_WRONG';
  const joining = conn !== null && (conn.phase === 'connecting' || conn.phase === 'reconnecting');
  const staff = info.role !== 'attendee';
  const scheduled = e.status === 'scheduled' && (!conn?.model || conn.model.state.status === 'scheduled');
  const hostWaitingRoom = conn?.model?.state.settings.waitingRoom;
  // A recorded event: everyone but the hosts agrees before entering (the server refuses otherwise).
  const consentAsked = failure?.code === 'RECORDING_CONSENT_REQUIRED';
  const consentMissing = info.role !== 'host' && !info.recording?.accepted && (!!info.recording?.records || consentAsked);
  // The server says the event records now, but the page's info may predate it: ask again once.
  const askedFor = useRef<unknown>(null);
  useEffect(() => {
    if (consentAsked && askedFor.current !== failure) {
      askedFor.current = failure;
      onInfoChange();
    }
  }, [consentAsked, failure, onInfoChange]);

  useEffect(() => {
    document.title = `${e.title} · ${t('room.lobby.pageTitle')}`;
  }, [e.title, t]);
  // Once waiting, the waiting notice (top of the join card) is what matters: bring it into view.
  useEffect(() => {
    if (waiting) window.scrollTo({ top: 0 });
  }, [waiting]);

  return (
    <div className="rm-lobby-page">
      <header className="pub-header">
        <div className="pub-header-inner">
          <span className="pub-brand">
            <span className="logo-mark" aria-hidden="true">P</span>
            <span className="pub-brand-text"><span className="pub-org">{e.orgName}</span></span>
          </span>
          <LanguageSwitcher />
        </div>
      </header>
      <main className="rm-lobby" id="main">
        <section className="rm-lobby-info pub-card">
          <div className="pub-kicker">
            <Badge tone={staff ? 'info' : 'neutral'}>{t('public.join.role', { role: t(`events.role.${info.role}`) })}</Badge>
            {e.status === 'live' && <Badge tone="success">{t('room.top.live')}</Badge>}
            {info.recording?.records && <Badge tone="danger">{t('public.join.recordingTitle')}</Badge>}
          </div>
          <p className="join-hello">{t('public.join.hello', { name: info.name })}</p>
          <h1 className="pub-title rm-lobby-title">{e.title}</h1>
          <p className="join-when">{formatTimeRange(e.startsAt, e.durationMinutes, locale, e.timeZone)}</p>
          {zonesDiffer(e.startsAt, e.timeZone, viewerZone) && (
            <p className="small muted">{t('public.join.yourTime', { time: formatTimeRange(e.startsAt, e.durationMinutes, locale, viewerZone) })}</p>
          )}
          <p className="small muted">{formatDuration(e.durationMinutes, locale)} · {t('public.join.by', { org: e.orgName })}</p>
          {scheduled && <Countdown startsAt={e.startsAt} />}
          {e.description && <p className="rm-lobby-desc">{e.description}</p>}
          {e.agenda.length > 0 && (
            <>
              <h2 className="rm-lobby-sub">{t('room.lobby.agenda')}</h2>
              <ol className="rm-agenda">
                {e.agenda.map((a, i) => (
                  <li key={i}>
                    <span className="rm-agenda-title">{a.title}</span>
                    {a.durationMinutes && <span className="muted nowrap">{formatDuration(a.durationMinutes, locale)}</span>}
                    {a.description && <span className="small muted rm-agenda-desc">{a.description}</span>}
                  </li>
                ))}
              </ol>
            </>
          )}
        </section>

        <section className="rm-lobby-join pub-card" aria-labelledby="rm-lobby-join-title">
          {waiting && (
            <div className="join-wait rm-waiting-box" role="status">
              <span className="join-pulse" aria-hidden="true" />
              <div>
                <p className="join-wait-title">{scheduled && !hostWaitingRoom ? t('room.lobby.waitStart') : t('room.lobby.waitHost')}</p>
                <p className="small muted">{scheduled && !hostWaitingRoom ? t('room.lobby.waitStartText') : t('room.lobby.waitHostText')}</p>
              </div>
            </div>
          )}
          <h2 id="rm-lobby-join-title" className="rm-lobby-sub">{t('room.lobby.checkTitle')}</h2>
          <p className="small muted">{staff ? t('room.lobby.checkHintStaff') : t('room.lobby.checkHint')}</p>
          <DeviceCheck value={devices} onChange={onDevices} />

          <div className="rm-lobby-action">
            {waiting ? null : needsPassword ? (
              <form className="rm-password" onSubmit={(ev) => { ev.preventDefault(); if (password) onPassword(password); }}>
                {failure?.code === 'EVENT_PASSWORD_WRONG' && <Alert kind="error">{t('errors.EVENT_PASSWORD_WRONG')}</Alert>}
                <div className="field">
                  <label className="field-label" htmlFor={pwId}>{t('room.lobby.password')}</label>
                  <input id={pwId} className="input" type="password" autoComplete="off" value={password} onChange={(ev) => setPassword(ev.target.value)} autoFocus
                    aria-describedby={`${pwId}-hint`} />
                  <div className="field-hint" id={`${pwId}-hint`}>{t('room.lobby.passwordHint')}</div>
                </div>
                <Button type="submit" variant="primary" className="btn-block rm-join-btn" busy={joining} disabled={!password}>{t('room.lobby.joinWithPassword')}</Button>
              </form>
            ) : (
              <>
                {info.role !== 'host' && <RecordingConsent info={info} token={token} onChange={onInfoChange} />}
                {conn?.failure?.code === 'EVENT_NOT_LIVE' && <Alert kind="info">{t('room.lobby.notLive')}</Alert>}
                {consentMissing && <p className="small muted">{t('public.join.recordingNeeded')}</p>}
                <Button type="button" variant="primary" className="btn-block rm-join-btn" busy={joining} onClick={onJoin}
                  disabled={consentMissing}>
                  {joining ? t('room.lobby.joining') : staff && scheduled ? t('room.lobby.enterBackstage') : t('room.lobby.join')}
                </Button>
              </>
            )}
          </div>
        </section>
      </main>
    </div>
  );
}
