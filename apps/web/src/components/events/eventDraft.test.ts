import { describe, expect, it } from 'vitest';
import type { Event } from '@podium/protocol';
import {
  draftFromEvent, draftToCreateBody, draftToUpdateBody, emptyDraft, fieldKeys, issuePathToField, keyFromLabel,
  mapServerIssues, newUid, validateDraft, type EventDraft,
} from './eventDraft';

const NOW = new Date('2026-05-01T08:00:00Z');

function validDraft(over: Partial<EventDraft> = {}): EventDraft {
  return { ...emptyDraft('Europe/Warsaw', 'We store your name and email.', NOW), title: 'Quarterly update', ...over };
}

const sampleEvent: Event = {
  id: 'evt_aaaaaaaaaaaaaaaaaaaa', orgId: 'org_aaaaaaaaaaaaaaaaaaaa', type: 'training', title: 'Onboarding',
  description: 'Hello', agenda: [{ title: 'Intro', durationMinutes: 10 }, { title: 'Q&A' }],
  startsAt: '2026-06-01T07:00:00.000Z', durationMinutes: 90, timeZone: 'Europe/Paris', capacity: 50,
  accessMode: 'password', hasPassword: true, status: 'scheduled',
  registrationFields: [{ key: 'company', label: 'Firm', type: 'select', required: true, options: ['A', 'B'] }],
  consentText: 'Consent v2', consentVersion: 2, presenters: ['ana@example.org'], registeredCount: 3,
  createdAt: '2026-04-01T00:00:00.000Z', updatedAt: '2026-04-01T00:00:00.000Z',
};

describe('keyFromLabel()', () => {
  it('makes a lower-case machine key from any label', () => {
    expect(keyFromLabel('Company name')).toBe('company_name');
    expect(keyFromLabel('  Zażółć gęślą jaźń ')).toBe('zazolc_gesla_jazn');
    expect(keyFromLabel('Straße & Nr.')).toBe('strasse_nr');
    expect(keyFromLabel('2nd phone')).toBe('f_2nd_phone');
    expect(keyFromLabel('!!!')).toBe('field');
  });

  it('always matches the protocol pattern, also for very long labels', () => {
    for (const label of ['x'.repeat(120), 'Très long libellé '.repeat(10), '123', 'Ünïcødé']) {
      expect(keyFromLabel(label)).toMatch(/^[a-z][a-z0-9_]{0,39}$/);
    }
  });
});

describe('fieldKeys()', () => {
  it('keeps existing keys and makes new ones unique', () => {
    const f = (label: string, key: string | null = null) => ({ uid: newUid(), key, label, type: 'text' as const, required: false, options: '' });
    expect(fieldKeys([f('Company', 'company'), f('Company'), f('Company')])).toEqual(['company', 'company_2', 'company_3']);
  });
});

describe('validateDraft()', () => {
  it('accepts a complete draft', () => {
    expect(validateDraft(validDraft(), { isNew: true, now: NOW })).toEqual({});
  });

  it('requires a title, a valid duration and a start in the future for new events', () => {
    const errors = validateDraft(validDraft({ title: ' ', durationMinutes: '3', date: '2026-04-01' }), { isNew: true, now: NOW });
    expect(errors.title?.key).toBe('err.required');
    expect(errors.durationMinutes?.key).toBe('err.range');
    expect(errors.date?.key).toBe('err.inPast');
  });

  it('does not complain about a past start when editing', () => {
    expect(validateDraft(validDraft({ date: '2026-04-01' }), { isNew: false, now: NOW })).toEqual({});
  });

  it('needs a password for a password event unless one is already stored', () => {
    expect(validateDraft(validDraft({ accessMode: 'password' }), { isNew: true, now: NOW }).password?.key).toBe('err.passwordNeeded');
    expect(validateDraft(validDraft({ accessMode: 'password', hasPassword: true }), { isNew: false, now: NOW })).toEqual({});
    expect(validateDraft(validDraft({ accessMode: 'password', password: 'abc' }), { isNew: true, now: NOW }).password?.key).toBe('err.lengthRange');
  });

  it('checks agenda items, select options, capacity and presenter emails per row', () => {
    const d = validDraft({
      agenda: [{ uid: 'a', title: '', minutes: '0' }],
      fields: [{ uid: 'f', key: null, label: 'Team', type: 'select', required: false, options: '\n  \n' }],
      capacity: '0',
      presenters: ['not-an-email'],
    });
    const errors = validateDraft(d, { isNew: true, now: NOW });
    expect(Object.keys(errors).sort()).toEqual(['agenda.0.minutes', 'agenda.0.title', 'capacity', 'fields.0.options', 'presenters']);
  });

  it('rejects custom fields that would clash with the built-in name and email', () => {
    const d = validDraft({ fields: [{ uid: 'f', key: null, label: 'E-mail', type: 'text', required: true, options: '' }] });
    expect(validateDraft(d, { isNew: true, now: NOW })['fields.0.label']).toBeUndefined();
    const d2 = validDraft({ fields: [{ uid: 'f', key: null, label: 'Email', type: 'text', required: true, options: '' }] });
    expect(validateDraft(d2, { isNew: true, now: NOW })['fields.0.label']?.key).toBe('err.reservedField');
  });
});

describe('draft ↔ event', () => {
  it('shows the start in the event’s own zone and converts it back exactly', () => {
    const d = draftFromEvent(sampleEvent);
    expect([d.date, d.time, d.timeZone]).toEqual(['2026-06-01', '09:00', 'Europe/Paris']);
    expect(d.password).toBe('');
    const body = draftToCreateBody(d);
    expect(body.startsAt).toBe('2026-06-01T07:00:00.000Z');
    expect(body.agenda).toEqual(sampleEvent.agenda);
    expect(body.registrationFields).toEqual(sampleEvent.registrationFields);
    expect(body.capacity).toBe(50);
    expect(body.password).toBeUndefined();
  });

  it('sends the consent text on update only when it changed, and a password only when typed', () => {
    const d = draftFromEvent(sampleEvent);
    expect(draftToUpdateBody(d, sampleEvent)).not.toHaveProperty('consentText');
    const changed = draftToUpdateBody({ ...d, consentText: 'Consent v3', password: 'secret' }, sampleEvent);
    expect(changed.consentText).toBe('Consent v3');
    expect(changed.password).toBe('secret');
  });

  it('sends no capacity limit as null and drops options of non-select fields', () => {
    const d = validDraft({ capacity: '', fields: [{ uid: 'x', key: null, label: 'Notes', type: 'textarea', required: false, options: 'leftover' }] });
    const body = draftToCreateBody(d);
    expect(body.capacity).toBeNull();
    expect(body.registrationFields).toEqual([{ key: 'notes', label: 'Notes', type: 'textarea', required: false }]);
  });
});

describe('server issues', () => {
  it('land on the matching form field', () => {
    expect(issuePathToField('/body/title')).toBe('title');
    expect(issuePathToField('/body/startsAt')).toBe('date');
    expect(issuePathToField('/body/agenda/2/durationMinutes')).toBe('agenda.2.minutes');
    expect(issuePathToField('/body/registrationFields/1/options/0')).toBe('fields.1.options');
    expect(issuePathToField('/body/registrationFields/1/key')).toBe('fields.1.label');
    expect(issuePathToField('/body/presenters/3')).toBe('presenters');
    expect(issuePathToField('/params/orgId')).toBeNull();
  });

  it('keep issues without a field apart', () => {
    const { errors, unplaced } = mapServerIssues([
      { path: '/body/timeZone', message: 'unknown time zone' },
      { path: '/body/whatever', message: 'odd' },
    ]);
    expect(errors.timeZone?.vars?.message).toBe('unknown time zone');
    expect(unplaced).toEqual(['/body/whatever: odd']);
  });
});
