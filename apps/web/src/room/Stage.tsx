import { useEffect, useMemo } from 'react';
import type { StageLayout } from '@podium/protocol';
import { isStaff, type RoomMediaSnapshot, type RoomModel } from '@podium/client';
import { useT } from '../i18n/I18nProvider';
import { VideoTile, type VideoTileProps } from './VideoTile';
import { BoardSlot } from './BoardSlot';
import { useRoom } from './context';

/** One person on stage: their camera (if any) and microphone state. */
interface Speaker {
  participantId: string;
  name: string;
  role: VideoTileProps['role'];
  track: MediaStreamTrack | null;
  producerId: string | null;
  audioMuted: boolean;
  self: boolean;
}

/** Who is on stage: everyone publishing, hosts and presenters, and in a meeting everyone. */
function speakersOf(model: RoomModel, media: RoomMediaSnapshot): Speaker[] {
  const out: Speaker[] = [];
  for (const p of model.participants) {
    const self = p.id === model.self.id;
    if (self) {
      const cam = media.local.video;
      const mic = media.local.audio;
      if (!cam && !mic && !isStaff(p.role) && model.event.type !== 'meeting') continue;
      out.push({
        participantId: p.id, name: p.displayName, role: p.role, self: true,
        track: cam && !cam.paused ? (cam.track as MediaStreamTrack) : null, producerId: null,
        audioMuted: !mic || mic.paused,
      });
      continue;
    }
    const producers = model.producers.filter((x) => x.participantId === p.id);
    const camera = producers.find((x) => x.kind === 'video');
    const audio = producers.find((x) => x.kind === 'audio');
    const publishes = producers.some((x) => x.kind !== 'screen');
    if (!publishes && !isStaff(p.role) && p.grant !== 'speaker' && model.event.type !== 'meeting') continue;
    const remote = camera ? media.remote.find((r) => r.producerId === camera.producerId) : undefined;
    out.push({
      participantId: p.id, name: p.displayName, role: p.role, self: false,
      track: camera && !camera.paused ? ((remote?.track as MediaStreamTrack | null) ?? null) : null,
      producerId: camera?.producerId ?? null,
      audioMuted: !audio || audio.paused,
    });
  }
  return out;
}

/** The stage: screen share or the board large, the speakers beside (or a gallery, or the speaker alone). */
export function Stage({ model, media, layout, activeSpeaker }: {
  model: RoomModel;
  media: RoomMediaSnapshot;
  layout: StageLayout;
  activeSpeaker: string | null;
}) {
  const t = useT();
  const { docs, media: mediaCtl } = useRoom();
  const speakers = useMemo(() => speakersOf(model, media), [model, media]);
  const hands = new Set(model.state.hands.map((h) => h.participantId));
  const quality = new Map(model.participants.map((p) => [p.id, p.quality]));
  const screenProducer = model.producers.find((p) => p.kind === 'screen');
  const ownScreen = media.local.screen;
  const screen = screenProducer
    ? screenProducer.participantId === model.self.id
      ? ownScreen ? { participantId: model.self.id, producerId: null, track: ownScreen.track as MediaStreamTrack } : null
      : { participantId: screenProducer.participantId, producerId: screenProducer.producerId, track: (media.remote.find((r) => r.producerId === screenProducer.producerId)?.track as MediaStreamTrack | null) ?? null }
    : ownScreen ? { participantId: model.self.id, producerId: null, track: ownScreen.track as MediaStreamTrack } : null;
  const boardShown = model.state.stage.content !== 'none';
  const nameOf = (id: string) => model.participants.find((p) => p.id === id)?.displayName ?? '';
  const roleOf = (id: string) => model.participants.find((p) => p.id === id)?.role ?? 'attendee';

  const tile = (s: Speaker, className?: string) => (
    <VideoTile
      key={s.participantId}
      participantId={s.participantId}
      name={s.name}
      role={s.role}
      track={s.track}
      producerId={s.producerId}
      kind="video"
      audioMuted={s.audioMuted}
      speaking={activeSpeaker === s.participantId}
      quality={quality.get(s.participantId)}
      hand={hands.has(s.participantId)}
      self={s.self}
      className={className}
    />
  );

  const main = screen ? (
    <VideoTile
      key={`screen-${screen.participantId}`}
      participantId={screen.participantId}
      name={nameOf(screen.participantId)}
      role={roleOf(screen.participantId)}
      track={screen.track}
      producerId={screen.producerId}
      kind="screen"
      self={screen.participantId === model.self.id}
      className="rm-main-tile"
    />
  ) : boardShown ? (
    <BoardSlot key="board" model={model} docs={docs} />
  ) : null;

  const speaking = speakers.find((s) => s.participantId === activeSpeaker) ?? speakers.find((s) => !s.self && s.track) ?? speakers.find((s) => s.track) ?? speakers[0];

  // Videos this layout does not show are paused at the SFU (tiles shown pause themselves when
  // scrolled out of sight), so the bandwidth goes to what is on screen.
  const shown = new Set<string>();
  if (layout === 'speaker') {
    if (speaking?.producerId) shown.add(speaking.producerId);
    else if (!speaking && screen?.producerId) shown.add(screen.producerId);
  } else {
    for (const s of speakers) if (s.producerId) shown.add(s.producerId);
    if (screen?.producerId) shown.add(screen.producerId);
  }
  const shownKey = [...shown].sort().join(',');
  useEffect(() => {
    for (const r of media.remote) {
      if (r.kind !== 'audio' && !shown.has(r.producerId)) void mediaCtl.setConsumerPaused(r.producerId, true);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shownKey, media.remote, mediaCtl]);

  if (speakers.length === 0 && !main) {
    return (
      <div className="rm-stage is-empty" aria-label={t('room.stage.label')}>
        <div className="rm-stage-empty">
          <p className="rm-stage-empty-title">{t('room.stage.emptyTitle')}</p>
          <p>{t('room.stage.emptyText')}</p>
        </div>
      </div>
    );
  }

  if (layout === 'speaker') {
    return (
      <div className="rm-stage is-speaker" aria-label={t('room.stage.label')}>
        {speaking ? tile(speaking, 'rm-main-tile') : main}
      </div>
    );
  }
  if (layout === 'gallery') {
    const n = speakers.length + (main ? 1 : 0);
    const cols = n <= 1 ? 1 : n <= 4 ? 2 : n <= 9 ? 3 : 4;
    return (
      <div className="rm-stage is-gallery" aria-label={t('room.stage.label')} style={{ ['--cols' as string]: cols }}>
        {main && <div className="rm-gallery-main">{main}</div>}
        {speakers.map((s) => tile(s))}
      </div>
    );
  }
  // Presentation: the shared content large; without one, the speaker large.
  const big = main ?? (speaking ? tile(speaking, 'rm-main-tile') : null);
  const strip = main ? speakers : speakers.filter((s) => s !== speaking);
  return (
    <div className={`rm-stage is-presentation${strip.length === 0 ? ' no-strip' : ''}`} aria-label={t('room.stage.label')}>
      <div className="rm-stage-main">{big}</div>
      {strip.length > 0 && <div className="rm-strip" role="list" aria-label={t('room.stage.speakers')}>{strip.map((s) => <div role="listitem" key={s.participantId} className="rm-strip-item">{tile(s)}</div>)}</div>}
    </div>
  );
}
