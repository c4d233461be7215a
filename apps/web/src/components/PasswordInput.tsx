import { useId } from 'react';
import { useT } from '../i18n/I18nProvider';
import { MIN_PASSWORD_LENGTH, passwordStrength } from '../lib/passwordStrength';
import { TextInput } from './ui';

/** A new-password field with a live strength hint (the server's minimum is the rule). */
export function NewPasswordField({ value, onChange, label, error }: { value: string; onChange(v: string): void; label?: string; error?: string }) {
  const t = useT();
  const id = useId();
  const level = passwordStrength(value);
  const hint =
    level === 0
      ? t('shell.passwordHint', { min: MIN_PASSWORD_LENGTH })
      : level === 1
        ? t('shell.passwordTooShort', { min: MIN_PASSWORD_LENGTH, left: MIN_PASSWORD_LENGTH - value.length })
        : t(level === 2 ? 'shell.passwordWeak' : level === 3 ? 'shell.passwordFair' : 'shell.passwordStrong');
  return (
    <div className={error ? 'field has-error' : 'field'}>
      <label className="field-label" htmlFor={id}>
        {label ?? t('shell.password')}
        <span className="field-required" aria-hidden="true"> *</span>
      </label>
      <TextInput
        id={id}
        type="password"
        autoComplete="new-password"
        required
        minLength={MIN_PASSWORD_LENGTH}
        maxLength={200}
        value={value}
        invalid={Boolean(error)}
        aria-describedby={`${id}-hint`}
        onChange={(e) => onChange(e.target.value)}
      />
      <div className="strength" data-level={level} aria-hidden="true">
        <span />
        <span />
        <span />
        <span />
      </div>
      <div className={error ? 'field-error' : 'field-hint'} id={`${id}-hint`} aria-live="polite">
        {error ?? hint}
      </div>
    </div>
  );
}
