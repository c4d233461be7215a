import { useEffect, useRef } from 'react';
import type { RemoteTrack } from '@podium/client';

function RemoteAudio({ track, producerId }: { track: MediaStreamTrack; producerId: string }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const a = ref.current;
    if (!a) return;
    a.srcObject = new MediaStream([track]);
    void a.play().catch(() => undefined);
    return () => {
      a.srcObject = null;
    };
  }, [track]);
  return <audio ref={ref} autoPlay data-producer-id={producerId} />;
}

/**
 * Plays every received microphone, whatever the layout shows (a speaker off screen is still heard).
 * Kept apart from the video tiles, so switching layouts never interrupts the sound.
 */
export function AudioSink({ remote }: { remote: readonly RemoteTrack[] }) {
  return (
    <div className="rm-audio-sink" aria-hidden="true">
      {remote.filter((r) => r.kind === 'audio' && r.track).map((r) => (
        <RemoteAudio key={r.producerId} producerId={r.producerId} track={r.track as MediaStreamTrack} />
      ))}
    </div>
  );
}
