// The public registration form's rules, mirroring RegisterBody and the event's own fields, kept pure for tests.
import type { Locale, PublicEvent, RegisterBody } from '@podium/protocol';
import { looksLikeEmail } from './eventDraft';

/** What a visitor typed into the registration form. */
export interface RegistrationValues {
  name: string;
  email: string;
  password: string;
  fields: Record<string, string | boolean>;
  consent: boolean;
}

/** Problems by form field (`name`, `email`, `password`, `consent`, `field.<key>`): message keys of the `public` area. */
export type RegistrationErrors = Record<string, string>;

/** Empty answers for an event's form (checkboxes start unticked). */
export function emptyValues(event: Pick<PublicEvent, 'registrationFields'>): RegistrationValues {
  const fields: Record<string, string | boolean> = {};
  for (const f of event.registrationFields) fields[f.key] = f.type === 'checkbox' ? false : '';
  return { name: '', email: '', password: '', fields, consent: false };
}

/** Client-side checks before sending; the server checks again. */
export function validateRegistration(v: RegistrationValues, event: Pick<PublicEvent, 'registrationFields' | 'accessMode'>): RegistrationErrors {
  const e: RegistrationErrors = {};
  const name = v.name.trim();
  if (!name) e.name = 'err.required';
  else if (name.length > 120) e.name = 'err.tooLong';
  const email = v.email.trim();
  if (!email) e.email = 'err.required';
  else if (!looksLikeEmail(email)) e.email = 'err.email';
  if (event.accessMode === 'password' && !v.password) e.password = 'err.passwordRequired';
  for (const f of event.registrationFields) {
    const value = v.fields[f.key];
    if (f.type === 'checkbox') {
      if (f.required && value !== true) e[`field.${f.key}`] = 'err.mustTick';
    } else {
      const text = typeof value === 'string' ? value.trim() : '';
      if (f.required && !text) e[`field.${f.key}`] = 'err.required';
      else if (text.length > 2000) e[`field.${f.key}`] = 'err.tooLong';
      else if (f.type === 'select' && text && !(f.options ?? []).includes(text)) e[`field.${f.key}`] = 'err.required';
    }
  }
  if (!v.consent) e.consent = 'err.consent';
  return e;
}

/** The request body for valid values: trimmed, empty optional answers left out. */
export function registrationBody(v: RegistrationValues, event: Pick<PublicEvent, 'registrationFields' | 'accessMode' | 'consentVersion'>, locale: Locale): RegisterBody {
  const fields: Record<string, string | boolean> = {};
  for (const f of event.registrationFields) {
    const value = v.fields[f.key];
    if (f.type === 'checkbox') fields[f.key] = value === true;
    else if (typeof value === 'string' && value.trim()) fields[f.key] = value.trim();
  }
  const body: RegisterBody = {
    name: v.name.trim(),
    email: v.email.trim(),
    fields,
    consentVersion: event.consentVersion,
    consentAccepted: true,
    locale,
  };
  if (event.accessMode === 'password') body.password = v.password;
  return body;
}

/** The form field a server validation issue (`/body/fields/company`) belongs to, or null. */
export function registrationIssueField(path: string): string | null {
  const [where, top, key] = path.split('/').filter(Boolean);
  if (where !== 'body' || !top) return null;
  if (top === 'fields') return key ? `field.${key}` : null;
  if (top === 'consentAccepted' || top === 'consentVersion') return 'consent';
  return ['name', 'email', 'password'].includes(top) ? top : null;
}
