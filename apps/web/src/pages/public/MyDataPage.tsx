import { useState, type FormEvent } from 'react';
import { requestAccess } from '@podium/protocol';
import { call } from '../../api/client';
import { AuthLayout } from '../../components/AuthLayout';
import { Alert, Button, ErrorMessage, Field, TextInput } from '../../components/ui';
import { useMutation } from '../../hooks/useApi';
import { useT } from '../../i18n/I18nProvider';

/**
 * A data subject asks for a copy of their data (GDPR Art. 15): a one-time download link goes to
 * the address given, so only its holder gets the data. The answer is the same for every address.
 */
export default function MyDataPage() {
  const t = useT();
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const submit = useMutation(async () => {
    await call(requestAccess, { body: { email: email.trim() } });
    setSentTo(email.trim());
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit.run();
  };
  return (
    <AuthLayout title={t('public.myData.title')} lead={sentTo ? undefined : t('public.myData.lead')}>
      {sentTo ? (
        <Alert kind="success">{t('public.myData.sent', { email: sentTo })}</Alert>
      ) : (
        <form className="form" onSubmit={onSubmit}>
          <ErrorMessage error={submit.error} />
          <Field label={t('public.myData.email')} required>
            <TextInput type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
          </Field>
          <Button type="submit" variant="primary" className="btn-block" busy={submit.busy}>
            {t('public.myData.submit')}
          </Button>
          <p className="small muted">{t('public.myData.erasure')}</p>
        </form>
      )}
    </AuthLayout>
  );
}
