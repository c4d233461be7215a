import { useEffect, useState } from 'react';

let shared: AudioContext | null = null;

/** One AudioContext for the page (browsers limit how many there may be). */
export function audioContext(): AudioContext | null {
  if (shared) return shared;
  const Ctor = (globalThis as { AudioContext?: typeof AudioContext }).AudioContext;
  if (!Ctor) return null;
  shared = new Ctor();
  return shared;
}

/** The level (0–1) of an audio track, sampled a few times a second; 0 without a track. */
export function useAudioLevel(track: MediaStreamTrack | null | undefined, active = true): number {
  const [level, setLevel] = useState(0);
  useEffect(() => {
    if (!track || !active || track.kind !== 'audio') {
      setLevel(0);
      return;
    }
    const ctx = audioContext();
    if (!ctx) return;
    void ctx.resume().catch(() => undefined);
    const source = ctx.createMediaStreamSource(new MediaStream([track]));
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    const data = new Uint8Array(analyser.fftSize);
    const timer = setInterval(() => {
      analyser.getByteTimeDomainData(data);
      let sum = 0;
      for (const v of data) {
        const x = (v - 128) / 128;
        sum += x * x;
      }
      // RMS to a 0–1 meter with some headroom (speech sits around 0.05–0.3 RMS).
      setLevel(Math.min(1, Math.sqrt(sum / data.length) * 4));
    }, 100);
    return () => {
      clearInterval(timer);
      source.disconnect();
      analyser.disconnect();
    };
  }, [track, active]);
  return level;
}
