import { Type, type Static } from '@sinclair/typebox';
import { Email, Ok, Page, PageQuery, Timestamp } from '../common';
import { IdSchema } from '../ids';
import { defineRoute } from './route';

export const EVENT_TYPES = ['webinar', 'meeting', 'training'] as const;
/** webinar: hosts/presenters on stage, attendees watch; meeting: everyone may speak; training: webinar plus attendee cameras on request. */
export type EventType = (typeof EVENT_TYPES)[number];
export const EventType = Type.Union(EVENT_TYPES.map((t) => Type.Literal(t)));

export const ACCESS_MODES = ['open', 'registration', 'password', 'invitation'] as const;
/** open: anyone with the link; registration: register first; password: register with the event password; invitation: only invited emails. */
export type AccessMode = (typeof ACCESS_MODES)[number];
export const AccessMode = Type.Union(ACCESS_MODES.map((t) => Type.Literal(t)));

export const EVENT_STATUSES = ['scheduled', 'live', 'ended', 'cancelled'] as const;
/** scheduled → live → ended, or scheduled → cancelled. */
export type EventStatus = (typeof EVENT_STATUSES)[number];
export const EventStatus = Type.Union(EVENT_STATUSES.map((t) => Type.Literal(t)));

/** Allowed status changes. */
export const STATUS_TRANSITIONS: Record<EventStatus, readonly EventStatus[]> = {
  scheduled: ['live', 'cancelled'],
  live: ['ended'],
  ended: [],
  cancelled: [],
};

export const AgendaItem = Type.Object({
  title: Type.String({ minLength: 1, maxLength: 200 }),
  durationMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
});
export type AgendaItem = Static<typeof AgendaItem>;

/** A custom registration field (name and email are always asked). */
export const RegistrationField = Type.Object({
  key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', description: 'machine name, e.g. company' }),
  label: Type.String({ minLength: 1, maxLength: 120 }),
  type: Type.Union([Type.Literal('text'), Type.Literal('textarea'), Type.Literal('select'), Type.Literal('checkbox')]),
  required: Type.Boolean(),
  options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 120 }), { maxItems: 50 })),
});
export type RegistrationField = Static<typeof RegistrationField>;

/** An IANA time zone name, e.g. Europe/Warsaw (checked against the runtime's list by the server). */
export const TimeZone = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z_]+(?:/[A-Za-z0-9_+-]+)*$' });

export const Event = Type.Object({
  id: IdSchema('event'),
  orgId: IdSchema('org'),
  type: EventType,
  title: Type.String(),
  description: Type.String(),
  agenda: Type.Array(AgendaItem),
  startsAt: Timestamp,
  durationMinutes: Type.Integer(),
  timeZone: Type.String(),
  capacity: Type.Union([Type.Integer(), Type.Null()]),
  accessMode: AccessMode,
  hasPassword: Type.Boolean(),
  status: EventStatus,
  registrationFields: Type.Array(RegistrationField),
  consentText: Type.String(),
  consentVersion: Type.Integer(),
  presenters: Type.Array(Type.String({ description: 'presenter email' })),
  registeredCount: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Event = Static<typeof Event>;

const eventFields = {
  type: EventType,
  title: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.String({ maxLength: 10000 }),
  agenda: Type.Array(AgendaItem, { maxItems: 100 }),
  startsAt: Timestamp,
  durationMinutes: Type.Integer({ minimum: 5, maximum: 1440 }),
  timeZone: TimeZone,
  capacity: Type.Union([Type.Integer({ minimum: 1, maximum: 100000 }), Type.Null()]),
  accessMode: AccessMode,
  /** Required when accessMode is `password`; never returned. */
  password: Type.String({ minLength: 4, maxLength: 200 }),
  registrationFields: Type.Array(RegistrationField, { maxItems: 30 }),
  /** Changing the text raises consentVersion; registrations keep the version they accepted. */
  consentText: Type.String({ minLength: 1, maxLength: 5000 }),
  presenters: Type.Array(Email, { maxItems: 50 }),
};

export const CreateEventBody = Type.Object({
  type: eventFields.type,
  title: eventFields.title,
  startsAt: eventFields.startsAt,
  durationMinutes: eventFields.durationMinutes,
  timeZone: eventFields.timeZone,
  accessMode: eventFields.accessMode,
  description: Type.Optional(eventFields.description),
  agenda: Type.Optional(eventFields.agenda),
  capacity: Type.Optional(eventFields.capacity),
  password: Type.Optional(eventFields.password),
  registrationFields: Type.Optional(eventFields.registrationFields),
  consentText: Type.Optional(eventFields.consentText),
  presenters: Type.Optional(eventFields.presenters),
});
export type CreateEventBody = Static<typeof CreateEventBody>;

export const UpdateEventBody = Type.Partial(Type.Object(eventFields));
export type UpdateEventBody = Static<typeof UpdateEventBody>;

export const ChangeEventStatusBody = Type.Object({ status: Type.Union([Type.Literal('live'), Type.Literal('ended'), Type.Literal('cancelled')]) });
export type ChangeEventStatusBody = Static<typeof ChangeEventStatusBody>;

export const EventParams = Type.Object({ orgId: IdSchema('org'), eventId: IdSchema('event') });
export const EventListQuery = Type.Object({
  ...PageQuery.properties,
  when: Type.Optional(Type.Union([Type.Literal('upcoming'), Type.Literal('past'), Type.Literal('all')], { default: 'all' })),
});
export type EventListQuery = Static<typeof EventListQuery>;

/** Emails allowed to register for an invitation-only event (each gets an email). */
export const AddInviteesBody = Type.Object({ emails: Type.Array(Email, { minItems: 1, maxItems: 500 }) });
export type AddInviteesBody = Static<typeof AddInviteesBody>;
export const Invitee = Type.Object({ email: Type.String(), invitedAt: Timestamp, registered: Type.Boolean() });
export type Invitee = Static<typeof Invitee>;

/** What anyone with the link sees of an event. */
export const PublicEvent = Type.Object({
  id: IdSchema('event'),
  orgName: Type.String(),
  type: EventType,
  title: Type.String(),
  description: Type.String(),
  agenda: Type.Array(AgendaItem),
  startsAt: Timestamp,
  durationMinutes: Type.Integer(),
  timeZone: Type.String(),
  accessMode: AccessMode,
  status: EventStatus,
  registrationFields: Type.Array(RegistrationField),
  consentText: Type.String(),
  consentVersion: Type.Integer(),
  capacity: Type.Union([Type.Integer(), Type.Null()]),
  spotsLeft: Type.Union([Type.Integer(), Type.Null()]),
  registrationOpen: Type.Boolean(),
});
export type PublicEvent = Static<typeof PublicEvent>;
export const PublicEventParams = Type.Object({ eventId: IdSchema('event') });

export const listEvents = defineRoute({
  id: 'events.list', method: 'GET', path: '/api/v1/orgs/:orgId/events', tag: 'Events', access: 'org:host',
  summary: 'Events of an organization (upcoming first by start time; past most recent first)', params: Type.Object({ orgId: IdSchema('org') }), query: EventListQuery, response: Page(Event),
});
export const createEvent = defineRoute({
  id: 'events.create', method: 'POST', path: '/api/v1/orgs/:orgId/events', tag: 'Events', access: 'org:host',
  summary: 'Schedule an event', params: Type.Object({ orgId: IdSchema('org') }), body: CreateEventBody, response: Event, successStatus: 201,
});
export const getEvent = defineRoute({
  id: 'events.get', method: 'GET', path: '/api/v1/orgs/:orgId/events/:eventId', tag: 'Events', access: 'org:host',
  summary: 'An event', params: EventParams, response: Event,
});
export const updateEvent = defineRoute({
  id: 'events.update', method: 'PATCH', path: '/api/v1/orgs/:orgId/events/:eventId', tag: 'Events', access: 'org:host',
  summary: 'Change an event (not once it has ended or was cancelled)', params: EventParams, body: UpdateEventBody, response: Event,
});
export const deleteEvent = defineRoute({
  id: 'events.delete', method: 'DELETE', path: '/api/v1/orgs/:orgId/events/:eventId', tag: 'Events', access: 'org:admin',
  summary: 'Delete an event and its registrations', params: EventParams, response: Ok,
});
export const changeEventStatus = defineRoute({
  id: 'events.changeStatus', method: 'POST', path: '/api/v1/orgs/:orgId/events/:eventId/status', tag: 'Events', access: 'org:host',
  summary: 'Start, end or cancel an event (cancelling emails the registrants)', params: EventParams, body: ChangeEventStatusBody, response: Event,
});
export const listInvitees = defineRoute({
  id: 'events.listInvitees', method: 'GET', path: '/api/v1/orgs/:orgId/events/:eventId/invitees', tag: 'Events', access: 'org:host',
  summary: 'Emails invited to an invitation-only event', params: EventParams, query: PageQuery, response: Page(Invitee),
});
export const addInvitees = defineRoute({
  id: 'events.addInvitees', method: 'POST', path: '/api/v1/orgs/:orgId/events/:eventId/invitees', tag: 'Events', access: 'org:host',
  summary: 'Invite emails to an event (each receives an email with the registration link)', params: EventParams, body: AddInviteesBody, response: Ok, successStatus: 201,
});
export const getPublicEvent = defineRoute({
  id: 'public.event', method: 'GET', path: '/api/v1/public/events/:eventId', tag: 'Public', access: 'public',
  summary: 'The public page of an event', params: PublicEventParams, response: PublicEvent,
});
