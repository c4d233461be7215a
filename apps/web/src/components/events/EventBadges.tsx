import type { AccessMode, EventStatus, EventType } from '@podium/protocol';
import { Badge, type BadgeTone } from '../ui';
import { useT } from '../../i18n/I18nProvider';

const STATUS_TONE: Record<EventStatus, BadgeTone> = { scheduled: 'info', live: 'success', ended: 'neutral', cancelled: 'danger' };

/** The colour-coded status of an event (live stands out in green). */
export function EventStatusBadge({ status }: { status: EventStatus }) {
  const t = useT();
  return (
    <Badge tone={STATUS_TONE[status]}>
      {status === 'live' && <span className="ev-live-dot" aria-hidden="true" />}
      {t(`events.status.${status}`)}
    </Badge>
  );
}

/** The kind of an event: webinar, meeting or training. */
export function EventTypeBadge({ type }: { type: EventType }) {
  const t = useT();
  return <Badge tone="neutral">{t(`events.type.${type}`)}</Badge>;
}

/** A short label for how people get in. */
export function AccessBadge({ mode }: { mode: AccessMode }) {
  const t = useT();
  return <Badge tone="neutral">{t(`events.access.${mode}`)}</Badge>;
}
