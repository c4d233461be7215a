import { useCallback, useState } from 'react';
import type { MediaKind } from '@podium/protocol';
import { useRoom } from './context';
import { getCamera, getMicrophone, getScreen, loadDeviceChoice, saveDeviceChoice } from './devices';

/** Turning one's own microphone, camera and screen on and off in the room (with progress and errors). */
export function useLocalMedia() {
  const { media, attempt } = useRoom();
  const [busy, setBusy] = useState<Partial<Record<MediaKind, boolean>>>({});
  const run = useCallback(async (kind: MediaKind, fn: () => Promise<void>) => {
    setBusy((b) => ({ ...b, [kind]: true }));
    try {
      return await attempt(fn);
    } finally {
      setBusy((b) => ({ ...b, [kind]: false }));
    }
  }, [attempt]);

  const toggleMic = useCallback(() => run('audio', async () => {
    const mic = media.snapshot().local.audio;
    if (mic) {
      await media.setPaused('audio', !mic.paused);
      return;
    }
    const track = await getMicrophone(loadDeviceChoice().audioInput);
    try {
      await media.publish('audio', track);
    } catch (err) {
      track.stop();
      throw err;
    }
  }), [media, run]);

  const toggleCamera = useCallback(() => run('video', async () => {
    if (media.snapshot().local.video) {
      await media.unpublish('video');
      return;
    }
    const track = await getCamera(loadDeviceChoice().videoInput);
    try {
      await media.publish('video', track);
    } catch (err) {
      track.stop();
      throw err;
    }
  }), [media, run]);

  const toggleScreen = useCallback(() => run('screen', async () => {
    if (media.snapshot().local.screen) {
      await media.unpublish('screen');
      return;
    }
    let track: MediaStreamTrack;
    try {
      track = await getScreen();
    } catch (err) {
      // Cancelling the browser's picker is not an error worth showing.
      if (err instanceof DOMException && err.name === 'NotAllowedError') return;
      throw err;
    }
    // The browser's own "Stop sharing" button ends the track.
    track.addEventListener('ended', () => {
      if (media.snapshot().local.screen?.track === track) void media.unpublish('screen');
    });
    try {
      await media.publish('screen', track);
    } catch (err) {
      track.stop();
      throw err;
    }
  }), [media, run]);

  const switchDevice = useCallback((kind: 'audio' | 'video', deviceId: string) => run(kind, async () => {
    const choice = { ...loadDeviceChoice(), [kind === 'audio' ? 'audioInput' : 'videoInput']: deviceId };
    saveDeviceChoice(choice);
    if (!media.snapshot().local[kind]) return;
    const track = kind === 'audio' ? await getMicrophone(deviceId) : await getCamera(deviceId);
    await media.publish(kind, track);
  }), [media, run]);

  return { busy, toggleMic, toggleCamera, toggleScreen, switchDevice };
}
