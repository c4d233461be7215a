import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ConnectionQuality, JoinRole } from '@podium/protocol';
import { useT } from '../i18n/I18nProvider';
import { useRoom } from './context';
import { IconHand, IconMicOff } from './icons';

/** How long a size must hold before the layer preference follows it (resizes come in bursts). */
const LAYER_DEBOUNCE_MS = 400;
/** How long a tile must be out of sight before its video is paused. */
const PAUSE_DEBOUNCE_MS = 1000;

/** Initials of a name for the avatar of a tile without video. */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const s = (parts[0]?.[0] ?? '') + (parts.length > 1 ? parts[parts.length - 1][0] : '');
  return s.toUpperCase() || '?';
}

/** A stable hue for a name (avatars are told apart by colour too). */
function hue(name: string): number {
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) % 360;
  return h;
}

/**
 * Attaches a track to a video element, and for remote video tells the SFU which layer fits the
 * size it is shown at (ResizeObserver, debounced) and pauses it while it is out of sight.
 */
function useRemoteVideo(producerId: string | null | undefined, box: React.RefObject<HTMLElement | null>) {
  const { media } = useRoom();
  useEffect(() => {
    const el = box.current;
    if (!producerId || !el) return;
    let layerTimer: ReturnType<typeof setTimeout> | undefined;
    let pauseTimer: ReturnType<typeof setTimeout> | undefined;
    let last = { w: 0, h: 0 };
    let inView = true;
    const applySize = () => {
      const r = el.getBoundingClientRect();
      const dpr = Math.min(2, window.devicePixelRatio || 1);
      const w = Math.round(r.width * dpr);
      const h = Math.round(r.height * dpr);
      if (w === 0 || h === 0) return;
      // Small changes do not move the layer; skip them.
      if (last.w && Math.abs(w - last.w) / last.w < 0.15 && Math.abs(h - last.h) / last.h < 0.15) return;
      last = { w, h };
      void media.setLayerPreference(producerId, { maxWidth: w, maxHeight: h });
    };
    const ro = new ResizeObserver(() => {
      clearTimeout(layerTimer);
      layerTimer = setTimeout(applySize, LAYER_DEBOUNCE_MS);
    });
    ro.observe(el);
    const visibility = () => {
      const visible = inView && document.visibilityState !== 'hidden';
      clearTimeout(pauseTimer);
      if (visible) void media.setConsumerPaused(producerId, false);
      else pauseTimer = setTimeout(() => void media.setConsumerPaused(producerId, true), PAUSE_DEBOUNCE_MS);
    };
    const io = new IntersectionObserver((entries) => {
      inView = entries.some((e) => e.isIntersecting);
      visibility();
    });
    io.observe(el);
    document.addEventListener('visibilitychange', visibility);
    return () => {
      ro.disconnect();
      io.disconnect();
      document.removeEventListener('visibilitychange', visibility);
      clearTimeout(layerTimer);
      clearTimeout(pauseTimer);
    };
  }, [producerId, media, box]);
}

/** A video element for a track (remote or local). */
export function TrackVideo({ track, mirror = false, fit = 'cover', label }: { track: MediaStreamTrack | null; mirror?: boolean; fit?: 'cover' | 'contain'; label?: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const v = ref.current;
    if (!v) return;
    if (!track) {
      v.srcObject = null;
      return;
    }
    const current = v.srcObject as MediaStream | null;
    if (current?.getTracks()[0] === track) return;
    v.srcObject = new MediaStream([track]);
    void v.play().catch(() => undefined);
  }, [track]);
  return <video ref={ref} className={`rm-video is-${fit}${mirror ? ' is-mirrored' : ''}`} muted playsInline autoPlay aria-label={label} />;
}

/** Props of a tile: whose it is and what to show. */
export interface VideoTileProps {
  participantId: string;
  name: string;
  role: JoinRole;
  track: MediaStreamTrack | null;
  /** The producer of a remote video (null for one's own camera). */
  producerId: string | null;
  kind: 'video' | 'screen';
  /** The person's microphone is muted or absent. */
  audioMuted?: boolean;
  speaking?: boolean;
  quality?: ConnectionQuality;
  hand?: boolean;
  self?: boolean;
  /** Extra controls shown over the tile (e.g. a host's menu). */
  overlay?: ReactNode;
  className?: string;
}

/** One person's camera (or screen) on stage, with their name, mic state and the active-speaker ring. */
export function VideoTile(p: VideoTileProps) {
  const t = useT();
  const box = useRef<HTMLDivElement>(null);
  useRemoteVideo(p.producerId, box);
  const [videoOn, setVideoOn] = useState(!!p.track);
  useEffect(() => {
    setVideoOn(!!p.track && !p.track.muted);
    if (!p.track) return;
    const tr = p.track;
    const on = () => setVideoOn(!tr.muted);
    tr.addEventListener('mute', on);
    tr.addEventListener('unmute', on);
    return () => {
      tr.removeEventListener('mute', on);
      tr.removeEventListener('unmute', on);
    };
  }, [p.track]);
  const label = p.kind === 'screen' ? t('room.stage.screenOf', { name: p.name }) : p.self ? t('room.stage.you', { name: p.name }) : p.name;
  return (
    <div
      ref={box}
      className={`rm-tile is-${p.kind}${p.speaking ? ' is-speaking' : ''}${p.className ? ` ${p.className}` : ''}`}
      data-participant-id={p.participantId}
      data-producer-id={p.producerId ?? undefined}
      data-kind={p.kind}
      data-self={p.self || undefined}
      role="group"
      aria-label={label}
    >
      {p.track && <TrackVideo track={p.track} mirror={p.self && p.kind === 'video'} fit={p.kind === 'screen' ? 'contain' : 'cover'} label={label} />}
      {(!p.track || !videoOn) && p.kind === 'video' && (
        <div className="rm-avatar" style={{ ['--hue' as string]: hue(p.name) }} aria-hidden="true">
          <span>{initials(p.name)}</span>
        </div>
      )}
      <div className="rm-tile-label">
        {p.kind === 'video' && p.audioMuted && <span className="rm-tile-muted" title={t('room.stage.muted')}><IconMicOff /><span className="sr-only">{t('room.stage.muted')}</span></span>}
        <span className="rm-tile-name">{label}</span>
        {p.role !== 'attendee' && p.kind === 'video' && <span className="rm-tile-role">{t(`room.role.${p.role}`)}</span>}
        {p.quality && p.quality !== 'unknown' && p.quality !== 'good' && !p.self && (
          <span className={`rm-q rm-q-${p.quality}`} title={t(`room.quality.${p.quality}`)}><span className="sr-only">{t(`room.quality.${p.quality}`)}</span></span>
        )}
      </div>
      {p.hand && <span className="rm-tile-hand" title={t('room.hands.raised')}><IconHand /><span className="sr-only">{t('room.hands.raised')}</span></span>}
      {p.overlay}
    </div>
  );
}
