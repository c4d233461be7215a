import type { RegistrationField } from '@podium/protocol';
import { Button, Checkbox, Field, Select, TextArea, TextInput } from '../ui';
import { useT } from '../../i18n/I18nProvider';
import { fieldKeys, newUid, type FieldDraft, type FieldErrors } from './eventDraft';
import { moveItem } from './AgendaEditor';
import { fieldId } from './fieldId';

const FIELD_TYPES: RegistrationField['type'][] = ['text', 'textarea', 'select', 'checkbox'];

/** The custom questions of the registration form (name and email are always asked). */
export function FieldsBuilder({
  fields, onChange, errors, errorText,
}: {
  fields: FieldDraft[];
  onChange(fields: FieldDraft[]): void;
  errors: FieldErrors;
  errorText(field: string): string | undefined;
}) {
  const t = useT();
  const keys = fieldKeys(fields);
  const update = (i: number, patch: Partial<FieldDraft>) => onChange(fields.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  const focusField = (i: number) => requestAnimationFrame(() => document.getElementById(fieldId(`fields.${i}.label`))?.focus());

  return (
    <div className="ev-fields">
      <div className="ev-fixed-fields">
        <span className="ev-fixed-field">{t('events.editor.fixedName')}</span>
        <span className="ev-fixed-field">{t('events.editor.fixedEmail')}</span>
        <span className="small muted">{t('events.editor.fixedHint')}</span>
      </div>
      {fields.length > 0 && (
        <ol className="ev-field-list">
          {fields.map((f, i) => (
            <li key={f.uid} className="ev-field-card">
              <div className="ev-field-grid">
                <Field label={t('events.editor.fieldLabel')} error={errorText(`fields.${i}.label`)} required
                  hint={f.label.trim() ? t('events.editor.fieldKey', { key: keys[i] }) : undefined}>
                  <TextInput id={fieldId(`fields.${i}.label`)} value={f.label} maxLength={120}
                    placeholder={t('events.editor.fieldLabelPlaceholder')}
                    invalid={!!errors[`fields.${i}.label`]}
                    onChange={(e) => update(i, { label: e.target.value })} />
                </Field>
                <Field label={t('events.editor.fieldType')}>
                  <Select id={fieldId(`fields.${i}.type`)} value={f.type}
                    onChange={(e) => update(i, { type: e.target.value as RegistrationField['type'] })}>
                    {FIELD_TYPES.map((ft) => <option key={ft} value={ft}>{t(`events.fieldType.${ft}`)}</option>)}
                  </Select>
                </Field>
              </div>
              {f.type === 'select' && (
                <Field label={t('events.editor.fieldOptions')} hint={t('events.editor.fieldOptionsHint')} error={errorText(`fields.${i}.options`)} required>
                  <TextArea id={fieldId(`fields.${i}.options`)} rows={3} value={f.options}
                    invalid={!!errors[`fields.${i}.options`]}
                    onChange={(e) => update(i, { options: e.target.value })} />
                </Field>
              )}
              <div className="row-between ev-field-foot">
                <Checkbox label={f.type === 'checkbox' ? t('events.editor.fieldMustTick') : t('events.editor.fieldRequired')}
                  checked={f.required} onChange={(e) => update(i, { required: e.target.checked })} />
                <span className="ev-row-tools">
                  <Button type="button" variant="ghost" className="btn-sm ev-icon-btn" disabled={i === 0}
                    aria-label={t('events.editor.moveFieldUp', { n: i + 1 })}
                    onClick={() => onChange(moveItem(fields, i, -1))}>↑</Button>
                  <Button type="button" variant="ghost" className="btn-sm ev-icon-btn" disabled={i === fields.length - 1}
                    aria-label={t('events.editor.moveFieldDown', { n: i + 1 })}
                    onClick={() => onChange(moveItem(fields, i, 1))}>↓</Button>
                  <Button type="button" variant="ghost" className="btn-sm btn-danger-ghost"
                    onClick={() => onChange(fields.filter((_, j) => j !== i))}>
                    {t('events.editor.removeField')}<span className="sr-only"> {i + 1}</span>
                  </Button>
                </span>
              </div>
            </li>
          ))}
        </ol>
      )}
      <div>
        <Button type="button" variant="secondary" disabled={fields.length >= 30}
          onClick={() => { onChange([...fields, { uid: newUid(), key: null, label: '', type: 'text', required: false, options: '' }]); focusField(fields.length); }}>
          + {t('events.editor.addField')}
        </Button>
      </div>
      {errorText('fields') && <div className="field-error">{errorText('fields')}</div>}
    </div>
  );
}
