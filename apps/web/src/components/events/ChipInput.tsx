import { useState, type KeyboardEvent } from 'react';
import { useT } from '../../i18n/I18nProvider';
import { looksLikeEmail } from './eventDraft';

/** Splits pasted or typed text into email candidates. */
export function splitEmails(text: string): string[] {
  return text.split(/[\s,;]+/).map((s) => s.trim().toLowerCase()).filter(Boolean);
}

/**
 * Email addresses as removable chips: Enter, comma or space adds what was typed, Backspace in the
 * empty input removes the last chip, pasting a list adds all of it.
 */
export function EmailChipInput({
  id, values, onChange, invalid, disabled, placeholder, 'aria-describedby': describedBy,
}: {
  id: string;
  values: string[];
  onChange(values: string[]): void;
  invalid?: boolean;
  disabled?: boolean;
  placeholder?: string;
  'aria-describedby'?: string;
}) {
  const t = useT();
  const [text, setText] = useState('');
  const [bad, setBad] = useState<string | null>(null);

  const commit = (raw: string): boolean => {
    const found = splitEmails(raw);
    if (found.length === 0) return true;
    const wrong = found.find((e) => !looksLikeEmail(e));
    const good = found.filter((e) => looksLikeEmail(e) && !values.includes(e));
    if (good.length) onChange([...values, ...new Set(good)]);
    if (wrong) {
      setBad(wrong);
      setText(wrong);
      return false;
    }
    setBad(null);
    setText('');
    return true;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' || e.key === ',' || e.key === ' ' || e.key === ';') {
      if (text.trim()) {
        e.preventDefault();
        commit(text);
      } else if (e.key !== 'Enter') {
        e.preventDefault();
      }
    } else if (e.key === 'Backspace' && !text && values.length) {
      onChange(values.slice(0, -1));
    }
  };

  return (
    <div className="ev-chips-wrap">
      <div className={`ev-chips input${invalid || bad ? ' is-invalid' : ''}${disabled ? ' is-disabled' : ''}`}>
        <ul className="ev-chip-list" aria-label={t('events.chips.list')}>
          {values.map((v) => (
            <li key={v} className="ev-chip">
              <span className="ev-chip-text">{v}</span>
              <button
                type="button"
                className="ev-chip-remove"
                disabled={disabled}
                aria-label={t('events.chips.remove', { value: v })}
                onClick={() => onChange(values.filter((x) => x !== v))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <input
          id={id}
          className="ev-chip-input"
          type="email"
          inputMode="email"
          autoComplete="off"
          value={text}
          disabled={disabled}
          placeholder={values.length === 0 ? placeholder : undefined}
          aria-invalid={invalid || !!bad || undefined}
          aria-describedby={describedBy}
          onChange={(e) => {
            setBad(null);
            setText(e.target.value);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => commit(text)}
          onPaste={(e) => {
            const pasted = e.clipboardData.getData('text');
            if (/[\s,;]/.test(pasted.trim())) {
              e.preventDefault();
              commit(text + pasted);
            }
          }}
        />
      </div>
      {bad && <div className="field-error" role="alert">{t('events.chips.invalid', { value: bad })}</div>}
    </div>
  );
}
