import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { acceptInvitation, previewInvitation, signOut, type Me } from '@podium/protocol';
import { call } from '../../api/client';
import { AuthLayout } from '../../components/AuthLayout';
import { NewPasswordField } from '../../components/PasswordInput';
import { Alert, Button, ErrorMessage, Field, FullPageSpinner, TextInput } from '../../components/ui';
import { useApi, useMutation } from '../../hooks/useApi';
import { useI18n } from '../../i18n/I18nProvider';
import { useSession } from '../../session';

/** The organization joined by accepting: the membership that is new, else the one with the invitation's name. */
function joinedOrgId(before: Me | null | undefined, after: Me, orgName: string): string | undefined {
  const known = new Set(before?.memberships.map((m) => m.orgId) ?? []);
  return (after.memberships.find((m) => !known.has(m.orgId)) ?? after.memberships.find((m) => m.orgName === orgName))?.orgId;
}

/** An invitation link (`/invite?token=`): shows what it offers and lets the invited person accept it. */
export default function InvitePage() {
  const { t, locale } = useI18n();
  const { me, setMe } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const valid = token.length >= 10;
  const preview = useApi(previewInvitation, valid ? { query: { token } } : null, [token]);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const accept = useMutation(async (withAccount: boolean) => {
    const body = withAccount ? { token, name: name.trim(), password, locale } : { token };
    const after = await call(acceptInvitation, { body });
    const orgId = joinedOrgId(me, after, preview.data?.orgName ?? '');
    setMe(after);
    navigate(orgId ? `/o/${orgId}` : '/', { replace: true });
  });
  const leave = useMutation(async () => {
    await call(signOut);
    setMe(null);
  });

  const title = t('auth.inviteTitle');
  if (!valid) {
    return (
      <AuthLayout title={title}>
        <Alert kind="error">{t('errors.TOKEN_INVALID')}</Alert>
      </AuthLayout>
    );
  }
  if (me === undefined || (preview.loading && !preview.data)) return <FullPageSpinner />;
  if (preview.error || !preview.data) {
    return (
      <AuthLayout title={title} footer={<Link to="/">{t('auth.goHome')}</Link>}>
        <ErrorMessage error={preview.error} />
      </AuthLayout>
    );
  }

  const inv = preview.data;
  const role = t(`shell.role.${inv.role}`);
  const lead = t('auth.inviteLead', { org: inv.orgName, role });
  const here = `/invite?token=${encodeURIComponent(token)}`;
  const signedInAsInvited = me && me.user.email.toLowerCase() === inv.email.toLowerCase();

  if (signedInAsInvited) {
    return (
      <AuthLayout title={title} lead={lead}>
        <div className="stack">
          <ErrorMessage error={accept.error} />
          <p className="muted">{t('auth.inviteSignedInAs', { email: me.user.email })}</p>
          <Button type="button" variant="primary" className="btn-block" busy={accept.busy} onClick={() => void accept.run(false)} autoFocus>
            {t('auth.inviteAccept', { org: inv.orgName })}
          </Button>
        </div>
      </AuthLayout>
    );
  }
  if (me) {
    return (
      <AuthLayout title={title} lead={lead}>
        <div className="stack">
          <Alert kind="warning">{t('auth.inviteWrongAccount', { invited: inv.email, current: me.user.email })}</Alert>
          <ErrorMessage error={leave.error} />
          <Button type="button" variant="primary" className="btn-block" busy={leave.busy} onClick={() => void leave.run()}>
            {t('auth.inviteSignOutFirst')}
          </Button>
        </div>
      </AuthLayout>
    );
  }
  if (inv.accountExists) {
    return (
      <AuthLayout title={title} lead={lead}>
        <div className="stack">
          <p>{t('auth.inviteHasAccount', { email: inv.email })}</p>
          <Link to={`/sign-in?next=${encodeURIComponent(here)}`} className="btn btn-primary btn-block">
            {t('auth.inviteSignInToAccept')}
          </Link>
        </div>
      </AuthLayout>
    );
  }
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void accept.run(true);
  };
  return (
    <AuthLayout title={title} lead={lead}>
      <form className="form" onSubmit={onSubmit}>
        <ErrorMessage error={accept.error} />
        <Field label={t('auth.email')} hint={t('auth.inviteEmailFixed')}>
          <TextInput type="email" value={inv.email} readOnly />
        </Field>
        <Field label={t('auth.name')} required>
          <TextInput autoComplete="name" required maxLength={120} value={name} onChange={(e) => setName(e.target.value)} autoFocus />
        </Field>
        <NewPasswordField value={password} onChange={setPassword} />
        <Button type="submit" variant="primary" className="btn-block" busy={accept.busy}>
          {t('auth.inviteCreateAndJoin')}
        </Button>
      </form>
    </AuthLayout>
  );
}
