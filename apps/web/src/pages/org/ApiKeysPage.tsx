import { useRef, useState, type FormEvent } from 'react';
import { createApiKey, listApiKeys, revokeApiKey, type ApiKey, type CreatedApiKey } from '@podium/protocol';
import { call } from '../../api/client';
import { Alert, Badge, Button, Card, ConfirmButton, CopyField, EmptyState, ErrorMessage, ListStates, Field, PageHeader, Pager, TextInput } from '../../components/ui';
import { useApi, useMutation } from '../../hooks/useApi';
import { useCursorPager } from '../../hooks/useCursorPager';
import { useDocumentTitle, useOrg } from '../../hooks/useOrg';
import { useI18n } from '../../i18n/I18nProvider';
import { formatDate } from '../../i18n/format';
import { shortDateTime } from '../../lib/dates';

type KeyState = 'active' | 'revoked' | 'expired';

/** Revoked wins over expired: it is the deliberate act. */
function keyState(k: ApiKey, now: number): KeyState {
  if (k.revokedAt) return 'revoked';
  if (k.expiresAt && Date.parse(k.expiresAt) <= now) return 'expired';
  return 'active';
}

/** The prefix as the secret begins (the server stores it without the `pdm_` marker every secret starts with). */
function displayPrefix(prefix: string): string {
  return prefix.startsWith('pdm_') ? prefix : `pdm_${prefix}`;
}

const KEY_TONE = { active: 'success', revoked: 'danger', expired: 'neutral' } as const;

/** API keys of the organization: create (the secret is shown once), list, revoke. */
export default function ApiKeysPage() {
  const { t, locale } = useI18n();
  const { orgId } = useOrg();
  useDocumentTitle(t('apiKeys.title'));
  const pager = useCursorPager();
  const keys = useApi(listApiKeys, { params: { orgId }, query: { cursor: pager.cursor } }, [orgId, pager.cursor]);
  const [name, setName] = useState('');
  const [days, setDays] = useState('');
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const secretRef = useRef<HTMLDivElement>(null);
  const create = useMutation(async () => {
    const expiresInDays = days.trim() === '' ? undefined : Number(days);
    const result = await call(createApiKey, { params: { orgId }, body: { name: name.trim(), expiresInDays } });
    setCreated(result);
    setName('');
    setDays('');
    pager.reset();
    keys.reload();
    requestAnimationFrame(() => secretRef.current?.focus());
  });
  const [revokeError, setRevokeError] = useState<unknown>(null);
  const revoke = async (id: string) => {
    setRevokeError(null);
    try {
      await call(revokeApiKey, { params: { orgId, apiKeyId: id } });
      keys.reload();
    } catch (err) {
      setRevokeError(err);
    }
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void create.run();
  };
  const now = Date.now();
  const dt = (iso: string | null) => (iso ? shortDateTime(iso, locale) : '—');
  const day = (iso: string) => formatDate(iso, locale);

  return (
    <>
      <PageHeader title={t('apiKeys.title')} subtitle={t('apiKeys.subtitle')} />
      {created && (
        <div className="secret-box" ref={secretRef} tabIndex={-1} style={{ marginBottom: 16 }}>
          <Alert kind="warning">
            <strong>{t('apiKeys.secretOnceTitle', { name: created.apiKey.name })}</strong>
            <div>{t('apiKeys.secretOnce')}</div>
          </Alert>
          <CopyField value={created.secret} label={t('apiKeys.secret')} />
          <p className="field-hint" style={{ margin: 0 }}>
            {t('apiKeys.usage')} <code>Authorization: Bearer {displayPrefix(created.apiKey.prefix)}…</code>
          </p>
          <div>
            <Button type="button" variant="secondary" onClick={() => setCreated(null)}>
              {t('apiKeys.secretDone')}
            </Button>
          </div>
        </div>
      )}
      <Card title={t('apiKeys.createCard')}>
        <form className="form" onSubmit={onSubmit}>
          <ErrorMessage error={create.error} />
          <div className="invite-row">
            <Field label={t('apiKeys.name')} hint={t('apiKeys.nameHint')} required>
              <TextInput required maxLength={80} autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} />
            </Field>
            <Field label={t('apiKeys.expiresInDays')} hint={t('apiKeys.expiresHint')}>
              <TextInput type="number" inputMode="numeric" min={1} max={3650} step={1} value={days} onChange={(e) => setDays(e.target.value)} />
            </Field>
            <Button type="submit" variant="primary" busy={create.busy} className="align-with-inputs">
              {t('apiKeys.create')}
            </Button>
          </div>
        </form>
      </Card>
      <Card title={t('apiKeys.listCard')}>
        <div className="stack">
          <ErrorMessage error={revokeError} />
          <ListStates source={keys} empty={<EmptyState title={t('apiKeys.empty')} description={t('apiKeys.emptyHint')} />}>
            {(data) => (
              <div className="table-wrap table-bleed">
                <table className="table table-stack">
                  <thead>
                    <tr>
                      <th scope="col">{t('apiKeys.name')}</th>
                      <th scope="col">{t('apiKeys.prefix')}</th>
                      <th scope="col">{t('apiKeys.status')}</th>
                      <th scope="col">{t('apiKeys.created')}</th>
                      <th scope="col">{t('apiKeys.lastUsed')}</th>
                      <th scope="col">{t('apiKeys.expires')}</th>
                      <th scope="col" className="actions">
                        <span className="sr-only">{t('apiKeys.actions')}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.items.map((k) => {
                      const state = keyState(k, now);
                      return (
                        <tr key={k.id}>
                          <td data-label={t('apiKeys.name')} className="cell-main" style={{ overflowWrap: 'anywhere', minWidth: 120 }}>
                            {k.name}
                          </td>
                          <td data-label={t('apiKeys.prefix')}>
                            <code>{displayPrefix(k.prefix)}…</code>
                          </td>
                          <td data-label={t('apiKeys.status')}>
                            <span>
                              <Badge tone={KEY_TONE[state]}>{t(`apiKeys.state.${state}`)}</Badge>
                              {state === 'revoked' && k.revokedAt && <span className="cell-sub nowrap"> {day(k.revokedAt)}</span>}
                            </span>
                          </td>
                          <td data-label={t('apiKeys.created')} className="nowrap" title={dt(k.createdAt)}>
                            {day(k.createdAt)}
                          </td>
                          <td data-label={t('apiKeys.lastUsed')} className="nowrap">
                            {k.lastUsedAt ? dt(k.lastUsedAt) : <span className="muted">{t('apiKeys.never')}</span>}
                          </td>
                          <td data-label={t('apiKeys.expires')} className="nowrap">
                            {k.expiresAt ? <span title={dt(k.expiresAt)}>{day(k.expiresAt)}</span> : <span className="muted">{t('apiKeys.noExpiry')}</span>}
                          </td>
                          <td className="actions">
                            {state === 'active' && (
                              <ConfirmButton confirmText={t('apiKeys.revokeConfirm')} onConfirm={() => revoke(k.id)}>
                                {t('apiKeys.revoke')}
                              </ConfirmButton>
                            )}
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </ListStates>
          {keys.data && (
            <Pager hasPrevious={pager.hasPrevious} hasNext={Boolean(keys.data.nextCursor)} onPrevious={pager.previous} onNext={() => keys.data?.nextCursor && pager.next(keys.data.nextCursor)} />
          )}
        </div>
      </Card>
    </>
  );
}
