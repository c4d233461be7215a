import { useEffect, useState, type FormEvent } from 'react';
import { LOCALES, updateMe, type Locale } from '@podium/protocol';
import { call } from '../../api/client';
import { LANGUAGE_NAMES } from '../../components/LanguageSelect';
import { Alert, Button, Card, ErrorMessage, Field, PageHeader, Select, TextInput } from '../../components/ui';
import { useMutation } from '../../hooks/useApi';
import { useI18n } from '../../i18n/I18nProvider';
import { formatDate } from '../../i18n/format';
import { useSession } from '../../session';

/** Your profile: name and language (the language also picks the language of emails Podium sends you). */
export default function AccountPage() {
  const { t, locale, setLocale } = useI18n();
  const { me, setMe } = useSession();
  const [name, setName] = useState(me?.user.name ?? '');
  const [language, setLanguage] = useState<Locale>(me?.user.locale ?? locale);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    document.title = `${t('auth.accountTitle')} · Podium`;
  }, [t]);
  const save = useMutation(async () => {
    const m = await call(updateMe, { body: { name: name.trim(), locale: language } });
    setMe(m);
    if (m.user.locale) setLocale(m.user.locale);
    setSaved(true);
  });
  if (!me) return null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    void save.run();
  };
  return (
    <>
      <PageHeader title={t('auth.accountTitle')} subtitle={t('auth.accountSubtitle')} />
      <Card title={t('auth.profile')}>
        <form className="form" onSubmit={onSubmit} style={{ maxWidth: 480 }}>
          <ErrorMessage error={save.error} />
          {saved && !save.busy && <Alert kind="success">{t('auth.accountSaved')}</Alert>}
          <Field label={t('auth.email')} hint={t('auth.emailFixedHint')}>
            <TextInput type="email" value={me.user.email} readOnly />
          </Field>
          <Field label={t('auth.name')} required>
            <TextInput autoComplete="name" required maxLength={120} value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field label={t('common.language')} hint={t('auth.languageHint')}>
            <Select value={language} onChange={(e) => setLanguage(e.target.value as Locale)}>
              {LOCALES.map((l) => (
                <option key={l} value={l} lang={l}>
                  {LANGUAGE_NAMES[l]}
                </option>
              ))}
            </Select>
          </Field>
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={save.busy}>
              {save.busy ? t('common.saving') : t('common.save')}
            </Button>
          </div>
        </form>
      </Card>
      <Card title={t('auth.about')}>
        <dl className="dl">
          <dt>{t('auth.memberSince')}</dt>
          <dd>{formatDate(me.user.createdAt, locale)}</dd>
          <dt>{t('auth.organizations')}</dt>
          <dd>{me.memberships.length === 0 ? '—' : me.memberships.map((m) => `${m.orgName} (${t(`shell.role.${m.role}`)})`).join(', ')}</dd>
          {me.user.isInstanceAdmin && (
            <>
              <dt>{t('auth.instanceAdmin')}</dt>
              <dd>{t('auth.instanceAdminYes')}</dd>
            </>
          )}
        </dl>
      </Card>
    </>
  );
}
