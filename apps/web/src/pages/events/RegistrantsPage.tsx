import { Link, useParams } from 'react-router-dom';
import {
  exportRegistrations, getEvent, listRegistrations, removeRegistration,
  type Event, type EventId, type OrgId, type Registration,
} from '@podium/protocol';
import { call, routeUrl } from '../../api/client';
import { Badge, Button, Card, ConfirmButton, EmptyState, ErrorMessage, FullPageSpinner, PageHeader, Pager, Spinner } from '../../components/ui';
import { useApi } from '../../hooks/useApi';
import { useI18n, type Translate } from '../../i18n/I18nProvider';
import { formatDateTime } from '../../i18n/format';
import { useCursorPager } from '../../components/events/usePagedList';
import '../../components/events/events.css';

const PAGE_SIZE = 50;

/** Custom-field columns: the event's current fields, then keys only older registrations answered. */
function fieldColumns(event: Event, rows: Registration[]): { key: string; label: string }[] {
  const cols = event.registrationFields.map((f) => ({ key: f.key, label: f.label }));
  const known = new Set(cols.map((c) => c.key));
  for (const r of rows) {
    for (const k of Object.keys(r.fields)) {
      if (!known.has(k)) {
        known.add(k);
        cols.push({ key: k, label: k });
      }
    }
  }
  return cols;
}

function fieldValue(v: string | boolean | undefined, t: Translate): string {
  if (v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? t('events.registrants.yes') : t('events.registrants.no');
  return v;
}

/** Who registered for an event: a table with custom answers, CSV export and removal. */
export default function RegistrantsPage() {
  const { orgId = '', eventId = '' } = useParams();
  const { t, locale } = useI18n();
  const params = { orgId: orgId as OrgId, eventId: eventId as EventId };
  const eventState = useApi(getEvent, { params }, [orgId, eventId]);
  const pager = useCursorPager();
  const list = useApi(listRegistrations, { params, query: { limit: PAGE_SIZE, cursor: pager.cursor } }, [orgId, eventId, pager.cursor]);

  if (eventState.error) {
    return (
      <div className="ev-page">
        <p className="ev-crumb"><Link to={`/o/${orgId}`}>← {t('events.detail.backToEvents')}</Link></p>
        <ErrorMessage error={eventState.error} />
      </div>
    );
  }
  const event = eventState.data;
  if (!event) return <FullPageSpinner />;

  const rows = list.data?.items ?? [];
  const shortDateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const cols = fieldColumns(event, rows);
  const csvUrl = routeUrl(exportRegistrations, params);
  const remove = async (r: Registration) => {
    await call(removeRegistration, { params: { ...params, registrationId: r.id } });
    // The count on the page comes from the event, so both are reloaded from the server.
    list.reload();
    eventState.reload();
  };

  return (
    <div className="ev-page">
      <p className="ev-crumb"><Link to={`/o/${orgId}/events/${eventId}`}>← {event.title}</Link></p>
      <PageHeader
        title={t('events.registrants.title')}
        subtitle={
          event.capacity === null
            ? t('events.registrants.count', { count: event.registeredCount })
            : t('events.registrants.countOf', { count: event.registeredCount, capacity: event.capacity })
        }
        actions={
          <a className="btn btn-secondary" href={csvUrl} download>
            <span aria-hidden="true">⤓</span> {t('events.registrants.export')}
          </a>
        }
      />
      <Card>
        {list.error ? (
          <div className="stack-sm">
            <ErrorMessage error={list.error} />
            <Button type="button" onClick={list.reload}>{t('common.retry')}</Button>
          </div>
        ) : list.loading && !list.data ? (
          <div className="ev-loading"><Spinner /></div>
        ) : rows.length === 0 && !pager.hasPrevious ? (
          <EmptyState
            title={t('events.registrants.emptyTitle')}
            description={t('events.registrants.emptyText')}
            action={<Link to={`/o/${orgId}/events/${eventId}`}>{t('events.registrants.shareLink')}</Link>}
          />
        ) : (
          <div className="table-wrap">
            <table className={`table table-stack ev-reg-table${list.loading ? ' is-stale' : ''}`}>
              <caption className="sr-only">{t('events.registrants.caption', { title: event.title })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('events.registrants.name')}</th>
                  <th scope="col">{t('events.registrants.email')}</th>
                  <th scope="col">{t('events.registrants.registeredAt')}</th>
                  <th scope="col">{t('events.registrants.consent')}</th>
                  {cols.map((c) => <th scope="col" key={c.key}><div className="ev-answer-head">{c.label}</div></th>)}
                  <th scope="col" className="actions"><span className="sr-only">{t('events.registrants.actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.id}>
                    <td data-label={t('events.registrants.name')} className="cell-main">
                      <span>
                        {r.name}
                        {r.role !== 'attendee' && <> <Badge tone="info">{t(`events.role.${r.role}`)}</Badge></>}
                      </span>
                    </td>
                    <td data-label={t('events.registrants.email')}>{r.email}</td>
                    <td data-label={t('events.registrants.registeredAt')} className="nowrap">{shortDateTime.format(new Date(r.createdAt))}</td>
                    <td data-label={t('events.registrants.consent')}>
                      <span title={formatDateTime(r.consentAt, locale)}>
                        v{r.consentVersion}
                        {r.consentVersion < event.consentVersion && <span className="muted small"> · {t('events.registrants.olderConsent')}</span>}
                      </span>
                    </td>
                    {cols.map((c) => (
                      <td key={c.key} data-label={c.label}><div className="ev-answer">{fieldValue(r.fields[c.key], t)}</div></td>
                    ))}
                    <td className="actions" data-label="">
                      <ConfirmButton confirmText={t('events.registrants.removeConfirm')} onConfirm={() => remove(r)}>
                        {t('events.registrants.remove')}<span className="sr-only"> {r.name}</span>
                      </ConfirmButton>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <Pager hasPrevious={pager.hasPrevious} hasNext={!!list.data?.nextCursor} onPrevious={pager.previous} onNext={() => pager.next(list.data?.nextCursor)} />
    </div>
  );
}
