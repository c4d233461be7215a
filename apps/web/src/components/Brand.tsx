import { Link } from 'react-router-dom';
import { useT } from '../i18n/I18nProvider';

/** The Podium logo: a mark and the word, linking home. */
export function Logo({ to = '/' }: { to?: string }) {
  const t = useT();
  return (
    <Link to={to} className="logo" aria-label={t('shell.home')}>
      <span className="logo-mark" aria-hidden="true">
        <svg width="16" height="16" viewBox="0 0 16 16" fill="none">
          <rect x="2" y="8" width="3" height="6" rx="1" fill="currentColor" />
          <rect x="6.5" y="3" width="3" height="11" rx="1" fill="currentColor" />
          <rect x="11" y="6" width="3" height="8" rx="1" fill="currentColor" />
        </svg>
      </span>
      <span>{t('common.appName')}</span>
    </Link>
  );
}
