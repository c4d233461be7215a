import { describe, expect, it } from 'vitest';
import type { RegistrationField } from '@podium/protocol';
import { fieldDefinitionIssues, validateFieldAnswers } from './fields';

const fields: RegistrationField[] = [
  { key: 'company', label: 'Company', type: 'text', required: true },
  { key: 'notes', label: 'Notes', type: 'textarea', required: false },
  { key: 'size', label: 'Team size', type: 'select', required: false, options: ['1-10', '11-100'] },
  { key: 'newsletter', label: 'Newsletter', type: 'checkbox', required: false },
  { key: 'terms', label: 'Terms', type: 'checkbox', required: true },
];

function issuesOf(answers: Record<string, unknown> | undefined): string[] {
  try {
    validateFieldAnswers(fields, answers);
    return [];
  } catch (err) {
    return ((err as { details: { issues: { path: string }[] } }).details.issues).map((i) => i.path);
  }
}

describe('validateFieldAnswers()', () => {
  it('returns trimmed answers, checkboxes as booleans, empty optional answers dropped', () => {
    expect(validateFieldAnswers(fields, { company: '  ACME ', notes: '', size: '1-10', newsletter: 'false', terms: true }))
      .toEqual({ company: 'ACME', size: '1-10', newsletter: false, terms: true });
  });
  it('rejects unknown keys', () => {
    expect(issuesOf({ company: 'A', terms: true, shoe_size: '42' })).toEqual(['/body/fields/shoe_size']);
  });
  it('rejects missing required answers, including an unchecked required checkbox', () => {
    expect(issuesOf({ terms: false })).toEqual(['/body/fields/company', '/body/fields/terms']);
    expect(issuesOf(undefined)).toEqual(['/body/fields/company', '/body/fields/terms']);
  });
  it('rejects options not offered and wrong types', () => {
    expect(issuesOf({ company: 'A', terms: true, size: '1000+' })).toEqual(['/body/fields/size']);
    expect(issuesOf({ company: true, terms: true })).toEqual(['/body/fields/company']);
    expect(issuesOf({ company: 'A', terms: 'yes' })).toEqual(['/body/fields/terms']);
  });
});

describe('fieldDefinitionIssues()', () => {
  it('reports duplicate keys and selects without options', () => {
    const bad: RegistrationField[] = [
      { key: 'a', label: 'A', type: 'text', required: false },
      { key: 'a', label: 'A again', type: 'select', required: false },
    ];
    expect(fieldDefinitionIssues(bad).map((i) => i.path)).toEqual(['/body/registrationFields/1/key', '/body/registrationFields/1/options']);
  });
});
