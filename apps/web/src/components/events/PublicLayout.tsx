import { useId, type ReactNode } from 'react';
import { LOCALES, type Locale } from '@podium/protocol';
import { useI18n } from '../../i18n/I18nProvider';
import './events.css';

// Each language is named in itself, so a visitor finds theirs whatever the page currently shows.
const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', de: 'Deutsch', pl: 'Polski', fr: 'Français' };

/** A small language picker for public pages (no account needed). */
export function LanguageSwitcher() {
  const { t, locale, setLocale } = useI18n();
  const id = useId();
  return (
    <div className="pub-lang">
      <label htmlFor={id} className="sr-only">{t('common.language')}</label>
      <svg className="pub-lang-icon" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="1.6">
        <circle cx="12" cy="12" r="9" />
        <path d="M3 12h18M12 3c2.5 2.7 3.8 5.7 3.8 9s-1.3 6.3-3.8 9c-2.5-2.7-3.8-5.7-3.8-9S9.5 5.7 12 3z" />
      </svg>
      <select id={id} className="input select select-inline pub-lang-select" value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>{LANGUAGE_NAMES[l]}</option>
        ))}
      </select>
    </div>
  );
}

/** The frame of pages for visitors (registration, join): brand, organizer, language, no app navigation. */
export function PublicLayout({ organizer, children, narrow = false }: { organizer?: string; children: ReactNode; narrow?: boolean }) {
  const { t } = useI18n();
  return (
    <div className="pub-page">
      <header className="pub-header">
        <div className="pub-header-inner">
          <span className="pub-brand">
            <span className="logo-mark" aria-hidden="true">P</span>
            <span className="pub-brand-text">
              {organizer ? <span className="pub-org">{organizer}</span> : <span className="pub-org">{t('common.appName')}</span>}
            </span>
          </span>
          <LanguageSwitcher />
        </div>
      </header>
      <main className={`pub-main${narrow ? ' is-narrow' : ''}`} id="main">
        {children}
      </main>
      <footer className="pub-footer">{t('public.poweredBy')}</footer>
    </div>
  );
}
