import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/I18nProvider';
import { PublicLayout } from '../../components/events/PublicLayout';
import { Button } from '../../components/ui';

/** What each final outcome is called and whether trying again can help. */
const SCREENS: Record<string, { key: string; retry?: boolean; tone: 'error' | 'info' | 'warning' }> = {
  TOKEN_INVALID: { key: 'invalid', tone: 'error' },
  NOT_FOUND: { key: 'invalid', tone: 'error' },
  EVENT_NOT_FOUND: { key: 'invalid', tone: 'error' },
  VALIDATION_FAILED: { key: 'invalid', tone: 'error' },
  EVENT_ENDED: { key: 'ended', tone: 'info' },
  EVENT_CANCELLED: { key: 'cancelled', tone: 'warning' },
  ROOM_FULL: { key: 'full', tone: 'warning', retry: true },
  ROOM_LOCKED: { key: 'locked', tone: 'warning', retry: true },
  BANNED: { key: 'banned', tone: 'error' },
  REMOVED: { key: 'removed', tone: 'warning', retry: true },
  DENIED: { key: 'denied', tone: 'warning' },
  NOT_INVITED: { key: 'notInvited', tone: 'error' },
  PROTOCOL_VERSION_UNSUPPORTED: { key: 'outdated', tone: 'error' },
  LEFT: { key: 'left', tone: 'info', retry: true },
};

/** A full-page screen for a room outcome (ended, removed, full…), with the way forward. */
export function RoomOutcome({ code, orgName, title, onRetry, joinPage, children }: {
  code: string;
  orgName?: string;
  title?: string;
  onRetry?(): void;
  /** The join page of the link, to go back to. */
  joinPage?: string;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  const s = SCREENS[code] ?? { key: 'error', tone: 'error' as const, retry: true };
  return (
    <PublicLayout organizer={orgName} narrow>
      <div className="pub-error rm-outcome" data-outcome={s.key}>
        <div className={`pub-error-icon rm-outcome-icon is-${s.tone}`} aria-hidden="true">{s.tone === 'info' ? 'i' : '!'}</div>
        {title && <p className="small muted">{title}</p>}
        <h1>{t(`room.outcome.${s.key}.title`)}</h1>
        <p className="muted">{t(`room.outcome.${s.key}.text`)}</p>
        {children}
        <div className="rm-outcome-actions">
          {s.retry && onRetry && <Button type="button" variant="primary" onClick={onRetry}>{code === 'LEFT' || code === 'REMOVED' ? t('room.outcome.rejoin') : t('common.retry')}</Button>}
          {joinPage && <a className="btn btn-secondary" href={joinPage}>{t('room.outcome.toJoinPage')}</a>}
        </div>
      </div>
    </PublicLayout>
  );
}
