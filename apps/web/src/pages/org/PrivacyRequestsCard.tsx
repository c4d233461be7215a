import { useState } from 'react';
import { eraseOrgSubject, exportOrgSubject, type ErasureResult } from '@podium/protocol';
import { ApiError, call, csrfHeaders, routeUrl } from '../../api/client';
import { Alert, Button, Card, ErrorMessage, Field, TextInput } from '../../components/ui';
import { useI18n } from '../../i18n/I18nProvider';

/**
 * Data-subject requests an admin serves on a person's behalf (GDPR Art. 15, 17): download
 * everything the organization holds about an email as a ZIP, or erase it (asked twice).
 */
export default function PrivacyRequestsCard({ orgId }: { orgId: string }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState<'export' | 'erase' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const [erased, setErased] = useState<ErasureResult | null>(null);
  const [confirming, setConfirming] = useState(false);
  const valid = /^[^\s@]+@[^\s@]+$/.test(email.trim());

  const download = async () => {
    setBusy('export');
    setError(null);
    setErased(null);
    try {
      const res = await fetch(routeUrl(exportOrgSubject, { orgId }), {
        method: 'POST', credentials: 'same-origin',
        headers: { 'content-type': 'application/json', ...csrfHeaders() },
        body: JSON.stringify({ email: email.trim() }),
      });
      if (!res.ok || !res.body) {
        const body = await res.json().catch(() => ({}));
        throw new ApiError(res.status, body.code ?? 'INTERNAL', body.message ?? res.statusText);
      }
      // The ZIP is streamed: show what has arrived against the server's estimate.
      const estimate = Number(res.headers.get('x-podium-export-estimate')) || 0;
      const reader = res.body.getReader();
      const parts: Uint8Array[] = [];
      let got = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        got += value.length;
        setProgress(estimate ? `${Math.min(99, Math.round((got / estimate) * 100))} %` : `${Math.round(got / 1024)} KiB`);
      }
      const url = URL.createObjectURL(new Blob(parts as BlobPart[], { type: 'application/zip' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'personal-data.zip';
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setProgress(null);
    } catch (err) {
      setError(err);
      setProgress(null);
    } finally {
      setBusy(null);
    }
  };

  const erase = async () => {
    setBusy('erase');
    setError(null);
    try {
      setErased(await call(eraseOrgSubject, { params: { orgId }, body: { email: email.trim() } }));
      setConfirming(false);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card title={t('org.privacy.title')}>
      <div className="stack" style={{ maxWidth: 520 }}>
        <p className="muted" style={{ margin: 0 }}>{t('org.privacy.lead')}</p>
        <ErrorMessage error={error} />
        {erased && (
          <Alert kind={erased.found ? 'success' : 'info'}>
            {erased.found ? t('org.privacy.erased', { recordings: erased.recordingsFlagged }) : t('org.privacy.nothing')}
          </Alert>
        )}
        <Field label={t('org.privacy.email')}>
          <TextInput type="email" value={email} onChange={(e) => { setEmail(e.target.value); setConfirming(false); }} />
        </Field>
        <div className="row">
          <Button type="button" disabled={!valid || busy !== null} busy={busy === 'export'} onClick={() => void download()}>
            {progress ?? t('org.privacy.export')}
          </Button>
          {!confirming ? (
            <Button type="button" variant="danger" disabled={!valid || busy !== null} onClick={() => setConfirming(true)}>{t('org.privacy.erase')}</Button>
          ) : (
            <Button type="button" variant="danger" busy={busy === 'erase'} onClick={() => void erase()}>{t('org.privacy.eraseConfirm', { email: email.trim() })}</Button>
          )}
        </div>
      </div>
    </Card>
  );
}
