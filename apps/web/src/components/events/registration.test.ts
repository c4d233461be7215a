import { describe, expect, it } from 'vitest';
import type { RegistrationField } from '@podium/protocol';
import { emptyValues, registrationBody, registrationIssueField, validateRegistration } from './registration';

const fields: RegistrationField[] = [
  { key: 'company', label: 'Company', type: 'text', required: true },
  { key: 'team', label: 'Team', type: 'select', required: false, options: ['Sales', 'Support'] },
  { key: 'terms', label: 'Terms', type: 'checkbox', required: true },
  { key: 'news', label: 'News', type: 'checkbox', required: false },
];
const event = { registrationFields: fields, accessMode: 'password' as const, consentVersion: 3 };

describe('validateRegistration()', () => {
  it('asks for name, a valid email, required answers, the password and consent', () => {
    const errors = validateRegistration({ ...emptyValues(event), email: 'nope' }, event);
    expect(errors).toEqual({
      name: 'err.required', email: 'err.email', password: 'err.passwordRequired',
      'field.company': 'err.required', 'field.terms': 'err.mustTick', consent: 'err.consent',
    });
  });

  it('accepts a complete form and rejects a select answer that is not an option', () => {
    const values = { name: 'Zoé', email: 'zoe@example.fr', password: 'pw', consent: true, fields: { company: 'ACME', team: 'Sales', terms: true, news: false } };
    expect(validateRegistration(values, event)).toEqual({});
    expect(validateRegistration({ ...values, fields: { ...values.fields, team: 'Hackers' } }, event)).toHaveProperty('field.team');
  });
});

describe('registrationBody()', () => {
  it('sends the consent version read, trims answers and leaves out empty optional ones', () => {
    const body = registrationBody(
      { name: ' Zoé ', email: ' zoe@example.fr ', password: 'pw', consent: true, fields: { company: ' ACME ', team: '', terms: true, news: false } },
      event, 'fr',
    );
    expect(body).toEqual({
      name: 'Zoé', email: 'zoe@example.fr', password: 'pw', consentVersion: 3, consentAccepted: true, locale: 'fr',
      fields: { company: 'ACME', terms: true, news: false },
    });
  });

  it('sends no password for events without one', () => {
    const body = registrationBody({ ...emptyValues(event), name: 'A', email: 'a@b.cd', password: 'typed', consent: true }, { ...event, accessMode: 'open' }, 'en');
    expect(body).not.toHaveProperty('password');
  });
});

describe('registrationIssueField()', () => {
  it('maps server issue paths onto form fields', () => {
    expect(registrationIssueField('/body/email')).toBe('email');
    expect(registrationIssueField('/body/fields/company')).toBe('field.company');
    expect(registrationIssueField('/body/consentAccepted')).toBe('consent');
    expect(registrationIssueField('/params/eventId')).toBeNull();
  });
});
