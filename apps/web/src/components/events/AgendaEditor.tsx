import { Button, TextInput } from '../ui';
import { useT } from '../../i18n/I18nProvider';
import { newUid, type AgendaDraft, type FieldErrors } from './eventDraft';
import { fieldId } from './fieldId';

/** Moves the item at `from` by `delta` places (for up/down buttons). */
export function moveItem<T>(list: T[], from: number, delta: number): T[] {
  const to = from + delta;
  if (to < 0 || to >= list.length) return list;
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item);
  return copy;
}

/** The agenda as editable rows: title and minutes, with move up/down and remove. */
export function AgendaEditor({
  items, onChange, errors, durationMinutes, errorText,
}: {
  items: AgendaDraft[];
  onChange(items: AgendaDraft[]): void;
  errors: FieldErrors;
  durationMinutes: number;
  errorText(field: string): string | undefined;
}) {
  const t = useT();
  const total = items.reduce((sum, a) => sum + (Number(a.minutes) || 0), 0);
  const update = (i: number, patch: Partial<AgendaDraft>) => onChange(items.map((a, j) => (j === i ? { ...a, ...patch } : a)));
  const focusRow = (i: number, part = 'title') => requestAnimationFrame(() => document.getElementById(fieldId(`agenda.${i}.${part}`))?.focus());

  return (
    <div className="ev-agenda">
      {items.length === 0 ? (
        <p className="muted ev-inline-empty">{t('events.editor.agendaEmpty')}</p>
      ) : (
        <>
          <div className="ev-agenda-head" aria-hidden="true">
            <span />
            <span>{t('events.editor.agendaItemTitle')}</span>
            <span>{t('events.editor.agendaMinutes')}</span>
            <span />
          </div>
          <ol className="ev-agenda-list">
            {items.map((a, i) => {
              const titleErr = errorText(`agenda.${i}.title`);
              const minErr = errorText(`agenda.${i}.minutes`);
              return (
                <li key={a.uid} className="ev-agenda-row">
                  <span className="ev-agenda-num" aria-hidden="true">{i + 1}</span>
                  <span className="ev-agenda-title">
                    <label className="sr-only" htmlFor={fieldId(`agenda.${i}.title`)}>
                      {t('events.editor.agendaItemTitleN', { n: i + 1 })}
                    </label>
                    <TextInput
                      id={fieldId(`agenda.${i}.title`)}
                      value={a.title}
                      maxLength={200}
                      placeholder={t('events.editor.agendaTitlePlaceholder')}
                      invalid={!!errors[`agenda.${i}.title`]}
                      onChange={(e) => update(i, { title: e.target.value })}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter') {
                          e.preventDefault();
                          if (i === items.length - 1) {
                            onChange([...items, { uid: newUid(), title: '', minutes: '' }]);
                            focusRow(i + 1);
                          } else focusRow(i + 1);
                        }
                      }}
                    />
                  </span>
                  <span className="ev-agenda-min">
                    <label className="sr-only" htmlFor={fieldId(`agenda.${i}.minutes`)}>
                      {t('events.editor.agendaMinutesN', { n: i + 1 })}
                    </label>
                    <TextInput
                      id={fieldId(`agenda.${i}.minutes`)}
                      value={a.minutes}
                      inputMode="numeric"
                      placeholder="15"
                      invalid={!!errors[`agenda.${i}.minutes`]}
                      onChange={(e) => update(i, { minutes: e.target.value.replace(/[^\d]/g, '') })}
                    />
                  </span>
                  <span className="ev-row-tools">
                    <Button type="button" variant="ghost" className="btn-sm ev-icon-btn" disabled={i === 0}
                      aria-label={t('events.editor.moveUp', { n: i + 1 })}
                      onClick={() => { onChange(moveItem(items, i, -1)); focusRow(i - 1); }}>↑</Button>
                    <Button type="button" variant="ghost" className="btn-sm ev-icon-btn" disabled={i === items.length - 1}
                      aria-label={t('events.editor.moveDown', { n: i + 1 })}
                      onClick={() => { onChange(moveItem(items, i, 1)); focusRow(i + 1); }}>↓</Button>
                    <Button type="button" variant="ghost" className="btn-sm ev-icon-btn btn-danger-ghost"
                      aria-label={t('events.editor.removeItem', { n: i + 1 })}
                      onClick={() => onChange(items.filter((_, j) => j !== i))}>×</Button>
                  </span>
                  {(titleErr || minErr) && (
                    <span className="ev-agenda-errors field-error">{[titleErr, minErr].filter(Boolean).join(' · ')}</span>
                  )}
                </li>
              );
            })}
          </ol>
        </>
      )}
      <div className="row-between ev-agenda-foot">
        <Button type="button" variant="secondary" onClick={() => { onChange([...items, { uid: newUid(), title: '', minutes: '' }]); focusRow(items.length); }}>
          + {t('events.editor.addAgendaItem')}
        </Button>
        {total > 0 && (
          <span className={`small ${total > durationMinutes ? 'ev-warn-text' : 'muted'}`}>
            {total > durationMinutes
              ? t('events.editor.agendaOver', { total, duration: durationMinutes })
              : t('events.editor.agendaTotal', { total, duration: durationMinutes })}
          </span>
        )}
      </div>
      {errorText('agenda') && <div className="field-error">{errorText('agenda')}</div>}
    </div>
  );
}
