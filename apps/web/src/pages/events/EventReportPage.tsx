import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import {
  exportAttendanceReport, getAttendanceReport, getEvent, type AttendanceRow, type AuditEntry, type EventId, type OrgId,
} from '@podium/protocol';
import { routeUrl } from '../../api/client';
import { Button, Card, EmptyState, ErrorMessage, FullPageSpinner, PageHeader } from '../../components/ui';
import { useApi } from '../../hooks/useApi';
import { useI18n } from '../../i18n/I18nProvider';
import { EventStatusBadge } from '../../components/events/EventBadges';
import { PollResultBars } from '../../room/PollResultBars';
import '../../components/events/events.css';
import '../../room/room.css';
import './report.css';

type SortKey = 'name' | 'minutes' | 'chatMessages' | 'questions' | 'pollAnswers' | 'firstJoinedAt';

function Summary({ label, value, hint }: { label: string; value: string | number; hint?: string }) {
  return (
    <div className="card ev-stat rp-stat">
      <div className="ev-stat-label">{label}</div>
      <div className="ev-stat-value">{value}</div>
      {hint && <div className="ev-stat-extra"><span className="muted">{hint}</span></div>}
    </div>
  );
}

/** The attendance and engagement report of an event: summary, people, poll results, audit trail, CSV. */
export default function EventReportPage() {
  const { orgId = '', eventId = '' } = useParams();
  const { t, locale } = useI18n();
  const params = { orgId: orgId as OrgId, eventId: eventId as EventId };
  const event = useApi(getEvent, { params }, [orgId, eventId]);
  const report = useApi(getAttendanceReport, { params }, [orgId, eventId]);
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'minutes', desc: true });

  const dt = useMemo(() => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }), [locale]);
  const time = useMemo(() => new Intl.DateTimeFormat(locale, { timeStyle: 'medium' }), [locale]);
  const num = useMemo(() => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }), [locale]);

  const rows = useMemo(() => {
    const list = [...(report.data?.people ?? [])];
    const k = sort.key;
    list.sort((a: AttendanceRow, b: AttendanceRow) => {
      const va = a[k];
      const vb = b[k];
      const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb), locale);
      return sort.desc ? -c : c;
    });
    return list;
  }, [report.data, sort, locale]);

  const back = <p className="ev-crumb"><Link to={`/o/${orgId}/events/${eventId}`}>← {event.data?.title ?? t('report.backToEvent')}</Link></p>;
  if (report.error) {
    return (
      <div className="ev-page">
        {back}
        <ErrorMessage error={report.error} />
        <Button type="button" onClick={report.reload}>{t('common.retry')}</Button>
      </div>
    );
  }
  const r = report.data;
  if (!r) return <FullPageSpinner />;
  const s = r.summary;
  const csvUrl = routeUrl(exportAttendanceReport, params);

  const header = (key: SortKey, label: string, numeric = false) => (
    <th scope="col" className={numeric ? 'rp-num' : undefined} aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="rp-sort" onClick={() => setSort((x) => ({ key, desc: x.key === key ? !x.desc : numeric }))}>
        {label}{sort.key === key && <span aria-hidden="true">{sort.desc ? ' ↓' : ' ↑'}</span>}
      </button>
    </th>
  );
  const auditText = (a: AuditEntry) => {
    const key = `report.audit.${a.action}`;
    const text = t(key, { actor: a.actor ?? t('report.system'), target: a.target ?? '' });
    return text === key ? `${a.action}${a.target ? ` · ${a.target}` : ''}` : text;
  };

  return (
    <div className="ev-page rp-page">
      {back}
      <PageHeader
        title={t('report.title')}
        subtitle={
          <span className="ev-header-meta">
            <span>{r.title}</span>
            {event.data && <EventStatusBadge status={event.data.status} />}
            {r.startedAt && <span>{t('report.ran', { start: dt.format(new Date(r.startedAt)), end: r.endedAt ? dt.format(new Date(r.endedAt)) : t('report.stillLive') })}</span>}
          </span>
        }
        actions={
          <>
            <Button type="button" variant="ghost" onClick={report.reload} busy={report.loading}>{t('report.refresh')}</Button>
            <a className="btn btn-secondary" href={csvUrl} download>
              <span aria-hidden="true">⤓</span> {t('report.csv')}
            </a>
          </>
        }
      />
      <div className="stack">
        <div className="rp-stats">
          <Summary label={t('report.people')} value={s.people} hint={t('report.attendeesHint', { count: s.attendees })} />
          <Summary label={t('report.peak')} value={s.peakConcurrent} />
          <Summary label={t('report.average')} value={t('report.minutes', { count: num.format(s.averageMinutes) })} />
          <Summary label={t('report.chat')} value={s.chatMessages} />
          <Summary label={t('report.questions')} value={s.questions} />
          <Summary label={t('report.pollAnswers')} value={s.pollAnswers} />
        </div>

        <Card title={t('report.attendance')}>
          {rows.length === 0 ? (
            <EmptyState title={t('report.nobody')} description={t('report.nobodyHint')} />
          ) : (
            <div className="table-wrap">
              <table className="table rp-table">
                <thead>
                  <tr>
                    {header('name', t('report.col.name'))}
                    <th scope="col">{t('report.col.role')}</th>
                    {header('firstJoinedAt', t('report.col.joined'))}
                    <th scope="col">{t('report.col.left')}</th>
                    {header('minutes', t('report.col.minutes'), true)}
                    <th scope="col" className="rp-num">{t('report.col.sessions')}</th>
                    {header('chatMessages', t('report.col.chat'), true)}
                    {header('questions', t('report.col.questions'), true)}
                    {header('pollAnswers', t('report.col.polls'), true)}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((p) => (
                    <tr key={p.personId}>
                      <td className="cell-main">{p.name}</td>
                      <td>{t(`events.role.${p.role}`)}</td>
                      <td className="nowrap">{dt.format(new Date(p.firstJoinedAt))}</td>
                      <td className="nowrap">{p.lastLeftAt ? time.format(new Date(p.lastLeftAt)) : <span className="muted">{t('report.stillIn')}</span>}</td>
                      <td className="rp-num">{num.format(p.minutes)}</td>
                      <td className="rp-num">{p.sessions}</td>
                      <td className="rp-num">{p.chatMessages}</td>
                      <td className="rp-num">{p.questions}</td>
                      <td className="rp-num">{p.pollAnswers}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>

        <Card title={t('report.polls')}>
          {r.polls.length === 0 ? <p className="muted">{t('report.noPolls')}</p> : (
            <div className="rp-polls">
              {r.polls.map((p) => (
                <section key={p.id} className="rp-poll">
                  <h3 className="rm-poll-question">{p.question}</h3>
                  <p className="small muted">{t(`room.polls.status.${p.status}`)}{p.multiple ? ` · ${t('report.multiple')}` : ''}</p>
                  {p.results ? <PollResultBars poll={p} /> : <p className="muted small">{t('report.noVotes')}</p>}
                </section>
              ))}
            </div>
          )}
        </Card>

        <Card title={t('report.auditTitle')}>
          {r.audit.length === 0 ? <p className="muted">{t('report.noAudit')}</p> : (
            <ol className="rp-audit">
              {r.audit.map((a, i) => (
                <li key={i}>
                  <time dateTime={a.at} className="rp-audit-time">{dt.format(new Date(a.at))}</time>
                  <span>{auditText(a)}</span>
                </li>
              ))}
            </ol>
          )}
        </Card>
      </div>
    </div>
  );
}
