import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { requestPasswordReset } from '@podium/protocol';
import { call } from '../../api/client';
import { AuthLayout } from '../../components/AuthLayout';
import { Alert, Button, ErrorMessage, Field, TextInput } from '../../components/ui';
import { useMutation } from '../../hooks/useApi';
import { useT } from '../../i18n/I18nProvider';

/** Asks for a password-reset link; the answer never reveals whether an account exists. */
export default function ForgotPasswordPage() {
  const t = useT();
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const submit = useMutation(async () => {
    await call(requestPasswordReset, { body: { email: email.trim() } });
    setSentTo(email.trim());
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit.run();
  };
  return (
    <AuthLayout
      title={t('auth.forgotTitle')}
      lead={sentTo ? undefined : t('auth.forgotLead')}
      footer={
        <p>
          <Link to="/sign-in">{t('auth.backToSignIn')}</Link>
        </p>
      }
    >
      {sentTo ? (
        <Alert kind="success">{t('auth.forgotSent', { email: sentTo })}</Alert>
      ) : (
        <form className="form" onSubmit={onSubmit}>
          <ErrorMessage error={submit.error} />
          <Field label={t('auth.email')} required>
            <TextInput type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
          </Field>
          <Button type="submit" variant="primary" className="btn-block" busy={submit.busy}>
            {t('auth.forgotSubmit')}
          </Button>
        </form>
      )}
    </AuthLayout>
  );
}
