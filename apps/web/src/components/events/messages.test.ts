import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACCESS_MODES, EVENT_STATUSES, EVENT_TYPES, LOCALES } from '@podium/protocol';
import events from '../../i18n/messages/events';
import publicMessages from '../../i18n/messages/public';
import { validateDraft, type EventDraft } from './eventDraft';
import { validateRegistration } from './registration';

const SRC = join(__dirname, '..', '..');
const FILES = [
  ...readdirSync(join(SRC, 'components', 'events')).map((f) => join(SRC, 'components', 'events', f)),
  ...['DashboardPage', 'EventEditorPage', 'EventDetailPage', 'RegistrantsPage'].map((p) => join(SRC, 'pages', 'events', `${p}.tsx`)),
  ...['PublicEventPage', 'JoinPage'].map((p) => join(SRC, 'pages', 'public', `${p}.tsx`)),
].filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts'));

const has = (key: string) => {
  const [area, ...rest] = key.split('.');
  const k = rest.join('.');
  if (area === 'events') return k in events.messages.en;
  if (area === 'public') return k in publicMessages.messages.en;
  return true; // other areas belong to other files
};

describe('event and public page messages', () => {
  it('define every literal key the pages use', () => {
    const missing: string[] = [];
    for (const file of FILES) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/'((?:events|public)\.[A-Za-z0-9_.]+[A-Za-z0-9_])'/g)) if (!has(m[1])) missing.push(`${m[1]} (${file})`);
    }
    expect(missing).toEqual([]);
  });

  it('define the keys built from protocol values', () => {
    const keys = [
      ...EVENT_TYPES.flatMap((x) => [`events.type.${x}`, `events.typeDesc.${x}`]),
      ...EVENT_STATUSES.map((x) => `events.status.${x}`),
      ...ACCESS_MODES.flatMap((x) => [`events.access.${x}`, `events.accessDesc.${x}`, `events.detail.linkHint.${x}`]),
      ...['text', 'textarea', 'select', 'checkbox'].map((x) => `events.fieldType.${x}`),
      ...['host', 'presenter', 'attendee'].map((x) => `events.role.${x}`),
      ...['basics', 'when', 'agenda', 'access', 'fields', 'consent', 'presenters'].map((x) => `events.editor.section.${x}`),
    ];
    expect(keys.filter((k) => !has(k))).toEqual([]);
  });

  it('define every validation message key the form rules can produce', () => {
    const draft: EventDraft = {
      type: 'webinar', title: '', description: 'x'.repeat(10001), date: '2026-02-30', time: '10:00', durationMinutes: '1', timeZone: '',
      agenda: [{ uid: 'a', title: '', minutes: '0' }], accessMode: 'password', capacity: '0', password: 'ab', hasPassword: false,
      fields: [{ uid: 'f', key: null, label: 'Email', type: 'select', required: true, options: '' }], consentText: '', presenters: ['x'],
    };
    const eventKeys = Object.values(validateDraft(draft, { isNew: true })).map((e) => `events.${e.key}`);
    const regKeys = Object.values(
      validateRegistration(
        { name: '', email: 'nope', password: '', fields: { a: false, b: '' }, consent: false },
        { accessMode: 'password', registrationFields: [{ key: 'a', label: 'A', type: 'checkbox', required: true }, { key: 'b', label: 'B', type: 'text', required: true }] },
      ),
    ).map((k) => `public.${k}`);
    expect([...eventKeys, ...regKeys, 'events.err.server', 'events.err.tooMany', 'events.err.inPast'].filter((k) => !has(k))).toEqual([]);
  });

  it('translate every key into German, Polish and French (not English copies of long texts)', () => {
    for (const area of [events, publicMessages]) {
      for (const locale of LOCALES) {
        expect(Object.keys(area.messages[locale]).sort()).toEqual(Object.keys(area.messages.en).sort());
      }
      const en = area.messages.en as Record<string, string>;
      for (const locale of ['de', 'pl', 'fr'] as const) {
        const other = area.messages[locale] as Record<string, string>;
        const copies = Object.keys(en).filter((k) => en[k].length > 24 && en[k] === other[k]);
        expect(copies, `${area.area}/${locale}`).toEqual([]);
      }
    }
  });

  it('keep the {placeholders} of every message in every language', () => {
    const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const area of [events, publicMessages]) {
      const en = area.messages.en as Record<string, string>;
      for (const locale of ['de', 'pl', 'fr'] as const) {
        const other = area.messages[locale] as Record<string, string>;
        for (const k of Object.keys(en)) expect(vars(other[k]), `${area.area}.${k} ${locale}`).toEqual(vars(en[k]));
      }
    }
  });
});
