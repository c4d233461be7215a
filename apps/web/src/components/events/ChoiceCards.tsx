import { useId, type ReactNode } from 'react';

/** One option of a ChoiceCards group. */
export interface Choice<V extends string> {
  value: V;
  label: ReactNode;
  description: ReactNode;
  icon?: ReactNode;
}

/**
 * A radio group drawn as cards with a one-line explanation each. Native radios underneath, so arrow
 * keys move the choice and the group is one Tab stop.
 */
export function ChoiceCards<V extends string>({
  legend, name, value, choices, onChange, columns = 2, compact = false,
}: {
  legend: ReactNode;
  name: string;
  value: V;
  choices: Choice<V>[];
  onChange(v: V): void;
  columns?: 2 | 3 | 4;
  /** Segmented look: smaller cards in one row. */
  compact?: boolean;
}) {
  const id = useId();
  return (
    <fieldset className="ev-choices">
      <legend className="field-label">{legend}</legend>
      <div className={`ev-choice-grid cols-${columns}${compact ? ' is-compact' : ''}`}>
        {choices.map((c) => {
          const inputId = `${id}-${c.value}`;
          return (
            <label key={c.value} htmlFor={inputId} className={`ev-choice${value === c.value ? ' is-checked' : ''}`}>
              <input
                id={inputId}
                type="radio"
                name={name}
                value={c.value}
                checked={value === c.value}
                onChange={() => onChange(c.value)}
                aria-describedby={`${inputId}-d`}
              />
              <span className="ev-choice-text">
                <span className="ev-choice-label">
                  {c.icon && <span className="ev-choice-icon" aria-hidden="true">{c.icon}</span>}
                  {c.label}
                </span>
                <span className="ev-choice-desc" id={`${inputId}-d`}>{c.description}</span>
              </span>
            </label>
          );
        })}
      </div>
    </fieldset>
  );
}
