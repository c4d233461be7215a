import { useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import {
  changeEventStatus, deleteEvent, getEvent, hostJoinLink,
  type ChangeEventStatusBody, type Event, type EventId, type OrgId,
} from '@podium/protocol';
import { call } from '../../api/client';
import {
  Alert, Button, Card, ConfirmButton, CopyField, ErrorMessage, FullPageSpinner, LinkButton, PageHeader,
} from '../../components/ui';
import { useApi, useMutation } from '../../hooks/useApi';
import { useI18n } from '../../i18n/I18nProvider';
import { AccessBadge, EventStatusBadge, EventTypeBadge } from '../../components/events/EventBadges';
import { InviteesCard } from '../../components/events/InviteesCard';
import { formatDuration, formatTimeRange, zonesDiffer } from '../../components/events/eventFormat';
import { browserTimeZone } from '../../components/events/timezone';
import { useOrgMembership } from '../../components/events/useOrgRole';
import '../../components/events/events.css';
import { EventFilesSection } from './EventFilesSection';
import { EventPollsSection } from './EventPollsSection';
import { EventRoomSettingsSection } from './EventRoomSettingsSection';
import { EventRecordingsSection } from '../recordings/EventRecordingsSection';
import './report.css';

function Stat({ label, value, children }: { label: string; value: ReactNode; children?: ReactNode }) {
  return (
    <div className="card ev-stat">
      <div className="ev-stat-label">{label}</div>
      <div className="ev-stat-value">{value}</div>
      {children && <div className="ev-stat-extra">{children}</div>}
    </div>
  );
}

/** One event for its hosts: status actions, the public link, what people see and who registered. */
export default function EventDetailPage() {
  const { orgId = '', eventId = '' } = useParams();
  const { t } = useI18n();
  const loaded = useApi(getEvent, { params: { orgId: orgId as OrgId, eventId: eventId as EventId } }, [orgId, eventId]);
  // The latest event the server confirmed (after a status change), else the loaded one.
  const [confirmed, setConfirmed] = useState<Event | null>(null);
  const event = confirmed && confirmed.id === eventId ? confirmed : loaded.data;

  if (loaded.error) {
    return (
      <div className="ev-page">
        <p><Link to={`/o/${orgId}`}>← {t('events.detail.backToEvents')}</Link></p>
        <ErrorMessage error={loaded.error} />
      </div>
    );
  }
  if (!event) return <FullPageSpinner />;
  return <EventDetail event={event} onChanged={setConfirmed} />;
}

function EventDetail({ event, onChanged }: { event: Event; onChanged(e: Event): void }) {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const { atLeast } = useOrgMembership(event.orgId);
  const params = { orgId: event.orgId, eventId: event.id };
  const base = `/o/${event.orgId}/events/${event.id}`;
  const publicUrl = `${window.location.origin}/e/${event.id}`;
  const viewerZone = browserTimeZone();
  const editable = event.status === 'scheduled' || event.status === 'live';

  const status = useMutation(async (next: ChangeEventStatusBody['status']) => {
    const updated = await call(changeEventStatus, { params, body: { status: next } });
    onChanged(updated);
  });
  const join = useMutation(async () => {
    // The host's personal link, opened straight in the room's lobby.
    const link = await call(hostJoinLink, { params });
    const token = new URL(link.url, window.location.origin).pathname.split('/').pop() ?? '';
    navigate(`/room/${event.id}?token=${encodeURIComponent(decodeURIComponent(token))}`);
  });
  // Confirmed actions throw, so ConfirmButton shows the error beside the button that failed.
  const changeConfirmed = async (next: ChangeEventStatusBody['status']) => {
    onChanged(await call(changeEventStatus, { params, body: { status: next } }));
  };
  const remove = async () => {
    await call(deleteEvent, { params });
    navigate(`/o/${event.orgId}`, { replace: true });
  };

  const when = formatTimeRange(event.startsAt, event.durationMinutes, locale, event.timeZone);
  const spotsText = event.capacity === null
    ? t('events.detail.noLimit')
    : t('events.detail.spotsLeft', { count: Math.max(0, event.capacity - event.registeredCount) });

  return (
    <div className="ev-page">
      <p className="ev-crumb"><Link to={`/o/${event.orgId}`}>← {t('events.detail.backToEvents')}</Link></p>
      <PageHeader
        title={event.title}
        subtitle={
          <span className="ev-header-meta">
            <EventTypeBadge type={event.type} />
            <EventStatusBadge status={event.status} />
            <span>{when}</span>
          </span>
        }
        actions={
          <>
            {editable && <LinkButton to={`${base}/edit`}>{t('events.detail.edit')}</LinkButton>}
            {editable && (
              <Button type="button" variant={event.status === 'live' ? 'primary' : 'secondary'} busy={join.busy} onClick={() => void join.run()}>
                {t('room.prep.openRoom')}
              </Button>
            )}
            {event.status !== 'cancelled' && <LinkButton to={`${base}/report`}>{t('room.prep.report')}</LinkButton>}
            {event.status === 'scheduled' && (
              <Button type="button" variant="primary" busy={status.busy} onClick={() => void status.run('live')}>
                ▶ {t('events.detail.start')}
              </Button>
            )}
            {event.status === 'live' && (
              <ConfirmButton variant="secondary" confirmText={t('events.detail.endConfirm')} onConfirm={() => changeConfirmed('ended')}>
                ■ {t('events.detail.end')}
              </ConfirmButton>
            )}
          </>
        }
      />

      <div className="stack">
        <ErrorMessage error={status.error ?? join.error} />
        {event.status === 'live' && <Alert kind="success">{t('events.detail.liveNotice')}</Alert>}
        {event.status === 'cancelled' && <Alert kind="warning">{t('events.detail.cancelledNotice')}</Alert>}
        {event.status === 'ended' && <Alert kind="info">{t('events.detail.endedNotice')}</Alert>}

        <Card title={t('events.detail.publicPage')}>
          <div className="ev-public-link">
            <CopyField value={publicUrl} label={t('events.detail.publicLink')} />
            <a className="btn btn-secondary" href={`/e/${event.id}`} target="_blank" rel="noopener noreferrer">
              {t('events.detail.open')} <span aria-hidden="true">↗</span><span className="sr-only"> {t('events.detail.newTab')}</span>
            </a>
          </div>
          <p className="small muted ev-link-hint">{t(`events.detail.linkHint.${event.accessMode}`)}</p>
        </Card>

        <div className="ev-stats">
          <Stat
            label={t('events.detail.registrations')}
            value={event.capacity === null ? event.registeredCount : `${event.registeredCount} / ${event.capacity}`}
          >
            <span className="muted">{spotsText}</span>
            <Link to={`${base}/registrants`}>{t('events.detail.viewRegistrants')} →</Link>
          </Stat>
          <Stat label={t('events.detail.access')} value={<AccessBadge mode={event.accessMode} />}>
            <span className="muted">{t(`events.accessDesc.${event.accessMode}`)}</span>
            {event.accessMode === 'password' && (
              <span className="muted">{event.hasPassword ? t('events.detail.passwordSet') : t('events.detail.passwordMissing')}</span>
            )}
          </Stat>
          <Stat label={t('events.detail.when')} value={formatDuration(event.durationMinutes, locale)}>
            <span className="muted">{event.timeZone.replace(/_/g, ' ')}</span>
            {zonesDiffer(event.startsAt, event.timeZone, viewerZone) && (
              <span className="muted">{t('events.detail.yourTime', { time: formatTimeRange(event.startsAt, event.durationMinutes, locale, viewerZone) })}</span>
            )}
          </Stat>
        </div>

        <div className="ev-detail-grid">
          <Card title={t('events.detail.about')}>
            {event.description ? <p className="ev-prewrap">{event.description}</p> : <p className="muted">{t('events.detail.noDescription')}</p>}
            <h3 className="ev-subhead">{t('events.detail.agenda')}</h3>
            {event.agenda.length === 0 ? (
              <p className="muted">{t('events.detail.noAgenda')}</p>
            ) : (
              <ol className="ev-agenda-view">
                {event.agenda.map((a, i) => (
                  <li key={i}>
                    <span>{a.title}</span>
                    {a.durationMinutes && <span className="muted nowrap">{formatDuration(a.durationMinutes, locale)}</span>}
                  </li>
                ))}
              </ol>
            )}
          </Card>
          <Card title={t('events.detail.registrationForm')}>
            <dl className="dl">
              <dt>{t('events.detail.questions')}</dt>
              <dd>
                {[t('events.editor.fixedName'), t('events.editor.fixedEmail'), ...event.registrationFields.map((f) => f.label + (f.required ? ' *' : ''))].join(', ')}
              </dd>
              <dt>{t('events.detail.consent')}</dt>
              <dd>{t('events.detail.consentVersion', { version: event.consentVersion })}</dd>
              <dt>{t('events.detail.presenters')}</dt>
              <dd>{event.presenters.length ? event.presenters.join(', ') : <span className="muted">{t('events.detail.noPresenters')}</span>}</dd>
            </dl>
          </Card>
        </div>

        {event.accessMode === 'invitation' && <InviteesCard event={event} editable={editable} />}

        <EventFilesSection event={event} />

        {event.status !== 'cancelled' && <EventRecordingsSection event={event} />}

        <EventPollsSection event={event} />
        <EventRoomSettingsSection event={event} />

        {(event.status === 'scheduled' || atLeast('admin')) && (
          <Card title={t('events.detail.dangerZone')}>
            <div className="stack">
              {event.status === 'scheduled' && (
                <div className="ev-danger-row">
                  <div>
                    <div className="ev-danger-title">{t('events.detail.cancel')}</div>
                    <div className="small muted">{t('events.detail.cancelHint', { count: event.registeredCount })}</div>
                  </div>
                  <ConfirmButton confirmText={t('events.detail.cancelConfirm')} onConfirm={() => changeConfirmed('cancelled')}>
                    {t('events.detail.cancel')}
                  </ConfirmButton>
                </div>
              )}
              {atLeast('admin') && (
                <div className="ev-danger-row">
                  <div>
                    <div className="ev-danger-title">{t('events.detail.delete')}</div>
                    <div className="small muted">{t('events.detail.deleteHint')}</div>
                  </div>
                  <ConfirmButton confirmText={t('events.detail.deleteConfirm')} onConfirm={remove}>
                    {t('events.detail.delete')}
                  </ConfirmButton>
                </div>
              )}
            </div>
          </Card>
        )}
      </div>
    </div>
  );
}
