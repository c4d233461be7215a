import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate } from 'react-router-dom';
import { DATA_REGIONS, setupCreate, setupStatus, type DataRegionName } from '@podium/protocol';
import { call } from '../../api/client';
import { AuthLayout } from '../../components/AuthLayout';
import { NewPasswordField } from '../../components/PasswordInput';
import { Button, ErrorMessage, Field, FullPageSpinner, Select, TextInput } from '../../components/ui';
import { useApi, useMutation } from '../../hooks/useApi';
import { useI18n } from '../../i18n/I18nProvider';
import { useSession } from '../../session';

/** First run: creates the first owner (who administers the instance) and their organization. */
export default function SetupPage() {
  const { t, locale } = useI18n();
  const { setMe } = useSession();
  const navigate = useNavigate();
  const status = useApi(setupStatus, {}, []);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [orgName, setOrgName] = useState('');
  const [dataRegion, setDataRegion] = useState<DataRegionName>('eu-central');
  const submit = useMutation(async () => {
    const me = await call(setupCreate, { body: { name: name.trim(), email: email.trim(), password, orgName: orgName.trim(), dataRegion, locale } });
    setMe(me);
    const first = me.memberships[0];
    navigate(first ? `/o/${first.orgId}` : '/', { replace: true });
  });

  if (status.loading && !status.data) return <FullPageSpinner />;
  if (status.data && !status.data.needsSetup) return <Navigate to="/sign-in" replace />;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit.run();
  };

  return (
    <AuthLayout title={t('auth.setupTitle')} lead={t('auth.setupLead')} wide>
      {status.error ? (
        <div className="stack">
          <ErrorMessage error={status.error} />
          <Button type="button" onClick={status.reload}>
            {t('common.retry')}
          </Button>
        </div>
      ) : (
        <form className="form" onSubmit={onSubmit}>
          <ErrorMessage error={submit.error} />
          <h2 className="form-section-title" style={{ borderTop: 0, paddingTop: 0, marginTop: 0 }}>
            {t('auth.setupYou')}
          </h2>
          <Field label={t('auth.name')} required>
            <TextInput autoComplete="name" required maxLength={120} value={name} onChange={(e) => setName(e.target.value)} autoFocus />
          </Field>
          <Field label={t('auth.email')} required>
            <TextInput type="email" autoComplete="email" required maxLength={254} value={email} onChange={(e) => setEmail(e.target.value)} />
          </Field>
          <NewPasswordField value={password} onChange={setPassword} />
          <h2 className="form-section-title">{t('auth.setupOrg')}</h2>
          <Field label={t('auth.orgName')} hint={t('auth.orgNameHint')} required>
            <TextInput autoComplete="organization" required maxLength={120} value={orgName} onChange={(e) => setOrgName(e.target.value)} />
          </Field>
          <RegionField value={dataRegion} onChange={setDataRegion} />
          <Button type="submit" variant="primary" className="btn-block" busy={submit.busy}>
            {t('auth.setupSubmit')}
          </Button>
        </form>
      )}
    </AuthLayout>
  );
}

/** The data-region choice, with the reminder that it cannot change later. */
export function RegionField({ value, onChange }: { value: DataRegionName; onChange(v: DataRegionName): void }) {
  const { t } = useI18n();
  return (
    <Field label={t('auth.dataRegion')} hint={t('auth.dataRegionHint')} required>
      <Select value={value} onChange={(e) => onChange(e.target.value as DataRegionName)}>
        {(Object.keys(DATA_REGIONS) as DataRegionName[]).map((r) => (
          <option key={r} value={r}>
            {DATA_REGIONS[r].label}
          </option>
        ))}
      </Select>
    </Field>
  );
}
