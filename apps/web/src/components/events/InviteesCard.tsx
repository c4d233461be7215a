import { useState, type FormEvent } from 'react';
import { addInvitees, listInvitees, type Event } from '@podium/protocol';
import { call } from '../../api/client';
import { Alert, Badge, Button, Card, EmptyState, ErrorMessage, Field, Pager, Spinner, TextArea } from '../ui';
import { useApi, useMutation } from '../../hooks/useApi';
import { useI18n } from '../../i18n/I18nProvider';
import { formatDateTime } from '../../i18n/format';
import { splitEmails } from './ChipInput';
import { looksLikeEmail } from './eventDraft';
import { useCursorPager } from './usePagedList';

/** Who may register for an invitation-only event: add emails (each gets an invitation email) and see who registered. */
export function InviteesCard({ event, editable }: { event: Event; editable: boolean }) {
  const { t, locale } = useI18n();
  const pager = useCursorPager();
  const list = useApi(listInvitees, { params: { orgId: event.orgId, eventId: event.id }, query: { limit: 25, cursor: pager.cursor } }, [event.id, pager.cursor]);
  const [text, setText] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [added, setAdded] = useState<number | null>(null);
  const add = useMutation((emails: string[]) => call(addInvitees, { params: { orgId: event.orgId, eventId: event.id }, body: { emails } }));

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setAdded(null);
    const emails = [...new Set(splitEmails(text))];
    const wrong = emails.filter((x) => !looksLikeEmail(x));
    if (emails.length === 0) return setFormError(t('events.invitees.enterEmails'));
    if (wrong.length) return setFormError(t('events.invitees.invalid', { emails: wrong.join(', ') }));
    if (emails.length > 500) return setFormError(t('events.err.tooMany', { max: 500 }));
    setFormError(null);
    const ok = await add.run(emails);
    if (ok) {
      setText('');
      setAdded(emails.length);
      pager.reset();
      list.reload();
    }
  };

  const items = list.data?.items ?? [];
  return (
    <Card title={t('events.invitees.title')}>
      <div className="stack">
        {editable && (
          <form className="form" onSubmit={(e) => void onSubmit(e)} noValidate>
            <Field label={t('events.invitees.add')} hint={t('events.invitees.hint')} error={formError ?? undefined}>
              <TextArea rows={3} value={text} invalid={!!formError} placeholder="ana@example.org, jan@example.org"
                onChange={(e) => { setText(e.target.value); setFormError(null); }} />
            </Field>
            <div className="form-actions">
              <Button type="submit" variant="primary" busy={add.busy}>{t('events.invitees.send')}</Button>
            </div>
            <ErrorMessage error={add.error} />
            {added !== null && <Alert kind="success">{t('events.invitees.added', { count: added })}</Alert>}
          </form>
        )}
        {list.error ? (
          <ErrorMessage error={list.error} />
        ) : list.loading && !list.data ? (
          <div className="ev-loading"><Spinner /></div>
        ) : items.length === 0 ? (
          <EmptyState title={t('events.invitees.emptyTitle')} description={t('events.invitees.emptyText')} />
        ) : (
          <>
            <div className="table-wrap">
              <table className="table table-stack">
                <thead>
                  <tr>
                    <th scope="col">{t('events.invitees.email')}</th>
                    <th scope="col">{t('events.invitees.invitedAt')}</th>
                    <th scope="col">{t('events.invitees.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((i) => (
                    <tr key={i.email}>
                      <td data-label={t('events.invitees.email')} className="cell-main">{i.email}</td>
                      <td data-label={t('events.invitees.invitedAt')}>{formatDateTime(i.invitedAt, locale)}</td>
                      <td data-label={t('events.invitees.status')}>
                        {i.registered
                          ? <Badge tone="success">{t('events.invitees.registered')}</Badge>
                          : <Badge tone="neutral">{t('events.invitees.pending')}</Badge>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager hasPrevious={pager.hasPrevious} hasNext={!!list.data?.nextCursor} onPrevious={pager.previous} onNext={() => pager.next(list.data?.nextCursor)} />
          </>
        )}
      </div>
    </Card>
  );
}
