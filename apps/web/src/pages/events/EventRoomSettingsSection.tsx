import { useEffect, useState } from 'react';
import { getRoomSettings, updateRoomSettings, type Event, type RoomSettings, type StageLayout } from '@podium/protocol';
import { call } from '../../api/client';
import { Alert, Card, ErrorMessage, Field, Select, Spinner, TextInput } from '../../components/ui';
import { useApi, useMutation } from '../../hooks/useApi';
import { useT } from '../../i18n/I18nProvider';
import '../../room/room.css';

type BoolSetting = 'waitingRoom' | 'locked' | 'chatEnabled' | 'privateChatEnabled' | 'qaEnabled' | 'reactionsEnabled' | 'notesEditableByAttendees';
const TOGGLES: BoolSetting[] = ['waitingRoom', 'chatEnabled', 'privateChatEnabled', 'qaEnabled', 'reactionsEnabled', 'notesEditableByAttendees', 'locked'];

/** How the event's room runs (also changeable live from the room); every change is saved at once. */
export function EventRoomSettingsSection({ event }: { event: Event }) {
  const t = useT();
  const params = { orgId: event.orgId, eventId: event.id };
  const loaded = useApi(getRoomSettings, { params }, [event.id]);
  const [settings, setSettings] = useState<RoomSettings | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (loaded.data) setSettings(loaded.data);
  }, [loaded.data]);
  const save = useMutation(async (patch: Partial<RoomSettings>) => {
    setSaved(false);
    const next = await call(updateRoomSettings, { params, body: patch });
    setSettings(next);
    setSaved(true);
  });
  const editable = event.status === 'scheduled' || event.status === 'live';
  return (
    <Card title={t('room.prep.settings.title')}>
      {loaded.error ? <ErrorMessage error={loaded.error} /> : !settings ? <div className="ev-loading"><Spinner /></div> : (
        <div className="stack">
          <p className="small muted">{t('room.prep.settings.hint')}</p>
          <div className="rp-settings-grid">
            {TOGGLES.map((k) => (
              <label key={k} className="rm-switch rp-switch">
                <input type="checkbox" role="switch" checked={settings[k]} disabled={!editable || save.busy} onChange={(e) => void save.run({ [k]: e.target.checked })} />
                <span className="rm-switch-track" aria-hidden="true" />
                <span className="rm-switch-text">
                  <span>{t(`room.settings.${k}`)}</span>
                  <span className="small muted">{t(`room.settings.${k}Hint`)}</span>
                </span>
              </label>
            ))}
          </div>
          <div className="rp-settings-fields">
            <Field label={t('room.settings.layout')}>
              <Select value={settings.layout} disabled={!editable || save.busy} onChange={(e) => void save.run({ layout: e.target.value as StageLayout })}>
                {(['presentation', 'gallery', 'speaker'] as StageLayout[]).map((l) => <option key={l} value={l}>{t(`room.layout.${l}`)}</option>)}
              </Select>
            </Field>
            {event.type === 'meeting' && (
              <Field label={t('room.settings.maxCameras')}>
                <TextInput type="number" min={1} max={100} defaultValue={settings.maxCameras} disabled={!editable}
                  onBlur={(e) => {
                    const n = Math.round(Number(e.target.value));
                    if (Number.isFinite(n) && n >= 1 && n <= 100 && n !== settings.maxCameras) void save.run({ maxCameras: n });
                  }} />
              </Field>
            )}
          </div>
          <ErrorMessage error={save.error} />
          <div aria-live="polite">{saved && !save.busy && !save.error && <Alert kind="success">{t('room.prep.settings.saved')}</Alert>}</div>
        </div>
      )}
    </Card>
  );
}
