import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { setupStatus, signIn } from '@podium/protocol';
import { call } from '../../api/client';
import { AuthLayout } from '../../components/AuthLayout';
import { Button, ErrorMessage, Field, FullPageSpinner, TextInput } from '../../components/ui';
import { useApi, useMutation } from '../../hooks/useApi';
import { useT } from '../../i18n/I18nProvider';
import { safeNext } from '../../lib/navigation';
import { useSession } from '../../session';

/** Sign in with email and password; goes on to `?next=` (an in-app path) afterwards. */
export default function SignInPage() {
  const t = useT();
  const { me, setMe } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const status = useApi(setupStatus, {}, []);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = useMutation(async () => {
    const m = await call(signIn, { body: { email: email.trim(), password } });
    setMe(m);
    navigate(next, { replace: true });
  });

  if (status.data?.needsSetup) return <Navigate to="/setup" replace />;
  if (me && !submit.busy) return <Navigate to={next} replace />;
  if (me === undefined || (status.loading && !status.data)) return <FullPageSpinner />;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit.run();
  };
  const withNext = (path: string) => (params.get('next') ? `${path}?next=${encodeURIComponent(next)}` : path);

  return (
    <AuthLayout
      title={t('auth.signInTitle')}
      lead={t('auth.signInLead')}
      footer={
        <p>
          {t('auth.noAccount')} <Link to={withNext('/sign-up')}>{t('auth.signUpLink')}</Link>
        </p>
      }
    >
      <form className="form" onSubmit={onSubmit}>
        <ErrorMessage error={submit.error} />
        <Field label={t('auth.email')}>
          <TextInput type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
        </Field>
        <div className="field">
          <div className="row-between">
            <label className="field-label" htmlFor="sign-in-password">
              {t('auth.password')}
            </label>
            <Link to="/forgot-password" className="small">
              {t('auth.forgotLink')}
            </Link>
          </div>
          <TextInput id="sign-in-password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </div>
        <Button type="submit" variant="primary" className="btn-block" busy={submit.busy}>
          {t('auth.signInSubmit')}
        </Button>
      </form>
    </AuthLayout>
  );
}
