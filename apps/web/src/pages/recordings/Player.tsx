/**
 * The recording player: one master clock (clock.ts) that every track's <video>/<audio> element
 * follows — each seeked to `t - offsetMs` while its track is live, paused otherwise, and seeked
 * back when it drifts more than 0.3 s — with the main picture (screen share, else the speaker's
 * camera; the camera in a corner over a screen), the slides with their annotations as they were
 * at `t` (the room's StageBoard, read-only, over a Y.Doc replayed from the timeline), the chat and
 * Q&A so far, and the controls. Space plays or pauses, the arrow keys move 5 s.
 */
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type * as Y from 'yjs';
import type { Recording, RecordingTimeline, RecordingTrack } from '@podium/protocol';
import { Select, Spinner } from '../../components/ui';
import { useI18n } from '../../i18n/I18nProvider';
import { StageBoard } from '../../room/board/StageBoard';
import { PollResultBars } from '../../room/PollResultBars';
import type { SlideSource } from '../../room/board/SlideView';
import { PlaybackClock } from './clock';
import {
  MAX_DRIFT_S, SPEEDS, chaptersOf, entriesUntil, formatClock, pictureAt, playbackDuration, roomAt, trackLiveAt, trackTimeAt, type RoomAt,
} from './playback-model';
import { Scrubber, SEEK_STEP_MS, useChapterName } from './Scrubber';
import { useBoardDoc } from './useBoardDoc';
import '../../room/board/board.css';
import '../../room/room.css';
import './playback.css';

/** Where the player gets a track's file and a slide deck's link (the host's or the public routes). */
export interface PlaybackSource {
  trackUrl(track: RecordingTrack): string;
  /** A link to the deck's file (PDF or image), or null when the file is gone. */
  slideLink(fileId: string): Promise<string | null>;
}

/** How long the clock waits for a track that is still loading before it runs on without it. */
const MAX_HOLD_MS = 3000;

function useIsPhone(): boolean {
  const query = '(max-width: 900px)';
  const [phone, setPhone] = useState(() => typeof window !== 'undefined' && window.matchMedia(query).matches);
  useEffect(() => {
    const mq = window.matchMedia(query);
    const on = () => setPhone(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);
  return phone;
}

const NOOP = () => undefined;
const IMAGE_NAME = /\.(png|jpe?g|gif|webp)$/i;

/** The deck's link, fetched when the deck on stage changes. */
function useSlide(source: PlaybackSource, fileId: string | null, name: string): SlideSource | null | 'missing' {
  const [link, setLink] = useState<{ fileId: string; url: string | null } | null>(null);
  useEffect(() => {
    if (!fileId) return;
    let stopped = false;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      source.slideLink(fileId).then(
        (url) => !stopped && setLink({ fileId, url }),
        () => {
          if (!stopped) timer = setTimeout(load, Math.min(15_000, 1000 * 2 ** attempt++));
        },
      );
    };
    load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [source, fileId]);
  if (!fileId || !link || link.fileId !== fileId) return null;
  if (link.url === null) return 'missing';
  return { fileId, url: link.url, contentType: IMAGE_NAME.test(name) ? 'image/png' : 'application/pdf' };
}

/** Plays a recording (see file comment). */
export function Player({ recording, timeline, source }: { recording: Recording; timeline: RecordingTimeline; source: PlaybackSource }) {
  const { t } = useI18n();
  const phone = useIsPhone();
  const tracks = useMemo(() => recording.tracks.filter((tr) => tr.durationMs > 0), [recording.tracks]);
  const duration = playbackDuration(recording.durationMs, timeline, tracks);
  const entries = timeline.entries;
  const clock = useMemo(() => new PlaybackClock(duration), [duration]);
  const [now, setNow] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [rate, setRate] = useState(1);
  const [buffering, setBuffering] = useState(false);
  const [tab, setTab] = useState<'slides' | 'chat' | 'qa' | 'polls'>('slides');
  const elements = useRef(new Map<string, HTMLMediaElement>());
  const holdSince = useRef<number | null>(null);

  // Replayed only when another entry has happened (not every tick of the clock), so the lists re-render only then.
  const happened = entriesUntil(entries, now);
  const room = useMemo(() => roomAt(entries, happened === 0 ? -1 : entries[happened - 1]!.at), [entries, happened]);
  const chapters = useMemo(() => chaptersOf(entries), [entries]);
  const hasStage = useMemo(() => entries.some((e) => (e.type === 'initial' || e.type === 'stage') && e.stage.content !== 'none'), [entries]);
  const picture = pictureAt(tracks, room, now);
  // Only the pictures on screen are decoded (a meeting may have recorded many cameras).
  const shown = useRef(new Set<string>());
  shown.current = new Set([picture.main?.id, picture.pip?.id].filter((id): id is RecordingTrack['id'] => !!id));
  const boardDoc = useBoardDoc(entries, now);
  const visualTracks = tracks.filter((tr) => tr.kind !== 'audio');
  const audioTracks = tracks.filter((tr) => tr.kind === 'audio');

  // Moves every element to where the clock is; runs each frame while playing and after each seek.
  const sync = useCallback(() => {
    const pos = clock.position;
    let waiting = false;
    for (const tr of tracks) {
      const el = elements.current.get(tr.id);
      if (!el) continue;
      if (!trackLiveAt(tr, pos) || (tr.kind !== 'audio' && !shown.current.has(tr.id))) {
        if (!el.paused) el.pause();
        // Ready at its first frame for when the clock reaches it.
        if (pos < tr.offsetMs && el.currentTime > MAX_DRIFT_S && !el.seeking) el.currentTime = 0;
        continue;
      }
      const want = trackTimeAt(tr, pos);
      if (Math.abs(el.currentTime - want) > MAX_DRIFT_S && !el.seeking) el.currentTime = want;
      if (el.playbackRate !== clock.rate) el.playbackRate = clock.rate;
      if (clock.playing) {
        if (el.paused) void el.play().catch(() => undefined);
        if (el.readyState < 3 && !el.ended && want < (Number.isFinite(el.duration) ? el.duration - 0.2 : Infinity)) waiting = true;
      } else if (!el.paused) {
        el.pause();
      }
    }
    // A track still loading holds the clock (not forever: a broken file must not stop the rest).
    const stamp = performance.now();
    if (waiting && clock.playing) {
      holdSince.current ??= stamp;
      if (stamp - holdSince.current < MAX_HOLD_MS) clock.hold();
    } else {
      holdSince.current = null;
    }
    setBuffering(waiting && clock.playing);
    return clock.position;
  }, [clock, tracks]);

  useEffect(() => {
    if (!playing) return;
    let frame = 0;
    let lastShown = -1;
    const tick = () => {
      const pos = sync();
      if (pos >= duration) {
        clock.pause();
        setPlaying(false);
        setNow(duration);
        sync();
        return;
      }
      if (Math.abs(pos - lastShown) >= 100) {
        lastShown = pos;
        setNow(Math.round(pos));
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [playing, sync, clock, duration]);

  // A picture that came on screen (a seek, another speaker) is moved to the clock's position at once.
  const mainId = picture.main?.id;
  const pipId = picture.pip?.id;
  useEffect(() => void sync(), [sync, mainId, pipId]);

  const seek = useCallback((ms: number) => {
    clock.seek(ms);
    setNow(Math.round(clock.position));
    sync();
  }, [clock, sync]);
  const toggle = useCallback(() => {
    if (clock.playing) {
      clock.pause();
      setPlaying(false);
      setNow(Math.round(clock.position));
    } else {
      clock.play();
      setPlaying(true);
    }
    sync();
  }, [clock, sync]);
  const changeRate = (r: number) => {
    clock.setRate(r);
    setRate(r);
    sync();
  };
  useEffect(() => () => clock.pause(), [clock]);

  // Space plays or pauses and the arrows move, wherever the focus is, except in a control that takes those keys itself.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      const el = e.target as HTMLElement | null;
      const tag = el?.tagName ?? '';
      if (['INPUT', 'TEXTAREA', 'SELECT'].includes(tag) || el?.isContentEditable) return;
      if (e.key === ' ' || e.key === 'k') {
        if (tag === 'BUTTON' || tag === 'A') return;
        e.preventDefault();
        toggle();
      } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        e.preventDefault();
        seek(clock.position + (e.key === 'ArrowLeft' ? -SEEK_STEP_MS : SEEK_STEP_MS));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggle, seek, clock]);

  const bind = (tr: RecordingTrack) => (el: HTMLMediaElement | null) => {
    if (el) elements.current.set(tr.id, el);
    else elements.current.delete(tr.id);
  };
  // A track that finished loading shows the right frame even while paused.
  const onLoaded = () => sync();

  const slidesPanel = hasStage ? <PlaybackBoard room={room} source={source} doc={boardDoc} /> : null;
  const sideTabs: { id: 'slides' | 'chat' | 'qa' | 'polls'; label: string; count?: number }[] = [
    ...(phone && hasStage ? [{ id: 'slides' as const, label: t('recordings.play.slides') }] : []),
    { id: 'chat', label: t('recordings.play.chat'), count: room.chat.length },
    { id: 'qa', label: t('recordings.play.qa'), count: room.questions.length },
    { id: 'polls', label: t('recordings.play.polls'), count: room.polls.length },
  ];
  const activeTab = sideTabs.some((s) => s.id === tab) ? tab : 'chat';
  // The big area shows what is presented: a screen share, else the slides while something is on
  // stage, else the video. The other goes to the small box beside it (CSS grid areas swap, so no
  // media element is mounted again).
  const stageShown = hasStage && room.stage.content !== 'none';
  const focus: 'video' | 'slides' = !phone && stageShown && picture.main?.kind !== 'screen' ? 'slides' : 'video';
  const mainName = picture.main ? picture.main.displayName : null;
  const speakerName = room.activeSpeaker ? room.people.get(room.activeSpeaker)?.displayName : undefined;

  return (
    <div
      className={`pb-player${phone ? ' is-phone' : ''}${hasStage && !phone ? ' has-aside' : ''}`}
      data-playing={playing} data-time={now} data-focus={focus}
    >
      <div className="pb-video" data-main-track={picture.main?.id ?? ''}>
        {visualTracks.map((tr) => (
          <video
            key={tr.id}
            ref={bind(tr)}
            src={source.trackUrl(tr)}
            className={`pb-video-el${picture.main?.id === tr.id ? ' is-main' : picture.pip?.id === tr.id ? ' is-pip' : ''}`}
            data-track-id={tr.id}
            data-kind={tr.kind}
            muted
            playsInline
            preload="auto"
            onLoadedData={onLoaded}
            aria-hidden="true"
            tabIndex={-1}
          />
        ))}
        {audioTracks.map((tr) => (
          <audio key={tr.id} ref={bind(tr)} src={source.trackUrl(tr)} data-track-id={tr.id} preload="auto" onLoadedData={onLoaded} />
        ))}
        {!picture.main && (
          <div className="pb-video-empty">
            <span>{speakerName ? t('recordings.play.audioOnly', { name: speakerName }) : t('recordings.play.noVideo')}</span>
          </div>
        )}
        {mainName && <span className="pb-video-name">{mainName}</span>}
        {buffering && <div className="pb-video-buffering"><Spinner label={t('recordings.play.buffering')} /></div>}
        {!playing && (
          <button type="button" className="pb-big-play" onClick={toggle} aria-label={t('recordings.play.play')}>
            <PlayIcon />
          </button>
        )}
      </div>
      {!phone && slidesPanel && <div className="pb-slides-wrap">{slidesPanel}</div>}

      <Controls
        now={now} duration={duration} playing={playing} rate={rate} chapters={chapters}
        onToggle={toggle} onSeek={seek} onRate={changeRate}
      />

      <aside className="pb-side" aria-label={t('recordings.play.sideLabel')}>
        <div className="pb-side-inner">
          <div className="pb-tabs" role="tablist" aria-label={t('recordings.play.sideLabel')}>
            {sideTabs.map((s) => (
              <button
                key={s.id} type="button" role="tab" id={`pb-tab-${s.id}`} aria-controls={`pb-panel-${s.id}`}
                aria-selected={activeTab === s.id} tabIndex={activeTab === s.id ? 0 : -1}
                className={`pb-tab${activeTab === s.id ? ' is-active' : ''}`}
                onClick={() => setTab(s.id)}
                onKeyDown={(e) => {
                  if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
                  e.preventDefault();
                  e.stopPropagation();
                  const i = sideTabs.findIndex((x) => x.id === activeTab);
                  const next = sideTabs[(i + (e.key === 'ArrowRight' ? 1 : sideTabs.length - 1)) % sideTabs.length]!;
                  setTab(next.id);
                  document.getElementById(`pb-tab-${next.id}`)?.focus();
                }}
              >
                {s.label}
                {s.count !== undefined && s.count > 0 && <span className="pb-tab-count">{s.count}</span>}
              </button>
            ))}
          </div>
          <div className="pb-panel" role="tabpanel" id={`pb-panel-${activeTab}`} aria-labelledby={`pb-tab-${activeTab}`}>
            {activeTab === 'slides' && <div className="pb-slides-wrap is-tab">{slidesPanel}</div>}
            {activeTab === 'chat' && <ChatList room={room} onSeek={seek} />}
            {activeTab === 'qa' && <QaList room={room} onSeek={seek} />}
            {activeTab === 'polls' && <PollList room={room} onSeek={seek} />}
          </div>
        </div>
      </aside>
    </div>
  );
}

function PlayIcon() {
  return <svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true"><path d="M8 5.5v13l10.5-6.5z" fill="currentColor" /></svg>;
}
function PauseIcon() {
  return <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path d="M7 5h3.5v14H7zM13.5 5H17v14h-3.5z" fill="currentColor" /></svg>;
}

function Controls({ now, duration, playing, rate, chapters, onToggle, onSeek, onRate }: {
  now: number; duration: number; playing: boolean; rate: number; chapters: ReturnType<typeof chaptersOf>;
  onToggle(): void; onSeek(ms: number): void; onRate(r: number): void;
}) {
  const { t, locale } = useI18n();
  const chapterName = useChapterName();
  const current = [...chapters].reverse().find((c) => c.at <= now);
  return (
    <div className="pb-controls">
      <button type="button" className="pb-play" onClick={onToggle} aria-label={playing ? t('recordings.play.pause') : t('recordings.play.play')} aria-keyshortcuts="Space">
        {playing ? <PauseIcon /> : <PlayIcon />}
      </button>
      <span className="pb-time" aria-hidden="true">
        <span className="pb-time-now">{formatClock(now)}</span> / {formatClock(duration)}
      </span>
      <Scrubber t={now} duration={duration} chapters={chapters} onSeek={onSeek} />
      <label className="pb-speed">
        <span className="sr-only">{t('recordings.play.speed')}</span>
        <Select className="select-inline" value={String(rate)} onChange={(e) => onRate(Number(e.target.value))} title={t('recordings.play.speed')}>
          {SPEEDS.map((s) => <option key={s} value={String(s)}>{`${s.toLocaleString(locale)}×`}</option>)}
        </Select>
      </label>
      {chapters.length > 1 && (
        <label className="pb-chapters">
          <span className="sr-only">{t('recordings.play.chapters')}</span>
          <Select
            className="select-inline"
            value={String(current?.at ?? chapters[0]!.at)}
            onChange={(e) => onSeek(Number(e.target.value))}
            title={t('recordings.play.chapters')}
          >
            {chapters.map((c) => <option key={c.at} value={String(c.at)}>{`${formatClock(c.at)} · ${chapterName(c)}`}</option>)}
          </Select>
        </label>
      )}
    </div>
  );
}

/** The slides (or whiteboard) as they were, annotations included; nobody draws here. */
function PlaybackBoard({ room, source, doc }: { room: RoomAt; source: PlaybackSource; doc: Y.Doc }) {
  const { t } = useI18n();
  const slides = room.stage.content === 'slides' ? room.stage.slides : null;
  const slide = useSlide(source, slides?.fileId ?? null, slides?.name ?? '');
  return (
    <div
      className="pb-slides"
      data-stage-content={room.stage.content}
      data-slide-page={slides?.page ?? ''}
      aria-label={t('recordings.play.slides')}
      role="region"
    >
      {slide === 'missing' ? (
        <div className="bd-stage pb-slides-missing"><p>{t('recordings.play.slidesGone')}</p></div>
      ) : (
        <StageBoard
          doc={doc} stage={room.stage} slide={slide} me="" canDraw={false} canPresent={false}
          pointers={room.pointers} onStageChange={NOOP} onPointer={NOOP}
        />
      )}
    </div>
  );
}

function At({ at, onSeek }: { at: number; onSeek(ms: number): void }) {
  const { t } = useI18n();
  return (
    <button type="button" className="pb-at" onClick={() => onSeek(at)} aria-label={t('recordings.play.jumpTo', { time: formatClock(at) })}>
      {formatClock(at)}
    </button>
  );
}

/** Keeps the newest entry in view as the list grows (or shrinks on a backward seek). */
function useStickToEnd(count: number) {
  const ref = useRef<HTMLOListElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [count]);
  return ref;
}

const ChatList = memo(function ChatList({ room, onSeek }: { room: RoomAt; onSeek(ms: number): void }) {
  const { t } = useI18n();
  const ref = useStickToEnd(room.chat.length);
  if (room.chat.length === 0) return <p className="pb-empty muted">{t('recordings.play.noChat')}</p>;
  return (
    <ol ref={ref} className="pb-list" aria-label={t('recordings.play.chat')}>
      {room.chat.map(({ at, message }) => (
        <li key={message.id} className="pb-msg" data-message-id={message.id}>
          <div className="pb-msg-head">
            <span className="pb-msg-name">{message.from.displayName}</span>
            {message.from.role !== 'attendee' && <span className="pb-msg-role">{t(`recordings.play.role.${message.from.role}`)}</span>}
            <At at={at} onSeek={onSeek} />
          </div>
          <p className="pb-msg-text">{message.text}</p>
        </li>
      ))}
    </ol>
  );
});

const PollList = memo(function PollList({ room, onSeek }: { room: RoomAt; onSeek(ms: number): void }) {
  const { t } = useI18n();
  const ref = useStickToEnd(room.polls.length);
  if (room.polls.length === 0) return <p className="pb-empty muted">{t('recordings.play.noPolls')}</p>;
  return (
    <ol ref={ref} className="pb-list" aria-label={t('recordings.play.polls')}>
      {room.polls.map(({ at, poll }) => (
        <li key={poll.id} className={`pb-msg pb-poll is-${poll.status}`}>
          <div className="pb-msg-head">
            <span className="pb-msg-name">{poll.question}</span>
            <At at={at} onSeek={onSeek} />
          </div>
          <span className={`pb-q-status is-${poll.status}`}>{t(`room.polls.status.${poll.status === 'live' ? 'live' : 'closed'}`)}</span>
          {poll.results ? <PollResultBars poll={poll} /> : (
            <ul className="pb-poll-options">{poll.options.map((o, i) => <li key={i}>{o}</li>)}</ul>
          )}
        </li>
      ))}
    </ol>
  );
});

const QaList = memo(function QaList({ room, onSeek }: { room: RoomAt; onSeek(ms: number): void }) {
  const { t } = useI18n();
  const ref = useStickToEnd(room.questions.length);
  if (room.questions.length === 0) return <p className="pb-empty muted">{t('recordings.play.noQuestions')}</p>;
  return (
    <ol ref={ref} className="pb-list" aria-label={t('recordings.play.qa')}>
      {room.questions.map(({ at, question: q }) => (
        <li key={q.id} className={`pb-msg pb-question is-${q.status}`}>
          <div className="pb-msg-head">
            <span className="pb-msg-name">{q.author?.displayName ?? t('recordings.play.anonymous')}</span>
            <span className="pb-votes" title={t('recordings.play.votes', { count: q.votes })}>▲ {q.votes}</span>
            <At at={at} onSeek={onSeek} />
          </div>
          <p className="pb-msg-text">{q.text}</p>
          {q.status !== 'open' && <span className={`pb-q-status is-${q.status}`}>{t(`recordings.play.qstatus.${q.status}`)}</span>}
          {q.answer && <p className="pb-answer"><strong>{q.answer.by}:</strong> {q.answer.text}</p>}
        </li>
      ))}
    </ol>
  );
});
