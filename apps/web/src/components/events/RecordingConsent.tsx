import { useState } from 'react';
import { acceptConsent, withdrawConsent, type JoinInfo } from '@podium/protocol';
import { call } from '../../api/client';
import { Alert, useErrorText } from '../ui';
import { useI18n } from '../../i18n/I18nProvider';

/** The recording consent the event asks for before anyone enters: its text and the checkbox (saved on the server before the way in opens). */
export function RecordingConsent({ info, token, onChange }: { info: JoinInfo; token: string; onChange(): void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const rec = info.recording;
  if (!rec?.records) return null;
  const save = async (accept: boolean) => {
    setBusy(true);
    setError(null);
    try {
      if (accept) await call(acceptConsent, { body: { token, kind: 'recording', version: rec.consentVersion } });
      else await call(withdrawConsent, { body: { token, kind: 'recording' } });
      onChange();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <fieldset className="join-consent">
      <legend>{t('public.join.recordingTitle')}</legend>
      <p className="small">{rec.consentText}</p>
      <label className="join-consent-check">
        <input type="checkbox" checked={rec.accepted} disabled={busy} onChange={(ev) => void save(ev.target.checked)} />{' '}
        {t('public.join.recordingAccept')}
      </label>
      {rec.accepted && <p className="small muted">{t('public.join.recordingSaved')}</p>}
      {error !== null && <Alert kind="error">{errorText(error)}</Alert>}
    </fieldset>
  );
}
