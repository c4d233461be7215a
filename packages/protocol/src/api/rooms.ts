/**
 * REST routes around the live room: polls prepared before the event, room settings kept with the
 * event, and the attendance and engagement report (with the event's audit trail) afterwards.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Ok, Timestamp } from '../common';
import { IdSchema } from '../ids';
import { defineRoute } from './route';
import { EventParams } from './events';
import { JoinRole } from './registrations';
import { Poll, PollDraft, RoomSettings } from '../signaling/room-state';

export const PollParams = Type.Object({ orgId: IdSchema('org'), eventId: IdSchema('event'), pollId: IdSchema('poll') });

/** The event's polls in creation order (drafts, live, closed), with results. */
export const PollList = Type.Object({ items: Type.Array(Poll) });
export type PollList = Static<typeof PollList>;

export const listPolls = defineRoute({
  id: 'polls.list', method: 'GET', path: '/api/v1/orgs/:orgId/events/:eventId/polls', tag: 'Rooms', access: 'org:host',
  summary: 'The event\'s polls (prepared, live and closed) with their results', params: EventParams, response: PollList,
});
export const createPoll = defineRoute({
  id: 'polls.create', method: 'POST', path: '/api/v1/orgs/:orgId/events/:eventId/polls', tag: 'Rooms', access: 'org:host',
  summary: 'Prepare a poll to launch during the event', params: EventParams, body: PollDraft, response: Poll, successStatus: 201,
});
export const updatePoll = defineRoute({
  id: 'polls.update', method: 'PUT', path: '/api/v1/orgs/:orgId/events/:eventId/polls/:pollId', tag: 'Rooms', access: 'org:host',
  summary: 'Change a prepared poll (not once launched)', params: PollParams, body: PollDraft, response: Poll,
});
export const deletePoll = defineRoute({
  id: 'polls.delete', method: 'DELETE', path: '/api/v1/orgs/:orgId/events/:eventId/polls/:pollId', tag: 'Rooms', access: 'org:host',
  summary: 'Delete a prepared poll (not once launched)', params: PollParams, response: Ok,
});

export const getRoomSettings = defineRoute({
  id: 'rooms.settings.get', method: 'GET', path: '/api/v1/orgs/:orgId/events/:eventId/room-settings', tag: 'Rooms', access: 'org:host',
  summary: 'How the event\'s room runs (chat, Q&A, waiting room, layout…)', params: EventParams, response: RoomSettings,
});
export const updateRoomSettings = defineRoute({
  id: 'rooms.settings.update', method: 'PATCH', path: '/api/v1/orgs/:orgId/events/:eventId/room-settings', tag: 'Rooms', access: 'org:host',
  summary: 'Change how the event\'s room runs (also while it is live)', params: EventParams,
  body: Type.Partial(RoomSettings, { minProperties: 1 }), response: RoomSettings,
});

/** One person's attendance and engagement. */
export const AttendanceRow = Type.Object({
  /** The registration or user behind the join link. */
  personId: Type.String(),
  name: Type.String(),
  role: JoinRole,
  firstJoinedAt: Timestamp,
  lastLeftAt: Type.Union([Timestamp, Type.Null()]),
  /** Minutes in the room (overlapping connections counted once). */
  minutes: Type.Number({ minimum: 0 }),
  /** Separate stays (a reconnect after a break is a new one). */
  sessions: Type.Integer({ minimum: 0 }),
  chatMessages: Type.Integer({ minimum: 0 }),
  questions: Type.Integer({ minimum: 0 }),
  pollAnswers: Type.Integer({ minimum: 0 }),
});
export type AttendanceRow = Static<typeof AttendanceRow>;

/** One entry of the event's audit trail (moderation, lifecycle, settings). */
export const AuditEntry = Type.Object({
  at: Timestamp,
  actor: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  target: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
});
export type AuditEntry = Static<typeof AuditEntry>;

/** The attendance and engagement report of an event. */
export const AttendanceReport = Type.Object({
  eventId: IdSchema('event'),
  title: Type.String(),
  startedAt: Type.Union([Timestamp, Type.Null()]),
  endedAt: Type.Union([Timestamp, Type.Null()]),
  summary: Type.Object({
    people: Type.Integer({ minimum: 0 }),
    attendees: Type.Integer({ minimum: 0 }),
    peakConcurrent: Type.Integer({ minimum: 0 }),
    averageMinutes: Type.Number({ minimum: 0 }),
    chatMessages: Type.Integer({ minimum: 0 }),
    questions: Type.Integer({ minimum: 0 }),
    pollAnswers: Type.Integer({ minimum: 0 }),
  }),
  people: Type.Array(AttendanceRow),
  polls: Type.Array(Poll),
  audit: Type.Array(AuditEntry),
});
export type AttendanceReport = Static<typeof AttendanceReport>;

export const getAttendanceReport = defineRoute({
  id: 'rooms.report', method: 'GET', path: '/api/v1/orgs/:orgId/events/:eventId/report', tag: 'Rooms', access: 'org:host',
  summary: 'Attendance and engagement (time attended, chat, questions, poll answers), poll results and the audit trail',
  params: EventParams, response: AttendanceReport,
});
export const exportAttendanceReport = defineRoute({
  id: 'rooms.report.csv', method: 'GET', path: '/api/v1/orgs/:orgId/events/:eventId/report.csv', tag: 'Rooms', access: 'org:host',
  summary: 'The attendance and engagement report as CSV (one row per person)', params: EventParams, produces: 'text/csv',
});
