import { useId, useState } from 'react';
import type { RoomSettings, StageLayout } from '@podium/protocol';
import { useT } from '../i18n/I18nProvider';
import { useRoom } from './context';
import { IconGear, IconLock } from './icons';
import { Popover } from './Popover';

type BoolSetting = 'locked' | 'waitingRoom' | 'chatEnabled' | 'privateChatEnabled' | 'qaEnabled' | 'reactionsEnabled' | 'notesEditableByAttendees' | 'autoRecord';
const TOGGLES: BoolSetting[] = ['locked', 'waitingRoom', 'chatEnabled', 'privateChatEnabled', 'qaEnabled', 'reactionsEnabled', 'notesEditableByAttendees', 'autoRecord'];

/** Hosts: how the room runs (lock, waiting room, chat, Q&A, reactions, notes, default layout, cameras). Shows what the server confirmed. */
export function RoomSettingsMenu() {
  const t = useT();
  const { model, send } = useRoom();
  const [pending, setPending] = useState<keyof RoomSettings | null>(null);
  const layoutId = useId();
  const camsId = useId();
  const s = model.state.settings;
  const change = async (patch: Partial<RoomSettings>, key: keyof RoomSettings) => {
    setPending(key);
    await send({ type: 'room-settings', settings: patch });
    setPending(null);
  };
  return (
    <Popover label={t('room.settings.title')} className="rm-ctl-pop" placement="above" align="end"
      content={<>{s.locked ? <IconLock /> : <IconGear />}<span className="rm-ctl-text">{t('room.settings.short')}</span></>}>
      {() => (
        <div className="rm-settings">
          <h2 className="rm-pop-title">{t('room.settings.title')}</h2>
          {TOGGLES.map((k) => (
            <label key={k} className="rm-switch">
              <input type="checkbox" role="switch" checked={s[k]} aria-busy={pending === k || undefined} onChange={(e) => { if (pending !== k) void change({ [k]: e.target.checked }, k); }} />
              <span className="rm-switch-track" aria-hidden="true" />
              <span className="rm-switch-text">
                <span>{t(`room.settings.${k}`)}</span>
                <span className="small muted">{t(`room.settings.${k}Hint`)}</span>
              </span>
            </label>
          ))}
          <div className="field">
            <label className="field-label" htmlFor={layoutId}>{t('room.settings.layout')}</label>
            <select id={layoutId} className="input select" value={s.layout} onChange={(e) => void change({ layout: e.target.value as StageLayout }, 'layout')}>
              {(['presentation', 'gallery', 'speaker'] as StageLayout[]).map((l) => <option key={l} value={l}>{t(`room.layout.${l}`)}</option>)}
            </select>
          </div>
          {model.event.type === 'meeting' && (
            <div className="field">
              <label className="field-label" htmlFor={camsId}>{t('room.settings.maxCameras')}</label>
              <input id={camsId} className="input" type="number" min={1} max={100} defaultValue={s.maxCameras}
                onBlur={(e) => {
                  const n = Math.round(Number(e.target.value));
                  if (Number.isFinite(n) && n >= 1 && n <= 100 && n !== s.maxCameras) void change({ maxCameras: n }, 'maxCameras');
                }} />
            </div>
          )}
        </div>
      )}
    </Popover>
  );
}
