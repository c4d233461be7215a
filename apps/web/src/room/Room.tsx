import { useEffect, useRef, useState } from 'react';
import type { StageLayout } from '@podium/protocol';
import { isStaff, peopleCount, type RoomConnectionSnapshot } from '@podium/client';
import { useI18n } from '../i18n/I18nProvider';
import { roomErrorText, useMediaState, useRoom } from './context';
import { AudioSink } from './AudioSink';
import { IconPeople } from './icons';
import { ControlsBar } from './ControlsBar';
import { RecordingIndicator } from './RecordingIndicator';
import { ReactionsOverlay } from './Reactions';
import { SidePanel, type PanelTab } from './SidePanel';
import { Stage } from './Stage';
import { useRoomStats } from './useRoomStats';

/** Narrow screens show the side panel over the stage instead of beside it. */
const NARROW = '(max-width: 900px)';

function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => typeof window !== 'undefined' && window.matchMedia(NARROW).matches);
  useEffect(() => {
    const mq = window.matchMedia(NARROW);
    const on = () => setNarrow(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  return narrow;
}

/** Minutes:seconds (or h:mm:ss) since the start. */
function Elapsed({ since }: { since: string }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const s = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  const text = hh ? `${hh}:${String(mm).padStart(2, '0')}:${String(ss).padStart(2, '0')}` : `${mm}:${String(ss).padStart(2, '0')}`;
  return <time className="rm-elapsed" dateTime={`PT${s}S`}>{text}</time>;
}

/** The room once admitted: top bar, stage, controls, side panel; notices for what the server decided. */
export function Room({ connection, onLeave }: { connection: RoomConnectionSnapshot; onLeave(): void }) {
  const { t } = useI18n();
  const { model, media: mediaCtl, notify } = useRoom();
  const media = useMediaState(mediaCtl);
  const narrow = useNarrow();
  const [layoutChoice, setLayoutChoice] = useState<StageLayout | null>(null);
  const layout = layoutChoice ?? model.state.settings.layout;
  const [panelOpen, setPanelOpen] = useState(() => typeof window === 'undefined' || !window.matchMedia(NARROW).matches);
  const [tab, setTab] = useState<PanelTab>('chat');
  const { fallbackSpeaker } = useRoomStats(model, media);
  const activeSpeaker = model.state.activeSpeaker !== undefined ? model.state.activeSpeaker : fallbackSpeaker;

  // Unread chat: messages that arrived while the chat was not in view.
  const [seenChat, setSeenChat] = useState(model.state.chat.length);
  const chatVisible = panelOpen && tab === 'chat';
  useEffect(() => {
    if (chatVisible) setSeenChat(model.state.chat.length);
  }, [chatVisible, model.state.chat.length]);
  const unread = Math.max(0, model.state.chat.length - seenChat);

  // Tell the person what others decided about them.
  const prev = useRef(model);
  useEffect(() => {
    const before = prev.current;
    prev.current = model;
    if (model.moderation && model.moderation.n !== before.moderation?.n) {
      notify('info', t(`room.moderated.${model.moderation.action}`, { name: model.moderation.by }));
    }
    const g0 = before.self.grant ?? 'none';
    const g1 = model.self.grant ?? 'none';
    if (g0 !== g1) notify('info', g1 === 'speaker' ? t('room.notice.promoted') : g1 === 'camera' ? t('room.notice.cameraAllowed') : t('room.notice.demoted'));
    if (before.state.status !== model.state.status && model.state.status === 'live') notify('success', t('room.notice.started'));
    if (Boolean(before.self.chatMuted) !== Boolean(model.self.chatMuted)) {
      notify('info', model.self.chatMuted ? t('room.notice.chatMuted') : t('room.notice.chatUnmuted'));
    }
  }, [model, notify, t]);

  // Media the server or the browser refused (publishing, subscribing) is shown once.
  const lastError = media.lastError;
  useEffect(() => {
    if (lastError) notify('error', roomErrorText(t, lastError));
  }, [lastError, notify, t]);

  // Escape closes the panel overlay on phones.
  useEffect(() => {
    if (!narrow || !panelOpen) return;
    const on = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !e.defaultPrevented) setPanelOpen(false);
    };
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  }, [narrow, panelOpen]);

  const scheduled = model.state.status === 'scheduled';
  const reconnecting = connection.phase === 'reconnecting' || connection.phase === 'connecting';
  return (
    <div className={`rm-room${panelOpen ? ' panel-open' : ''}${narrow ? ' is-narrow' : ''}`}>
      <header className="rm-top">
        <div className="rm-top-title">
          <span className="logo-mark" aria-hidden="true">P</span>
          <div className="rm-top-text">
            <h1 className="rm-title">{model.event.title}</h1>
            <span className="rm-org">{model.event.orgName}</span>
          </div>
        </div>
        <div className="rm-top-status">
          {scheduled ? (
            <span className="rm-status is-backstage">{isStaff(model.role) ? t('room.top.backstage') : t('room.top.notStarted')}</span>
          ) : model.state.status === 'live' ? (
            <span className="rm-status is-live"><span className="rm-live-dot" aria-hidden="true" />{t('room.top.live')}{model.state.startedAt && <> · <Elapsed since={model.state.startedAt} /></>}</span>
          ) : null}
          <span className="rm-recording-slot" data-slot="recording"><RecordingIndicator /></span>
          {model.state.settings.locked && <span className="rm-status is-locked">{t('room.top.locked')}</span>}
          <span className="rm-count" title={t('room.top.people', { count: peopleCount(model) })}>
            <IconPeople /> {peopleCount(model)}<span className="sr-only"> {t('room.top.peopleShort')}</span>
          </span>
        </div>
      </header>
      {reconnecting && (
        <div className="rm-banner" role="status">
          <span className="spinner spinner-inline" aria-hidden="true" /> {t('room.reconnecting', { n: connection.attempts })}
        </div>
      )}
      {scheduled && isStaff(model.role) && (
        <div className="rm-banner is-info" role="status">{model.role === 'host' ? t('room.backstageHost') : t('room.backstagePresenter')}</div>
      )}
      <div className="rm-body">
        <main className="rm-stage-wrap" id="main">
          <Stage model={model} media={media} layout={layout} activeSpeaker={activeSpeaker ?? null} />
          <ReactionsOverlay model={model} />
        </main>
        {panelOpen && (
          <SidePanel tab={tab} onTab={setTab} onClose={() => setPanelOpen(false)} unread={unread} />
        )}
      </div>
      <ControlsBar media={media} layout={layout} onLayout={setLayoutChoice} panelOpen={panelOpen} onTogglePanel={() => setPanelOpen((o) => !o)} onLeave={onLeave} unread={unread} />
      <AudioSink remote={media.remote} />
    </div>
  );
}
