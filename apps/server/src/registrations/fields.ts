import { PodiumError, type RegistrationField, type ValidationIssue } from '@podium/protocol';

/** Stored answers to an event's custom registration fields. */
export type FieldAnswers = Record<string, string | boolean>;

const TEXT_MAX = 500;
const TEXTAREA_MAX = 2000;

/**
 * Checks answers against the event's fields and returns them normalized (strings trimmed, empty
 * optional answers dropped, checkboxes as booleans). Unknown keys, missing required answers,
 * options not offered and wrong types are all reported together as VALIDATION_FAILED.
 */
export function validateFieldAnswers(fields: readonly RegistrationField[], answers: Record<string, unknown> | undefined): FieldAnswers {
  const issues: ValidationIssue[] = [];
  const out: FieldAnswers = {};
  const given = answers ?? {};
  const byKey = new Map(fields.map((f) => [f.key, f]));
  for (const key of Object.keys(given)) {
    if (!byKey.has(key)) issues.push({ path: `/body/fields/${key}`, message: 'is not a field of this event' });
  }
  for (const f of fields) {
    const path = `/body/fields/${f.key}`;
    const raw = given[f.key];
    if (f.type === 'checkbox') {
      // The API's JSON parsing may turn a boolean into "true"/"false" (type coercion in unions).
      const value = raw === true || raw === 'true' ? true : raw === false || raw === 'false' ? false : raw;
      if (value === undefined) {
        if (f.required) issues.push({ path, message: 'must be checked' });
      } else if (typeof value !== 'boolean') issues.push({ path, message: 'must be true or false' });
      else if (f.required && !value) issues.push({ path, message: 'must be checked' });
      else out[f.key] = value;
      continue;
    }
    if (raw !== undefined && typeof raw !== 'string') {
      issues.push({ path, message: 'must be text' });
      continue;
    }
    const text = (raw ?? '').trim();
    if (!text) {
      if (f.required) issues.push({ path, message: 'is required' });
      continue;
    }
    if (f.type === 'select' && !(f.options ?? []).includes(text)) issues.push({ path, message: 'must be one of the offered options' });
    else if (f.type === 'text' && (text.length > TEXT_MAX || /[\r\n]/.test(text))) issues.push({ path, message: `must be one line of at most ${TEXT_MAX} characters` });
    else if (f.type === 'textarea' && text.length > TEXTAREA_MAX) issues.push({ path, message: `must be at most ${TEXTAREA_MAX} characters` });
    else out[f.key] = text;
  }
  if (issues.length) throw new PodiumError('VALIDATION_FAILED', 'Some answers are not valid.', { issues });
  return out;
}

/** Problems with an event's field definitions (duplicate keys, selects without options), as validation issues. */
export function fieldDefinitionIssues(fields: readonly RegistrationField[], pathPrefix = '/body/registrationFields'): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    if (seen.has(f.key)) issues.push({ path: `${pathPrefix}/${i}/key`, message: 'is used by another field' });
    seen.add(f.key);
    if (f.type === 'select' && !(f.options && f.options.length)) issues.push({ path: `${pathPrefix}/${i}/options`, message: 'a select field needs options' });
  });
  return issues;
}
