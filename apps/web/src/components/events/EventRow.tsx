import { Link } from 'react-router-dom';
import type { Event } from '@podium/protocol';
import { useI18n } from '../../i18n/I18nProvider';
import { EventStatusBadge, EventTypeBadge } from './EventBadges';
import { dateTile, formatTimeRange } from './eventFormat';

/** One event in a dashboard list: calendar tile, title, badges, time and fill level; the whole row opens the event. */
export function EventRow({ event }: { event: Event }) {
  const { t, locale } = useI18n();
  const tile = dateTile(event.startsAt, locale, event.timeZone);
  const fill = event.capacity ? Math.min(100, Math.round((event.registeredCount / event.capacity) * 100)) : null;
  return (
    <li className="ev-row">
      <Link to={`/o/${event.orgId}/events/${event.id}`} className="ev-row-link">
        <span className={`ev-tile ev-tile-${event.status}`} aria-hidden="true">
          <span className="ev-tile-month">{tile.month}</span>
          <span className="ev-tile-day">{tile.day}</span>
          <span className="ev-tile-weekday">{tile.weekday}</span>
        </span>
        <span className="ev-row-main">
          <span className="ev-row-title">{event.title}</span>
          <span className="ev-row-when">{formatTimeRange(event.startsAt, event.durationMinutes, locale, event.timeZone)}</span>
          <span className="ev-row-badges">
            <EventTypeBadge type={event.type} />
            <EventStatusBadge status={event.status} />
          </span>
        </span>
        <span className="ev-row-count">
          <span className="ev-row-count-value">
            {event.capacity === null
              ? t('events.registeredCount', { count: event.registeredCount })
              : t('events.registeredOfCapacity', { count: event.registeredCount, capacity: event.capacity })}
          </span>
          {fill !== null && (
            <span className="ev-meter" aria-hidden="true">
              <span className={`ev-meter-fill${fill >= 100 ? ' is-full' : ''}`} style={{ width: `${fill}%` }} />
            </span>
          )}
        </span>
      </Link>
    </li>
  );
}
