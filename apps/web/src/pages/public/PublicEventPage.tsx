import { useEffect, type ReactNode } from 'react';
import { useParams } from 'react-router-dom';
import { getPublicEvent, type EventId, type PublicEvent } from '@podium/protocol';
import { ApiError } from '../../api/client';
import { Button, FullPageSpinner, useErrorText } from '../../components/ui';
import { useApi } from '../../hooks/useApi';
import { useI18n } from '../../i18n/I18nProvider';
import { EventStatusBadge, EventTypeBadge } from '../../components/events/EventBadges';
import { PublicLayout } from '../../components/events/PublicLayout';
import { RegistrationPanel } from '../../components/events/RegistrationPanel';
import { formatDuration, formatTimeRange, zonesDiffer } from '../../components/events/eventFormat';
import { browserTimeZone } from '../../components/events/timezone';

function Fact({ icon, children }: { icon: 'calendar' | 'clock' | 'seat' | 'globe'; children: ReactNode }) {
  const paths: Record<typeof icon, ReactNode> = {
    calendar: <><rect x="3.5" y="5" width="17" height="15" rx="2" /><path d="M3.5 10h17M8 3v4M16 3v4" /></>,
    clock: <><circle cx="12" cy="12" r="8.5" /><path d="M12 7.5V12l3 2" /></>,
    seat: <><circle cx="12" cy="8" r="3.5" /><path d="M5 20c.8-3.6 3.6-5.5 7-5.5s6.2 1.9 7 5.5" /></>,
    globe: <><circle cx="12" cy="12" r="8.5" /><path d="M3.5 12h17M12 3.5c2.3 2.5 3.5 5.3 3.5 8.5s-1.2 6-3.5 8.5c-2.3-2.5-3.5-5.3-3.5-8.5s1.2-6 3.5-8.5z" /></>,
  };
  return (
    <li className="pub-fact">
      <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" aria-hidden="true">
        {paths[icon]}
      </svg>
      <div>{children}</div>
    </li>
  );
}

function EventInfo({ event }: { event: PublicEvent }) {
  const { t, locale } = useI18n();
  const viewerZone = browserTimeZone();
  return (
    <article className="pub-info">
      <div className="pub-kicker">
        <EventTypeBadge type={event.type} />
        {event.status !== 'scheduled' && <EventStatusBadge status={event.status} />}
      </div>
      <h1 className="pub-title">{event.title}</h1>
      <p className="pub-by">{t('public.by', { org: event.orgName })}</p>
      {event.registrationOpen && (event.status === 'scheduled' || event.status === 'live') && (
        <a className="btn btn-primary pub-jump" href="#pub-register">{t('public.jumpToForm')} ↓</a>
      )}
      <ul className="pub-facts">
        <Fact icon="calendar">
          <div className="pub-fact-main">{formatTimeRange(event.startsAt, event.durationMinutes, locale, event.timeZone)}</div>
          <div className="small muted">{t('public.eventZone', { zone: event.timeZone.replace(/_/g, ' ') })}</div>
        </Fact>
        {zonesDiffer(event.startsAt, event.timeZone, viewerZone) && (
          <Fact icon="globe">
            <div className="pub-fact-main">{formatTimeRange(event.startsAt, event.durationMinutes, locale, viewerZone)}</div>
            <div className="small muted">{t('public.yourZone', { zone: viewerZone.replace(/_/g, ' ') })}</div>
          </Fact>
        )}
        <Fact icon="clock">
          <div className="pub-fact-main">{formatDuration(event.durationMinutes, locale)}</div>
        </Fact>
        {event.spotsLeft !== null && (
          <Fact icon="seat">
            <div className="pub-fact-main">
              {event.spotsLeft <= 0 ? t('public.noSpotsLeft') : t('public.spotsLeft', { count: event.spotsLeft })}
            </div>
          </Fact>
        )}
      </ul>
      {event.description && (
        <section className="pub-section" aria-labelledby="pub-about">
          <h2 id="pub-about" className="pub-h2">{t('public.about')}</h2>
          {/* Plain text only: line breaks kept by CSS, never parsed as HTML. */}
          <div className="pub-description">{event.description}</div>
        </section>
      )}
      {event.agenda.length > 0 && (
        <section className="pub-section" aria-labelledby="pub-agenda">
          <h2 id="pub-agenda" className="pub-h2">{t('public.agenda')}</h2>
          <ol className="pub-agenda">
            {event.agenda.map((a, i) => (
              <li key={i}>
                <span className="pub-agenda-num" aria-hidden="true">{i + 1}</span>
                <span className="pub-agenda-title">{a.title}</span>
                {a.durationMinutes && <span className="pub-agenda-min">{formatDuration(a.durationMinutes, locale)}</span>}
              </li>
            ))}
          </ol>
        </section>
      )}
    </article>
  );
}

/** The public page of an event: what, when (in the event's zone and the visitor's), and the registration form. */
export default function PublicEventPage() {
  const { eventId = '' } = useParams();
  const { t } = useI18n();
  const errorText = useErrorText();
  const state = useApi(getPublicEvent, { params: { eventId: eventId as EventId } }, [eventId]);
  const event = state.data;

  useEffect(() => {
    document.title = event ? `${event.title} · ${event.orgName}` : t('common.appName');
  }, [event, t]);

  if (!event && state.error) {
    const missing = state.error instanceof ApiError && (state.error.status === 404 || state.error.code === 'VALIDATION_FAILED');
    return (
      <PublicLayout narrow>
        <div className="pub-error">
          <h1>{missing ? t('public.notFoundTitle') : t('public.loadErrorTitle')}</h1>
          <p className="muted">{missing ? t('public.notFoundText') : errorText(state.error)}</p>
          {!missing && <Button type="button" onClick={state.reload}>{t('common.retry')}</Button>}
        </div>
      </PublicLayout>
    );
  }
  if (!event) return <FullPageSpinner />;

  return (
    <PublicLayout organizer={event.orgName}>
      <div className="pub-grid">
        <EventInfo event={event} />
        <aside className="pub-aside" id="pub-register" aria-label={t('public.registerTitle')}>
          <div className="pub-card">
            <RegistrationPanel event={event} onReload={state.reload} />
          </div>
        </aside>
      </div>
    </PublicLayout>
  );
}
