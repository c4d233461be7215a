import { useState } from 'react';
import { can } from '@podium/client';
import { useT } from '../i18n/I18nProvider';
import { useRoom } from './context';

/** The red REC indicator everyone sees while the room is recorded, and the hosts' record / stop button. */
export function RecordingIndicator() {
  const t = useT();
  const { model, send } = useRoom();
  const [busy, setBusy] = useState(false);
  const active = model.state.recording?.active === true;
  const mayStart = can(model, 'recording-start');
  const mayStop = can(model, 'recording-stop');
  const toggle = async () => {
    setBusy(true);
    await send({ type: active ? 'recording-stop' : 'recording-start' });
    setBusy(false);
  };
  return (
    <>
      {active && (
        <span className="rm-status is-recording" role="status" title={t('room.top.recTitle')} aria-label={t('room.top.recTitle')}>
          <span className="rm-rec-dot" aria-hidden="true" />{t('room.top.rec')}
        </span>
      )}
      {(active ? mayStop : mayStart) && (
        <button type="button" className="rm-rec-toggle" disabled={busy} onClick={() => void toggle()}>
          {active ? t('room.top.recordStop') : t('room.top.recordStart')}
        </button>
      )}
    </>
  );
}
