import { useEffect, useId, useRef, useState } from 'react';
import { useT } from '../i18n/I18nProvider';
import { Button, Select } from '../components/ui';
import { canCapture, getCamera, getMicrophone, listDevices, saveDeviceChoice, type DeviceChoice } from './devices';
import { roomErrorText } from './context';
import { useAudioLevel } from './useAudioLevel';
import { IconCamera, IconCameraOff, IconMic, IconMicOff } from './icons';

/** Tracks prepared in the lobby: handed to the room on entering (published by those who may). */
export interface PreparedDevices {
  choice: DeviceChoice;
  camera: MediaStreamTrack | null;
  mic: MediaStreamTrack | null;
}

/** A level meter for a microphone track. */
export function MicMeter({ track, label }: { track: MediaStreamTrack | null; label: string }) {
  const level = useAudioLevel(track);
  const bars = 12;
  const lit = Math.round(level * bars);
  return (
    <div className="rm-meter" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(level * 100)}>
      {Array.from({ length: bars }, (_, i) => (
        <span key={i} className={i < lit ? (i > bars * 0.75 ? 'is-hot' : 'is-on') : undefined} />
      ))}
    </div>
  );
}

/** A video element showing a local track (mirrored, like a mirror, for cameras). */
export function LocalPreview({ track, mirror = true, label }: { track: MediaStreamTrack | null; mirror?: boolean; label: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const v = ref.current;
    if (!v) return;
    v.srcObject = track ? new MediaStream([track]) : null;
    if (track) void v.play().catch(() => undefined);
  }, [track]);
  return <video ref={ref} className={`rm-preview-video${mirror ? ' is-mirrored' : ''}`} muted playsInline autoPlay aria-label={label} />;
}

/**
 * The camera and microphone check: a live preview, a microphone level meter, and pickers for the
 * devices. The tracks it opens are kept in `value` for the room to publish; the choice is saved.
 */
export function DeviceCheck({ value, onChange, showCamera = true }: { value: PreparedDevices; onChange(v: PreparedDevices): void; showCamera?: boolean }) {
  const t = useT();
  const camId = useId();
  const micId = useId();
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([]);
  const [mics, setMics] = useState<MediaDeviceInfo[]>([]);
  const [busy, setBusy] = useState<'camera' | 'mic' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(value);
  latest.current = value;

  const refreshList = async () => {
    try {
      const d = await listDevices();
      setCameras(d.cameras);
      setMics(d.microphones);
    } catch {
      // No device list (permissions policy): the pickers stay hidden.
    }
  };
  useEffect(() => {
    void refreshList();
    const md = navigator.mediaDevices;
    if (!md?.addEventListener) return;
    const on = () => void refreshList();
    md.addEventListener('devicechange', on);
    return () => md.removeEventListener('devicechange', on);
  }, []);

  const setCamera = async (on: boolean, deviceId = latest.current.choice.videoInput) => {
    setError(null);
    latest.current.camera?.stop();
    if (!on) {
      onChange({ ...latest.current, camera: null });
      return;
    }
    setBusy('camera');
    try {
      const track = await getCamera(deviceId);
      const choice = { ...latest.current.choice, videoInput: track.getSettings().deviceId ?? deviceId };
      saveDeviceChoice(choice);
      onChange({ ...latest.current, camera: track, choice });
      void refreshList();
    } catch (err) {
      onChange({ ...latest.current, camera: null });
      setError(roomErrorText(t, err));
    } finally {
      setBusy(null);
    }
  };
  const setMic = async (on: boolean, deviceId = latest.current.choice.audioInput) => {
    setError(null);
    latest.current.mic?.stop();
    if (!on) {
      onChange({ ...latest.current, mic: null });
      return;
    }
    setBusy('mic');
    try {
      const track = await getMicrophone(deviceId);
      const choice = { ...latest.current.choice, audioInput: track.getSettings().deviceId ?? deviceId };
      saveDeviceChoice(choice);
      onChange({ ...latest.current, mic: track, choice });
      void refreshList();
    } catch (err) {
      onChange({ ...latest.current, mic: null });
      setError(roomErrorText(t, err));
    } finally {
      setBusy(null);
    }
  };

  if (!canCapture()) return <p className="small muted">{t('room.devices.unsupported')}</p>;
  const label = (d: MediaDeviceInfo, i: number, kind: 'camera' | 'mic') => d.label || t(kind === 'camera' ? 'room.devices.cameraN' : 'room.devices.micN', { n: i + 1 });

  return (
    <section className="rm-devcheck" aria-label={t('room.devices.title')}>
      {showCamera && (
        <div className="rm-preview">
          {value.camera ? (
            <LocalPreview track={value.camera} label={t('room.devices.preview')} />
          ) : (
            <div className="rm-preview-off">
              <IconCameraOff />
              <span>{t('room.devices.cameraOff')}</span>
            </div>
          )}
          {value.mic && (
            <div className="rm-preview-meter">
              <MicMeter track={value.mic} label={t('room.devices.micLevel')} />
            </div>
          )}
        </div>
      )}
      <div className="rm-devcheck-buttons">
        <Button type="button" variant={value.mic ? 'secondary' : 'primary'} busy={busy === 'mic'} aria-pressed={!!value.mic} onClick={() => void setMic(!value.mic)}>
          {value.mic ? <IconMic /> : <IconMicOff />} {value.mic ? t('room.devices.micOn') : t('room.devices.testMic')}
        </Button>
        {showCamera && (
          <Button type="button" variant={value.camera ? 'secondary' : 'primary'} busy={busy === 'camera'} aria-pressed={!!value.camera} onClick={() => void setCamera(!value.camera)}>
            {value.camera ? <IconCamera /> : <IconCameraOff />} {value.camera ? t('room.devices.cameraOn') : t('room.devices.testCamera')}
          </Button>
        )}
      </div>
      {!showCamera && value.mic && <MicMeter track={value.mic} label={t('room.devices.micLevel')} />}
      {error && <p className="rm-devcheck-error" role="alert">{error}</p>}
      <div className="rm-devcheck-pickers">
        {showCamera && cameras.length > 0 && (
          <div className="field">
            <label className="field-label" htmlFor={camId}>{t('room.devices.camera')}</label>
            <Select id={camId} value={value.choice.videoInput ?? ''} onChange={(e) => {
              const id = e.target.value;
              const choice = { ...value.choice, videoInput: id };
              saveDeviceChoice(choice);
              onChange({ ...value, choice });
              if (value.camera) void setCamera(true, id);
            }}>
              {!value.choice.videoInput && <option value="">{t('room.devices.default')}</option>}
              {cameras.map((d, i) => <option key={d.deviceId} value={d.deviceId}>{label(d, i, 'camera')}</option>)}
            </Select>
          </div>
        )}
        {mics.length > 0 && (
          <div className="field">
            <label className="field-label" htmlFor={micId}>{t('room.devices.microphone')}</label>
            <Select id={micId} value={value.choice.audioInput ?? ''} onChange={(e) => {
              const id = e.target.value;
              const choice = { ...value.choice, audioInput: id };
              saveDeviceChoice(choice);
              onChange({ ...value, choice });
              if (value.mic) void setMic(true, id);
            }}>
              {!value.choice.audioInput && <option value="">{t('room.devices.default')}</option>}
              {mics.map((d, i) => <option key={d.deviceId} value={d.deviceId}>{label(d, i, 'mic')}</option>)}
            </Select>
          </div>
        )}
      </div>
    </section>
  );
}
