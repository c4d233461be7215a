import { useEffect, useState, type FormEvent } from 'react';
import { DATA_REGIONS, dataLocation, getOrg, updateOrg } from '@podium/protocol';
import { call } from '../../api/client';
import { Alert, Badge, Button, Card, ErrorMessage, Field, FullPageSpinner, PageHeader, TextInput } from '../../components/ui';
import { useApi, useMutation } from '../../hooks/useApi';
import { useDocumentTitle, useOrg } from '../../hooks/useOrg';
import { useI18n } from '../../i18n/I18nProvider';
import { formatDate } from '../../i18n/format';
import { useSession } from '../../session';
import PrivacyRequestsCard from './PrivacyRequestsCard';

/** Where the organization's data lives (admins): database, the file stores its jurisdiction allows, media. */
function DataLocationList({ orgId }: { orgId: string }) {
  const { t } = useI18n();
  const loc = useApi(dataLocation, { params: { orgId } }, [orgId]);
  if (!loc.data) return loc.error ? <ErrorMessage error={loc.error} /> : null;
  return (
    <div className="stack">
      <h3 style={{ margin: 0 }}>{t('org.location.title')}</h3>
      <dl className="dl">
        <dt>{t('org.location.sql')}</dt>
        <dd>{loc.data.sql.location}</dd>
        <dt>{t('org.location.blobs')}</dt>
        <dd>
          {loc.data.blobStores.length === 0 ? t('org.location.noStore') : loc.data.blobStores.map((s) => (
            <div key={s.id}><span className="mono">{s.id}</span> · {s.region} · {s.jurisdiction.toUpperCase()}{s.encrypted ? ` · ${t('org.location.encrypted')}` : ''}</div>
          ))}
        </dd>
        <dt>{t('org.location.media')}</dt>
        <dd>{loc.data.media.placement}</dd>
      </dl>
    </div>
  );
}

/** Organization settings: the name (admins may change it) and the fixed data region. */
export default function OrgSettingsPage() {
  const { t, locale } = useI18n();
  const { orgId, isAdmin } = useOrg();
  const { refresh } = useSession();
  const org = useApi(getOrg, { params: { orgId } }, [orgId]);
  const [name, setName] = useState('');
  const [saved, setSaved] = useState(false);
  useDocumentTitle(t('org.settingsTitle'));
  useEffect(() => {
    if (org.data) setName(org.data.name);
  }, [org.data]);
  const save = useMutation(async () => {
    await call(updateOrg, { params: { orgId }, body: { name: name.trim() } });
    setSaved(true);
    org.reload();
    await refresh();
  });

  if (org.loading && !org.data) return <FullPageSpinner />;
  if (!org.data) {
    return (
      <>
        <PageHeader title={t('org.settingsTitle')} />
        <div className="stack">
          <ErrorMessage error={org.error} />
          <Button type="button" onClick={org.reload}>
            {t('common.retry')}
          </Button>
        </div>
      </>
    );
  }
  const region = DATA_REGIONS[org.data.dataRegion];
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    void save.run();
  };
  return (
    <>
      <PageHeader title={t('org.settingsTitle')} subtitle={org.data.name} />
      <Card title={t('org.general')}>
        <form className="form" onSubmit={onSubmit} style={{ maxWidth: 520 }}>
          <ErrorMessage error={save.error} />
          {saved && !save.busy && <Alert kind="success">{t('org.saved')}</Alert>}
          {!isAdmin && <Alert kind="info">{t('org.onlyAdmins')}</Alert>}
          <Field label={t('org.name')} hint={t('org.nameHint')} required>
            <TextInput required maxLength={120} value={name} readOnly={!isAdmin} onChange={(e) => setName(e.target.value)} />
          </Field>
          {isAdmin && (
            <div className="form-actions">
              <Button type="submit" variant="primary" busy={save.busy} disabled={name.trim() === org.data.name || name.trim() === ''}>
                {save.busy ? t('common.saving') : t('common.save')}
              </Button>
            </div>
          )}
        </form>
      </Card>
      <Card title={t('org.dataRegion')}>
        <div className="stack">
          <div className="row">
            <strong>{region.label}</strong>
            <Badge tone="neutral">{t(`org.jurisdiction.${region.jurisdiction}`)}</Badge>
          </div>
          <p className="muted" style={{ margin: 0 }}>
            {t('org.dataRegionFixed')}
          </p>
          {isAdmin && <DataLocationList orgId={orgId} />}
        </div>
      </Card>
      {isAdmin && <PrivacyRequestsCard orgId={orgId} />}
      <Card title={t('org.details')}>
        <dl className="dl">
          <dt>{t('org.slug')}</dt>
          <dd className="mono">{org.data.slug}</dd>
          <dt>{t('org.id')}</dt>
          <dd className="mono">{org.data.id}</dd>
          <dt>{t('org.created')}</dt>
          <dd>{formatDate(org.data.createdAt, locale)}</dd>
        </dl>
      </Card>
    </>
  );
}
