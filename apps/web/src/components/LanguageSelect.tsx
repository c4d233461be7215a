import { useId } from 'react';
import { LOCALES, type Locale } from '@podium/protocol';
import { useI18n } from '../i18n/I18nProvider';
import { Select } from './ui';

/** Each language named in itself, so people find theirs whatever language is showing. */
export const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', de: 'Deutsch', pl: 'Polski', fr: 'Français' };

/** Switches the interface language (remembered in this browser). */
export function LanguageSelect({ compact = false }: { compact?: boolean }) {
  const { locale, setLocale, t } = useI18n();
  const id = useId();
  return (
    <div className={compact ? 'lang-select row' : 'lang-select field'}>
      <label htmlFor={id} className={compact ? 'sr-only' : 'field-label'}>
        {t('common.language')}
      </label>
      <Select id={id} className="select-inline" value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </Select>
    </div>
  );
}
