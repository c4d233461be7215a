import { Link, useParams, useSearchParams } from 'react-router-dom';
import { listAllOutbox, listOrgOutbox, type OutboxMessage } from '@podium/protocol';
import { Badge, Button, Card, EmptyState, ErrorMessage, PageHeader, Pager, Spinner } from '../../components/ui';
import { useApi } from '../../hooks/useApi';
import { useCursorPager } from '../../hooks/useCursorPager';
import { useDocumentTitle } from '../../hooks/useOrg';
import { useI18n } from '../../i18n/I18nProvider';
import { shortDateTime } from '../../lib/dates';
import { useSession } from '../../session';
import { MAIL_TONE, OutboxMessageView } from './OutboxMessageView';

/**
 * Sent email, newest first: an organization's (`/o/:orgId/outbox`, admins) or the whole
 * installation's (`/admin/outbox`, instance admins). `?mail=<id>` opens one message.
 */
export default function OutboxPage() {
  const { t } = useI18n();
  const { orgId } = useParams();
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const mailId = params.get('mail');
  const pager = useCursorPager();
  const scope = orgId ? 'org' : 'all';
  const title = scope === 'org' ? t('outbox.orgTitle') : t('outbox.allTitle');
  useDocumentTitle(title);
  const subtitle =
    scope === 'org' ? t('outbox.orgSubtitle', { org: me?.memberships.find((m) => m.orgId === orgId)?.orgName ?? '' }) : t('outbox.allSubtitle');

  return (
    <>
      <PageHeader title={title} subtitle={subtitle} />
      {mailId ? (
        <OutboxMessageView orgId={orgId} mailId={mailId} onBack={() => setParams({})} />
      ) : (
        <OutboxList orgId={orgId} cursor={pager.cursor} pager={pager} />
      )}
    </>
  );
}

function OutboxList({ orgId, cursor, pager }: { orgId: string | undefined; cursor: string | undefined; pager: ReturnType<typeof useCursorPager> }) {
  const { t, locale } = useI18n();
  const org = useApi(listOrgOutbox, orgId ? { params: { orgId }, query: { cursor } } : null, [orgId, cursor]);
  const all = useApi(listAllOutbox, orgId ? null : { query: { cursor } }, [orgId, cursor]);
  const list = orgId ? org : all;
  const data = list.data;
  return (
    <Card
      title={t('outbox.messages')}
      actions={
        <Button type="button" variant="ghost" className="btn-sm" busy={list.loading && Boolean(data)} onClick={list.reload}>
          {t('outbox.refresh')}
        </Button>
      }
    >
      <div className="stack">
        {list.loading && !data ? (
          <div className="full-page-spinner" style={{ minHeight: 160 }}>
            <Spinner />
          </div>
        ) : list.error && !data ? (
          <div className="stack">
            <ErrorMessage error={list.error} />
            <Button type="button" onClick={list.reload}>
              {t('common.retry')}
            </Button>
          </div>
        ) : data && data.items.length === 0 ? (
          <EmptyState title={t('outbox.empty')} description={t('outbox.emptyHint')} />
        ) : (
          data && (
            <div className="table-wrap table-bleed">
              <table className="table table-stack">
                <thead>
                  <tr>
                    <th scope="col">{t('outbox.status')}</th>
                    <th scope="col">{t('outbox.to')}</th>
                    <th scope="col">{t('outbox.subject')}</th>
                    <th scope="col">{t('outbox.date')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.items.map((m: OutboxMessage) => (
                    <tr key={m.id}>
                      <td data-label={t('outbox.status')}>
                        <Badge tone={MAIL_TONE[m.status]}>{t(`outbox.state.${m.status}`)}</Badge>
                      </td>
                      <td data-label={t('outbox.to')} style={{ overflowWrap: 'anywhere' }}>
                        {m.to}
                      </td>
                      <td data-label={t('outbox.subject')} style={{ overflowWrap: 'anywhere' }}>
                        <Link to={`?mail=${encodeURIComponent(m.id)}`} className="cell-main">
                          {m.subject || t('outbox.noSubject')}
                        </Link>
                        {m.attachments.length > 0 && <span className="muted small"> · {t('outbox.attachmentCount', { n: m.attachments.length })}</span>}
                      </td>
                      <td data-label={t('outbox.date')} className="nowrap">
                        {shortDateTime(m.createdAt, locale)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        )}
        {data && <Pager hasPrevious={pager.hasPrevious} hasNext={Boolean(data.nextCursor)} onPrevious={pager.previous} onNext={() => data.nextCursor && pager.next(data.nextCursor)} />}
      </div>
    </Card>
  );
}
