import { Type, type Static } from '@sinclair/typebox';
import { Email, Locale, Ok, Page, PageQuery, PersonName, Timestamp } from '../common';
import { IdSchema } from '../ids';
import { defineRoute } from './route';
import { EventParams, PublicEvent, PublicEventParams } from './events';

/** Values of custom registration fields, by field key. */
export const FieldValues = Type.Record(
  Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' }),
  Type.Union([Type.String({ maxLength: 2000 }), Type.Boolean()]),
  { maxProperties: 30 },
);

export const RegisterBody = Type.Object({
  name: PersonName,
  email: Email,
  fields: Type.Optional(FieldValues),
  /** The consent version the person read and accepted. */
  consentVersion: Type.Integer({ minimum: 1 }),
  /** Must be true; false is answered with CONSENT_REQUIRED. */
  consentAccepted: Type.Boolean(),
  /** The event password, for password-protected events. */
  password: Type.Optional(Type.String({ maxLength: 200 })),
  locale: Type.Optional(Locale),
});
export type RegisterBody = Static<typeof RegisterBody>;

export const RegisterResult = Type.Object({
  registrationId: IdSchema('registration'),
  /** The join link is emailed, never returned, so an email address is proven by its inbox. */
  emailedTo: Type.String(),
});
export type RegisterResult = Static<typeof RegisterResult>;

/** Roles a join link grants. */
export const JoinRole = Type.Union([Type.Literal('host'), Type.Literal('presenter'), Type.Literal('attendee')]);
export type JoinRole = Static<typeof JoinRole>;

export const Registration = Type.Object({
  id: IdSchema('registration'),
  eventId: IdSchema('event'),
  name: Type.String(),
  email: Type.String(),
  role: JoinRole,
  fields: Type.Record(Type.String(), Type.Union([Type.String(), Type.Boolean()])),
  consentVersion: Type.Integer(),
  consentAt: Timestamp,
  createdAt: Timestamp,
});
export type Registration = Static<typeof Registration>;

export const RegistrationParams = Type.Object({ orgId: IdSchema('org'), eventId: IdSchema('event'), registrationId: IdSchema('registration') });

export const JoinQuery = Type.Object({ token: Type.String({ minLength: 20, maxLength: 1000 }) });
/** What a personal join link opens. */
export const JoinInfo = Type.Object({
  event: PublicEvent,
  name: Type.String(),
  role: JoinRole,
  expiresAt: Timestamp,
  /** Whether the room is open now (the live room comes with the media and room work). */
  roomOpen: Type.Boolean(),
  /** Whether the event records, and the recording consent to accept before joining (GDPR). */
  recording: Type.Optional(Type.Object({
    records: Type.Boolean(),
    consentText: Type.String(),
    consentVersion: Type.Integer({ minimum: 0 }),
    /** The person accepted this version and has not withdrawn it. */
    accepted: Type.Boolean(),
  })),
});
export type JoinInfo = Static<typeof JoinInfo>;

/** A join link for a signed-in host of the event's organization. */
export const HostJoinLink = Type.Object({ url: Type.String(), expiresAt: Timestamp });
export type HostJoinLink = Static<typeof HostJoinLink>;

export const register = defineRoute({
  id: 'public.register', method: 'POST', path: '/api/v1/public/events/:eventId/registrations', tag: 'Public', access: 'public', rateLimited: true,
  summary: 'Register for an event; the confirmation with the personal join link and an .ics file is emailed',
  params: PublicEventParams, body: RegisterBody, response: RegisterResult, successStatus: 201,
});
export const listRegistrations = defineRoute({
  id: 'registrations.list', method: 'GET', path: '/api/v1/orgs/:orgId/events/:eventId/registrations', tag: 'Registrations', access: 'org:host',
  summary: 'Registrants of an event, oldest first', params: EventParams, query: PageQuery, response: Page(Registration),
});
export const exportRegistrations = defineRoute({
  id: 'registrations.export', method: 'GET', path: '/api/v1/orgs/:orgId/events/:eventId/registrations.csv', tag: 'Registrations', access: 'org:host',
  summary: 'All registrants of an event as CSV (UTF-8, with custom fields as columns)', params: EventParams, produces: 'text/csv',
});
export const removeRegistration = defineRoute({
  id: 'registrations.remove', method: 'DELETE', path: '/api/v1/orgs/:orgId/events/:eventId/registrations/:registrationId', tag: 'Registrations', access: 'org:host',
  summary: 'Remove a registrant (their join link stops working)', params: RegistrationParams, response: Ok,
});
export const hostJoinLink = defineRoute({
  id: 'events.hostJoinLink', method: 'POST', path: '/api/v1/orgs/:orgId/events/:eventId/host-link', tag: 'Events', access: 'org:host',
  summary: 'A personal host join link for the caller', params: EventParams, response: HostJoinLink,
});
export const getJoinInfo = defineRoute({
  id: 'join.info', method: 'GET', path: '/api/v1/join', tag: 'Public', access: 'public', rateLimited: true,
  summary: 'What a personal join link opens (the token is checked: signature, expiry, registration still present)',
  query: JoinQuery, response: JoinInfo,
});
