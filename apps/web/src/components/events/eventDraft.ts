// The editor's form state and its conversion to and from the API's event shape. Kept free of React so
// the rules (which mirror the protocol schema) are unit-tested.
import type { AccessMode, CreateEventBody, Event, EventType, RegistrationField, UpdateEventBody } from '@podium/protocol';
import { utcToZoned, zonedToUtc } from './timezone';

/** One agenda item as typed (minutes kept as text until saved). */
export interface AgendaDraft { uid: string; title: string; minutes: string }

/** One custom registration field as typed. `key` is set for fields the server already has, so renaming keeps answers attached. */
export interface FieldDraft {
  uid: string;
  key: string | null;
  label: string;
  type: RegistrationField['type'];
  required: boolean;
  /** Options of a select field, one per line. */
  options: string;
}

/** Everything the editor form holds. */
export interface EventDraft {
  type: EventType;
  title: string;
  description: string;
  date: string;
  time: string;
  durationMinutes: string;
  timeZone: string;
  agenda: AgendaDraft[];
  accessMode: AccessMode;
  capacity: string;
  /** A new password; empty keeps the current one (never shown back). */
  password: string;
  /** Whether the server already holds a password for this event. */
  hasPassword: boolean;
  fields: FieldDraft[];
  consentText: string;
  presenters: string[];
}

/** A validation problem on one form field: a message key of the `events` area and its variables. */
export interface FieldError { key: string; vars?: Record<string, string | number> }
/** Problems by form field path, e.g. `title`, `agenda.2.title`, `fields.0.options`. */
export type FieldErrors = Record<string, FieldError>;

let uidCounter = 0;
/** A stable id for list rows (React keys), never sent to the server. */
export function newUid(): string {
  uidCounter += 1;
  return `row${uidCounter}`;
}

/** A blank draft for a new event: next full hour tomorrow, in the given zone. */
export function emptyDraft(timeZone: string, consentText: string, now: Date = new Date()): EventDraft {
  const tomorrow = new Date(now.getTime() + 24 * 3600_000);
  const { date } = utcToZoned(tomorrow.toISOString(), timeZone);
  return {
    type: 'webinar', title: '', description: '', date, time: '10:00', durationMinutes: '60', timeZone,
    agenda: [], accessMode: 'registration', capacity: '', password: '', hasPassword: false,
    fields: [], consentText, presenters: [],
  };
}

/** The draft of an existing event, with its start shown in the event's own zone. */
export function draftFromEvent(e: Event): EventDraft {
  const { date, time } = utcToZoned(e.startsAt, e.timeZone);
  return {
    type: e.type, title: e.title, description: e.description, date, time,
    durationMinutes: String(e.durationMinutes), timeZone: e.timeZone,
    agenda: e.agenda.map((a) => ({ uid: newUid(), title: a.title, minutes: a.durationMinutes ? String(a.durationMinutes) : '' })),
    accessMode: e.accessMode, capacity: e.capacity === null ? '' : String(e.capacity),
    password: '', hasPassword: e.hasPassword,
    fields: e.registrationFields.map((f) => ({
      uid: newUid(), key: f.key, label: f.label, type: f.type, required: f.required, options: (f.options ?? []).join('\n'),
    })),
    consentText: e.consentText, presenters: [...e.presenters],
  };
}

const TRANSLIT: Record<string, string> = { ł: 'l', ß: 'ss', æ: 'ae', ø: 'o', đ: 'd', œ: 'oe', þ: 'th' };

/** A machine key from a label ("Company name" → `company_name`), matching `^[a-z][a-z0-9_]{0,39}$`. */
export function keyFromLabel(label: string): string {
  let k = label.toLowerCase().replace(/[łßæøđœþ]/g, (c) => TRANSLIT[c] ?? c);
  k = k.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  k = k.replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (!k) k = 'field';
  if (!/^[a-z]/.test(k)) k = `f_${k}`;
  return k.slice(0, 40).replace(/_+$/, '');
}

/** Keys of all fields: existing keys stay, new fields get a key from their label, made unique with _2, _3… */
export function fieldKeys(fields: FieldDraft[]): string[] {
  const used = new Set(fields.filter((f) => f.key).map((f) => f.key as string));
  return fields.map((f) => {
    if (f.key) return f.key;
    const base = keyFromLabel(f.label);
    let key = base;
    for (let n = 2; used.has(key); n += 1) key = `${base.slice(0, 40 - String(n).length - 1)}_${n}`;
    used.add(key);
    return key;
  });
}

/** The options of a select field from its one-per-line text. */
export function parseOptions(text: string): string[] {
  return text.split('\n').map((o) => o.trim()).filter(Boolean);
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** A plausible email address (the server has the final word). */
export function looksLikeEmail(value: string): boolean {
  return value.length >= 3 && value.length <= 254 && EMAIL_RE.test(value);
}

function intIn(text: string, min: number, max: number): number | null {
  if (!/^\d+$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return n >= min && n <= max ? n : null;
}

/** Client-side checks mirroring the protocol schema (limits, required parts); empty when the draft can be sent. */
export function validateDraft(d: EventDraft, opts: { isNew: boolean; now?: Date }): FieldErrors {
  const errors: FieldErrors = {};
  const title = d.title.trim();
  if (!title) errors.title = { key: 'err.required' };
  else if (title.length > 200) errors.title = { key: 'err.tooLong', vars: { max: 200 } };
  if (d.description.length > 10000) errors.description = { key: 'err.tooLong', vars: { max: 10000 } };
  if (!d.date) errors.date = { key: 'err.required' };
  if (!d.time) errors.time = { key: 'err.required' };
  const startsAt = d.date && d.time ? zonedToUtc(d.date, d.time, d.timeZone) : null;
  if (d.date && d.time && !startsAt) errors.date = { key: 'err.invalidDate' };
  else if (startsAt && opts.isNew && new Date(startsAt).getTime() < (opts.now ?? new Date()).getTime()) {
    errors.date = { key: 'err.inPast' };
  }
  if (intIn(d.durationMinutes, 5, 1440) === null) errors.durationMinutes = { key: 'err.range', vars: { min: 5, max: 1440 } };
  if (!d.timeZone) errors.timeZone = { key: 'err.required' };
  if (d.agenda.length > 100) errors.agenda = { key: 'err.tooMany', vars: { max: 100 } };
  d.agenda.forEach((a, i) => {
    const t = a.title.trim();
    if (!t) errors[`agenda.${i}.title`] = { key: 'err.required' };
    else if (t.length > 200) errors[`agenda.${i}.title`] = { key: 'err.tooLong', vars: { max: 200 } };
    if (a.minutes.trim() && intIn(a.minutes, 1, 1440) === null) errors[`agenda.${i}.minutes`] = { key: 'err.range', vars: { min: 1, max: 1440 } };
  });
  if (d.capacity.trim() && intIn(d.capacity, 1, 100000) === null) errors.capacity = { key: 'err.range', vars: { min: 1, max: 100000 } };
  if (d.accessMode === 'password') {
    if (!d.password && !d.hasPassword) errors.password = { key: 'err.passwordNeeded' };
  }
  if (d.password && (d.password.length < 4 || d.password.length > 200)) errors.password = { key: 'err.lengthRange', vars: { min: 4, max: 200 } };
  if (d.fields.length > 30) errors.fields = { key: 'err.tooMany', vars: { max: 30 } };
  const keys = fieldKeys(d.fields);
  d.fields.forEach((f, i) => {
    const label = f.label.trim();
    if (!label) errors[`fields.${i}.label`] = { key: 'err.required' };
    else if (label.length > 120) errors[`fields.${i}.label`] = { key: 'err.tooLong', vars: { max: 120 } };
    else if (['name', 'email'].includes(keys[i])) errors[`fields.${i}.label`] = { key: 'err.reservedField' };
    if (f.type === 'select') {
      const opts = parseOptions(f.options);
      if (opts.length === 0) errors[`fields.${i}.options`] = { key: 'err.optionsNeeded' };
      else if (opts.length > 50) errors[`fields.${i}.options`] = { key: 'err.tooMany', vars: { max: 50 } };
      else if (opts.some((o) => o.length > 120)) errors[`fields.${i}.options`] = { key: 'err.tooLong', vars: { max: 120 } };
    }
  });
  const consent = d.consentText.trim();
  if (!consent) errors.consentText = { key: 'err.required' };
  else if (consent.length > 5000) errors.consentText = { key: 'err.tooLong', vars: { max: 5000 } };
  if (d.presenters.length > 50) errors.presenters = { key: 'err.tooMany', vars: { max: 50 } };
  else if (d.presenters.some((p) => !looksLikeEmail(p))) errors.presenters = { key: 'err.email' };
  return errors;
}

/** The create body of a valid draft. */
export function draftToCreateBody(d: EventDraft): CreateEventBody {
  const keys = fieldKeys(d.fields);
  const body: CreateEventBody = {
    type: d.type,
    title: d.title.trim(),
    description: d.description,
    startsAt: zonedToUtc(d.date, d.time, d.timeZone) ?? '',
    durationMinutes: Number(d.durationMinutes),
    timeZone: d.timeZone,
    accessMode: d.accessMode,
    agenda: d.agenda.map((a) => (a.minutes.trim() ? { title: a.title.trim(), durationMinutes: Number(a.minutes) } : { title: a.title.trim() })),
    capacity: d.capacity.trim() ? Number(d.capacity) : null,
    registrationFields: d.fields.map((f, i) => {
      const field: RegistrationField = { key: keys[i], label: f.label.trim(), type: f.type, required: f.required };
      if (f.type === 'select') field.options = parseOptions(f.options);
      return field;
    }),
    consentText: d.consentText.trim(),
    presenters: d.presenters,
  };
  if (d.password) body.password = d.password;
  return body;
}

/**
 * The update body of a valid draft: everything, with the password only when a new one was typed and
 * the consent text only when it changed (each change raises the consent version).
 */
export function draftToUpdateBody(d: EventDraft, original: Pick<Event, 'consentText'>): UpdateEventBody {
  const body: UpdateEventBody = draftToCreateBody(d);
  if (body.consentText === original.consentText.trim()) delete body.consentText;
  return body;
}

const TOP_LEVEL: Record<string, string> = { startsAt: 'date', registrationFields: 'fields' };
const AGENDA_PARTS: Record<string, string> = { title: 'title', durationMinutes: 'minutes', description: 'title' };

/**
 * Maps a server validation issue path (`/body/agenda/2/durationMinutes`) to the editor's field path
 * (`agenda.2.minutes`); null when the issue belongs to no field of the form.
 */
export function issuePathToField(path: string): string | null {
  const parts = path.split('/').filter(Boolean);
  if (parts[0] !== 'body') return null;
  const [, top, index, sub] = parts;
  if (!top) return null;
  const name = TOP_LEVEL[top] ?? top;
  if (name === 'agenda') return index !== undefined ? `agenda.${index}.${AGENDA_PARTS[sub] ?? 'title'}` : 'agenda';
  if (name === 'fields') {
    if (index === undefined) return 'fields';
    return `fields.${index}.${sub === 'options' ? 'options' : 'label'}`;
  }
  const known = ['type', 'title', 'description', 'date', 'durationMinutes', 'timeZone', 'capacity', 'accessMode', 'password', 'consentText', 'presenters'];
  return known.includes(name) ? name : null;
}

/** Server issues mapped onto form fields; issues without a field are returned apart for a general notice. */
export function mapServerIssues(issues: { path: string; message: string }[]): { errors: FieldErrors; unplaced: string[] } {
  const errors: FieldErrors = {};
  const unplaced: string[] = [];
  for (const issue of issues) {
    const field = issuePathToField(issue.path);
    if (field) errors[field] ??= { key: 'err.server', vars: { message: issue.message } };
    else unplaced.push(`${issue.path}: ${issue.message}`);
  }
  return { errors, unplaced };
}

/** Which editor section a field path belongs to, so the first error can be scrolled into view. */
export function sectionOf(field: string): string {
  const top = field.split('.')[0];
  if (['type', 'title', 'description'].includes(top)) return 'basics';
  if (['date', 'time', 'durationMinutes', 'timeZone'].includes(top)) return 'when';
  if (top === 'agenda') return 'agenda';
  if (['accessMode', 'capacity', 'password'].includes(top)) return 'access';
  if (top === 'fields') return 'fields';
  if (top === 'consentText') return 'consent';
  return 'presenters';
}
