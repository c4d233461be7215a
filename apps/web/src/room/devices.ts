/**
 * Cameras and microphones: the person's choice (kept in localStorage), the list of devices, and
 * getting tracks with the sizes Podium publishes (camera 960×540, simulcast makes the smaller
 * layers). Everything here runs in the browser only.
 */

/** The devices chosen in the lobby (or later in the room). */
export interface DeviceChoice {
  audioInput?: string;
  videoInput?: string;
}

const KEY = 'podium.devices';

/** The saved device choice. */
export function loadDeviceChoice(): DeviceChoice {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}') as DeviceChoice;
    return { ...(typeof v.audioInput === 'string' ? { audioInput: v.audioInput } : {}), ...(typeof v.videoInput === 'string' ? { videoInput: v.videoInput } : {}) };
  } catch {
    return {};
  }
}

/** Saves the device choice for next time. */
export function saveDeviceChoice(c: DeviceChoice): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(c));
  } catch {
    // Storage full or disabled: the choice holds for this visit only.
  }
}

/** True when this browser can capture media at all (secure context with mediaDevices). */
export function canCapture(): boolean {
  return typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;
}

/** True when this browser can share a screen (not on most phones). */
export function canShareScreen(): boolean {
  return typeof navigator !== 'undefined' && !!navigator.mediaDevices && typeof navigator.mediaDevices.getDisplayMedia === 'function';
}

/**
 * The camera constraints Podium publishes with: 960×540, the smallest size at which browsers send
 * all three simulcast layers (480×270 and 240×135 below it); smaller cameras send fewer layers.
 */
export function cameraConstraints(deviceId?: string): MediaTrackConstraints {
  return { ...(deviceId ? { deviceId: { exact: deviceId } } : {}), width: { ideal: 960 }, height: { ideal: 540 }, frameRate: { ideal: 24, max: 30 } };
}

/** The microphone constraints Podium publishes with. */
export function micConstraints(deviceId?: string): MediaTrackConstraints {
  return { ...(deviceId ? { deviceId: { exact: deviceId } } : {}), echoCancellation: true, noiseSuppression: true, autoGainControl: true };
}

/** A camera track (the chosen camera, else any). */
export async function getCamera(deviceId?: string): Promise<MediaStreamTrack> {
  try {
    const s = await navigator.mediaDevices.getUserMedia({ video: cameraConstraints(deviceId) });
    return s.getVideoTracks()[0];
  } catch (err) {
    // The saved camera is gone: take any.
    if (deviceId && err instanceof DOMException && (err.name === 'OverconstrainedError' || err.name === 'NotFoundError')) return getCamera();
    throw err;
  }
}

/** A microphone track (the chosen one, else any). */
export async function getMicrophone(deviceId?: string): Promise<MediaStreamTrack> {
  try {
    const s = await navigator.mediaDevices.getUserMedia({ audio: micConstraints(deviceId) });
    return s.getAudioTracks()[0];
  } catch (err) {
    if (deviceId && err instanceof DOMException && (err.name === 'OverconstrainedError' || err.name === 'NotFoundError')) return getMicrophone();
    throw err;
  }
}

/** A screen (or window or tab) track; rejects when the person cancels the picker. */
export async function getScreen(): Promise<MediaStreamTrack> {
  const s = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15, max: 30 } }, audio: false });
  const track = s.getVideoTracks()[0];
  // Screens carry text: keep detail rather than motion when bandwidth is short.
  if ('contentHint' in track) track.contentHint = 'detail';
  return track;
}

/** The cameras and microphones of this device (labels once permission was given). */
export async function listDevices(): Promise<{ cameras: MediaDeviceInfo[]; microphones: MediaDeviceInfo[] }> {
  if (!navigator.mediaDevices?.enumerateDevices) return { cameras: [], microphones: [] };
  const all = await navigator.mediaDevices.enumerateDevices();
  return {
    cameras: all.filter((d) => d.kind === 'videoinput' && d.deviceId),
    microphones: all.filter((d) => d.kind === 'audioinput' && d.deviceId),
  };
}
