import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { setupStatus, signUp } from '@podium/protocol';
import { call } from '../../api/client';
import { AuthLayout } from '../../components/AuthLayout';
import { NewPasswordField } from '../../components/PasswordInput';
import { Button, ErrorMessage, Field, TextInput } from '../../components/ui';
import { useApi, useMutation } from '../../hooks/useApi';
import { useI18n } from '../../i18n/I18nProvider';
import { safeNext } from '../../lib/navigation';
import { useSession } from '../../session';

/** Create an account; people without an organization continue to create one. */
export default function SignUpPage() {
  const { t, locale } = useI18n();
  const { me, setMe } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = params.get('next') ? safeNext(params.get('next')) : null;
  const status = useApi(setupStatus, {}, []);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = useMutation(async () => {
    const m = await call(signUp, { body: { name: name.trim(), email: email.trim(), password, locale } });
    setMe(m);
    navigate(next ?? (m.memberships.length === 0 ? '/orgs/new' : '/'), { replace: true });
  });

  if (status.data?.needsSetup) return <Navigate to="/setup" replace />;
  if (me && !submit.busy) return <Navigate to={next ?? '/'} replace />;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit.run();
  };

  return (
    <AuthLayout
      title={t('auth.signUpTitle')}
      lead={t('auth.signUpLead')}
      footer={
        <p>
          {t('auth.haveAccount')} <Link to={next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in'}>{t('auth.signInLink')}</Link>
        </p>
      }
    >
      <form className="form" onSubmit={onSubmit}>
        <ErrorMessage error={submit.error} />
        <Field label={t('auth.name')} required>
          <TextInput autoComplete="name" required maxLength={120} value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        </Field>
        <Field label={t('auth.email')} required>
          <TextInput type="email" autoComplete="email" required maxLength={254} value={email} onChange={(e) => setEmail(e.target.value)} />
        </Field>
        <NewPasswordField value={password} onChange={setPassword} />
        <Button type="submit" variant="primary" className="btn-block" busy={submit.busy}>
          {t('auth.signUpSubmit')}
        </Button>
      </form>
    </AuthLayout>
  );
}
