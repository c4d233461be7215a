import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { confirmPasswordReset } from '@podium/protocol';
import { call } from '../../api/client';
import { AuthLayout } from '../../components/AuthLayout';
import { NewPasswordField } from '../../components/PasswordInput';
import { Alert, Button, ErrorMessage, Field, TextInput } from '../../components/ui';
import { useMutation } from '../../hooks/useApi';
import { useT } from '../../i18n/I18nProvider';

/** Sets a new password with the token from the emailed link (`?token=`). */
export default function ResetPasswordPage() {
  const t = useT();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const submit = useMutation(async () => {
    await call(confirmPasswordReset, { body: { token, password } });
    setDone(true);
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (password !== repeat) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    void submit.run();
  };
  const footer = (
    <p>
      <Link to="/sign-in">{t('auth.backToSignIn')}</Link>
    </p>
  );
  if (token.length < 10) {
    return (
      <AuthLayout title={t('auth.resetTitle')} footer={footer}>
        <div className="stack">
          <Alert kind="error">{t('errors.TOKEN_INVALID')}</Alert>
          <Link to="/forgot-password">{t('auth.requestNewLink')}</Link>
        </div>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title={t('auth.resetTitle')} lead={done ? undefined : t('auth.resetLead')} footer={done ? undefined : footer}>
      {done ? (
        <div className="stack">
          <Alert kind="success">{t('auth.resetDone')}</Alert>
          <Link to="/sign-in" className="btn btn-primary btn-block">
            {t('auth.signInSubmit')}
          </Link>
        </div>
      ) : (
        <form className="form" onSubmit={onSubmit}>
          <ErrorMessage error={submit.error} />
          <NewPasswordField value={password} onChange={setPassword} label={t('auth.newPassword')} />
          <Field label={t('auth.repeatPassword')} required error={mismatch ? t('auth.passwordsDiffer') : undefined}>
            <TextInput type="password" autoComplete="new-password" required value={repeat} onChange={(e) => setRepeat(e.target.value)} />
          </Field>
          <Button type="submit" variant="primary" className="btn-block" busy={submit.busy}>
            {t('auth.resetSubmit')}
          </Button>
        </form>
      )}
    </AuthLayout>
  );
}
