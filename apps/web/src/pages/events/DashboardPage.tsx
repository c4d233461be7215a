import { useParams } from 'react-router-dom';
import { listEvents, type OrgId } from '@podium/protocol';
import { Card, EmptyState, ErrorMessage, LinkButton, PageHeader, Pager, Spinner, Button } from '../../components/ui';
import { useApi } from '../../hooks/useApi';
import { useT } from '../../i18n/I18nProvider';
import { EventRow } from '../../components/events/EventRow';
import { useCursorPager } from '../../components/events/usePagedList';
import { useOrgMembership } from '../../components/events/useOrgRole';
import '../../components/events/events.css';

const PAGE_SIZE = 10;

/** One list of the dashboard (upcoming or past events) with its own pagination. */
function useEventList(orgId: string, when: 'upcoming' | 'past') {
  const pager = useCursorPager();
  const state = useApi(
    listEvents,
    { params: { orgId: orgId as OrgId }, query: { when, limit: PAGE_SIZE, cursor: pager.cursor } },
    [orgId, when, pager.cursor],
  );
  return { ...state, pager };
}

type EventList = ReturnType<typeof useEventList>;

function EventSection({ title, list, emptyText }: { title: string; list: EventList; emptyText: string }) {
  const t = useT();
  const items = list.data?.items ?? [];
  return (
    <Card title={title}>
      {list.error ? (
        <div className="stack-sm">
          <ErrorMessage error={list.error} />
          <Button type="button" onClick={list.reload}>{t('common.retry')}</Button>
        </div>
      ) : list.loading && !list.data ? (
        <div className="ev-loading"><Spinner /></div>
      ) : items.length === 0 ? (
        <p className="muted ev-section-empty">{emptyText}</p>
      ) : (
        <>
          <ul className={`ev-list${list.loading ? ' is-stale' : ''}`} aria-busy={list.loading || undefined}>
            {items.map((e) => <EventRow key={e.id} event={e} />)}
          </ul>
          <Pager
            hasPrevious={list.pager.hasPrevious}
            hasNext={!!list.data?.nextCursor}
            onPrevious={list.pager.previous}
            onNext={() => list.pager.next(list.data?.nextCursor)}
          />
        </>
      )}
    </Card>
  );
}

/** The organization's home: upcoming events (soonest first) and past events (latest first). */
export default function DashboardPage() {
  const t = useT();
  const { orgId = '' } = useParams();
  const { membership } = useOrgMembership(orgId);
  const upcoming = useEventList(orgId, 'upcoming');
  const past = useEventList(orgId, 'past');
  const newEvent = (
    <LinkButton to={`/o/${orgId}/events/new`} variant="primary">
      <span aria-hidden="true">+</span> {t('events.newEvent')}
    </LinkButton>
  );
  const nothingYet =
    !upcoming.error && !past.error && upcoming.data && past.data &&
    upcoming.data.items.length === 0 && past.data.items.length === 0 &&
    !upcoming.pager.hasPrevious && !past.pager.hasPrevious;

  return (
    <div className="ev-page">
      <PageHeader title={t('events.dashboard.title')} subtitle={membership?.orgName} actions={newEvent} />
      {nothingYet ? (
        <Card>
          <EmptyState
            title={t('events.dashboard.emptyTitle')}
            description={t('events.dashboard.emptyText')}
            action={<LinkButton to={`/o/${orgId}/events/new`} variant="primary">{t('events.dashboard.createFirst')}</LinkButton>}
          />
        </Card>
      ) : (
        <>
          <EventSection title={t('events.dashboard.upcoming')} list={upcoming} emptyText={t('events.dashboard.noUpcoming')} />
          <EventSection title={t('events.dashboard.past')} list={past} emptyText={t('events.dashboard.noPast')} />
        </>
      )}
    </div>
  );
}
