import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { createOrg, type DataRegionName } from '@podium/protocol';
import { call } from '../../api/client';
import { Button, Card, ErrorMessage, Field, LinkButton, PageHeader, TextInput } from '../../components/ui';
import { useDocumentTitle } from '../../hooks/useOrg';
import { useMutation } from '../../hooks/useApi';
import { useT } from '../../i18n/I18nProvider';
import { useSession } from '../../session';
import { RegionField } from '../auth/SetupPage';

/** Creates an organization; its creator becomes the owner. */
export default function NewOrgPage() {
  const t = useT();
  const { me, refresh } = useSession();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [dataRegion, setDataRegion] = useState<DataRegionName>('eu-central');
  useDocumentTitle(t('org.newTitle'));
  const create = useMutation(async () => {
    const org = await call(createOrg, { body: { name: name.trim(), dataRegion } });
    await refresh();
    navigate(`/o/${org.id}`);
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void create.run();
  };
  const first = (me?.memberships.length ?? 0) === 0;
  return (
    <>
      <PageHeader title={t('org.newTitle')} subtitle={first ? t('org.newSubtitleFirst') : t('org.newSubtitle')} />
      <Card>
        <form className="form" onSubmit={onSubmit} style={{ maxWidth: 520 }}>
          <ErrorMessage error={create.error} />
          <Field label={t('org.name')} hint={t('org.nameHint')} required>
            <TextInput autoComplete="organization" required maxLength={120} value={name} onChange={(e) => setName(e.target.value)} autoFocus />
          </Field>
          <RegionField value={dataRegion} onChange={setDataRegion} />
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={create.busy}>
              {t('org.create')}
            </Button>
            {!first && <LinkButton to="/" variant="ghost">{t('common.cancel')}</LinkButton>}
          </div>
        </form>
      </Card>
    </>
  );
}
