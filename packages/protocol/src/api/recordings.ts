/**
 * Recordings of live events: every published track as its own WebM file (no transcoding), a
 * timeline of what happened in the room (slides, board, chat, Q&A, polls, speakers, presence), a
 * composed MP4 made in the background, retention, and publishing through a link with a token.
 *
 * Hosts of the organization reach everything through the `org:host` routes (their session cookie
 * works in `<video src>`); anyone else only through the `public` routes with a valid publish token
 * in the query (`?token=`), which the host gets from `recordings.publish`.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Ok, Page, PageQuery, Timestamp } from '../common';
import { IdSchema } from '../ids';
import { ParticipantIdSchema } from '../signaling/common';
import { ChatMessage, Poll, Question, RoomDocName, StageState } from '../signaling/room-state';
import { defineRoute } from './route';
import { EventParams } from './events';

/** Where a recording is: being recorded, finalizing its files, ready to play, failed, or deleted by retention. */
export const RecordingStatus = Type.Union([
  Type.Literal('recording'), Type.Literal('processing'), Type.Literal('ready'), Type.Literal('failed'), Type.Literal('expired'),
]);
/** Where a recording is. */
export type RecordingStatus = Static<typeof RecordingStatus>;

/** The composed MP4: waiting for its job, being made, ready, or failed (with the reason). */
export const Mp4Status = Type.Union([Type.Literal('pending'), Type.Literal('running'), Type.Literal('ready'), Type.Literal('failed')]);
/** The composed MP4's state. */
export type Mp4Status = Static<typeof Mp4Status>;

/** What a track carried: microphone, camera, or screen share. */
export const RecordingTrackKind = Type.Union([Type.Literal('audio'), Type.Literal('video'), Type.Literal('screen')]);
/** What a track carried. */
export type RecordingTrackKind = Static<typeof RecordingTrackKind>;

/** One recorded track: a WebM file (VP8 or Opus as published; Matroska for H.264) starting `offsetMs` after the recording started. */
export const RecordingTrack = Type.Object({
  id: IdSchema('recordingTrack'),
  kind: RecordingTrackKind,
  participantId: ParticipantIdSchema,
  displayName: Type.String({ maxLength: 200 }),
  /** e.g. `video/VP8`, `audio/opus`. */
  codec: Type.String({ maxLength: 40 }),
  /** `video/webm` or `audio/webm` (VP8, Opus), `video/x-matroska` (H.264). */
  contentType: Type.String({ maxLength: 40 }),
  /** Start of the track's first frame, ms after the recording's start. */
  offsetMs: Type.Integer({ minimum: 0 }),
  durationMs: Type.Integer({ minimum: 0 }),
  size: Type.Integer({ minimum: 0 }),
  width: Type.Optional(Type.Integer({ minimum: 0 })),
  height: Type.Optional(Type.Integer({ minimum: 0 })),
  /** Packets the recorder dropped because writing fell behind (the live event never waits for it). */
  droppedPackets: Type.Integer({ minimum: 0 }),
});
/** One recorded track. */
export type RecordingTrack = Static<typeof RecordingTrack>;

/** The composed MP4's state and, while it is made, its progress (0–1). */
export const RecordingMp4 = Type.Object({
  status: Mp4Status,
  progress: Type.Number({ minimum: 0, maximum: 1 }),
  /** Why it failed, in plain words (e.g. "MP4 needs ffmpeg, which is not installed"). */
  error: Type.Union([Type.String(), Type.Null()]),
  size: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
});
/** The composed MP4's state. */
export type RecordingMp4 = Static<typeof RecordingMp4>;

/** A recording's publish link (absent when not published). */
export const RecordingPublication = Type.Object({
  /** The playback page's address with the token. */
  url: Type.String(),
  /** The token the public routes take as `?token=`. */
  token: Type.String(),
  /** When the link stops working (null: until unpublished). */
  expiresAt: Type.Union([Timestamp, Type.Null()]),
});
/** A recording's publish link. */
export type RecordingPublication = Static<typeof RecordingPublication>;

/** A recording with its tracks and MP4. */
export const Recording = Type.Object({
  id: IdSchema('recording'),
  orgId: IdSchema('org'),
  eventId: IdSchema('event'),
  eventTitle: Type.String(),
  status: RecordingStatus,
  startedAt: Timestamp,
  endedAt: Type.Union([Timestamp, Type.Null()]),
  durationMs: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  tracks: Type.Array(RecordingTrack),
  mp4: RecordingMp4,
  /** When retention deletes it (null: kept until deleted by hand). */
  expiresAt: Type.Union([Timestamp, Type.Null()]),
  /** Set when the recording is published (hosts only; public callers never see the token). */
  published: Type.Union([RecordingPublication, Type.Null()]),
  /** Why the recording failed, when it did. */
  error: Type.Union([Type.String(), Type.Null()]),
});
/** A recording with its tracks and MP4. */
export type Recording = Static<typeof Recording>;

// ---- the timeline ---------------------------------------------------------------------------

const At = Type.Integer({ minimum: 0, description: 'ms after the recording started' });
const Who = { participantId: ParticipantIdSchema, displayName: Type.String({ maxLength: 200 }) };

/**
 * One moment of the room. The first entry (`at` 0) is `initial`: the stage, who is there, who
 * speaks, and the board's content so far; the rest follow in time order.
 */
export const TimelineEntry = Type.Union([
  Type.Object({
    at: At, type: Type.Literal('initial'), stage: StageState,
    participants: Type.Array(Type.Object({ ...Who, role: Type.String() })),
    activeSpeaker: Type.Union([ParticipantIdSchema, Type.Null()]),
    /** Yjs state of the board (slide annotations and whiteboard) at the start, base64 (absent when empty). */
    board: Type.Optional(Type.String()),
  }),
  Type.Object({ at: At, type: Type.Literal('participant-joined'), ...Who, role: Type.String() }),
  Type.Object({ at: At, type: Type.Literal('participant-left'), participantId: ParticipantIdSchema }),
  Type.Object({ at: At, type: Type.Literal('active-speaker'), participantId: Type.Union([ParticipantIdSchema, Type.Null()]) }),
  /** Slide deck, page, whiteboard page or stage content changed. */
  Type.Object({ at: At, type: Type.Literal('stage'), stage: StageState }),
  /** An annotation or board stroke: a Yjs update to apply to the board (or notes) document, base64. */
  Type.Object({ at: At, type: Type.Literal('doc-update'), doc: RoomDocName, update: Type.String() }),
  Type.Object({ at: At, type: Type.Literal('pointer'), participantId: ParticipantIdSchema, x: Type.Number(), y: Type.Number(), visible: Type.Boolean() }),
  /** A public chat message (private ones are never recorded). */
  Type.Object({ at: At, type: Type.Literal('chat'), message: ChatMessage }),
  Type.Object({ at: At, type: Type.Literal('chat-deleted'), messageId: Type.String() }),
  /** A question was asked, voted, answered or dismissed (its state after the change; anonymous askers stay anonymous). */
  Type.Object({ at: At, type: Type.Literal('question'), question: Question }),
  /** A poll launched, closed or shared its results (as attendees saw it). */
  Type.Object({ at: At, type: Type.Literal('poll'), poll: Poll }),
  /** A recorded track starts or ends here. */
  Type.Object({ at: At, type: Type.Literal('track-started'), trackId: IdSchema('recordingTrack'), kind: RecordingTrackKind, participantId: ParticipantIdSchema }),
  Type.Object({ at: At, type: Type.Literal('track-ended'), trackId: IdSchema('recordingTrack') }),
]);
/** One moment of the room. */
export type TimelineEntry = Static<typeof TimelineEntry>;

/** The room's timeline over a recording. */
export const RecordingTimeline = Type.Object({
  recordingId: IdSchema('recording'),
  eventId: IdSchema('event'),
  startedAt: Timestamp,
  durationMs: Type.Integer({ minimum: 0 }),
  /** Entries in time order; `truncated` when the room produced more than the recorder keeps. */
  entries: Type.Array(TimelineEntry),
  truncated: Type.Boolean(),
});
/** The room's timeline over a recording. */
export type RecordingTimeline = Static<typeof RecordingTimeline>;

// ---- routes ---------------------------------------------------------------------------------

export const RecordingParams = Type.Object({ orgId: IdSchema('org'), recordingId: IdSchema('recording') });
export const RecordingTrackParams = Type.Object({ orgId: IdSchema('org'), recordingId: IdSchema('recording'), trackId: IdSchema('recordingTrack') });
export const PublicRecordingParams = Type.Object({ recordingId: IdSchema('recording') });
export const PublicRecordingTrackParams = Type.Object({ recordingId: IdSchema('recording'), trackId: IdSchema('recordingTrack') });
/** The publish token of a recording link. */
export const RecordingTokenQuery = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{20,200}$', description: 'the publish token of the link' }) });
export type RecordingTokenQuery = Static<typeof RecordingTokenQuery>;

export const RecordingListQuery = Type.Object({ ...PageQuery.properties, eventId: Type.Optional(IdSchema('event')) });
export const RecordingPage = Page(Recording);
export type RecordingPage = Static<typeof RecordingPage>;

/** Retention of one recording: a date, `null` to keep it until deleted by hand, or `default` for the organization's default from its start. */
export const RecordingRetentionBody = Type.Object({
  expiresAt: Type.Union([Timestamp, Type.Null(), Type.Literal('default')]),
});
export type RecordingRetentionBody = Static<typeof RecordingRetentionBody>;

/** Publishing: the link works until `expiresAt` (absent or null: until unpublished). Publishing again makes a new token. */
export const RecordingPublishBody = Type.Object({ expiresAt: Type.Optional(Type.Union([Timestamp, Type.Null()])) });
export type RecordingPublishBody = Static<typeof RecordingPublishBody>;

export const listRecordings = defineRoute({
  id: 'recordings.list', method: 'GET', path: '/api/v1/orgs/:orgId/recordings', tag: 'Recordings', access: 'org:host',
  summary: "The organization's recordings, newest first (of one event with `eventId`)", params: Type.Object({ orgId: IdSchema('org') }),
  query: RecordingListQuery, response: RecordingPage,
});
export const listEventRecordings = defineRoute({
  id: 'recordings.listEvent', method: 'GET', path: '/api/v1/orgs/:orgId/events/:eventId/recordings', tag: 'Recordings', access: 'org:host',
  summary: "An event's recordings, newest first", params: EventParams, query: PageQuery, response: RecordingPage,
});
export const getRecording = defineRoute({
  id: 'recordings.get', method: 'GET', path: '/api/v1/orgs/:orgId/recordings/:recordingId', tag: 'Recordings', access: 'org:host',
  summary: 'A recording with its tracks, the MP4 state and progress, retention and publication', params: RecordingParams, response: Recording,
});
export const recordingTimeline = defineRoute({
  id: 'recordings.timeline', method: 'GET', path: '/api/v1/orgs/:orgId/recordings/:recordingId/timeline', tag: 'Recordings', access: 'org:host',
  summary: "The room's timeline over the recording (JSON)", params: RecordingParams, response: RecordingTimeline,
});
export const recordingTrackContent = defineRoute({
  id: 'recordings.track', method: 'GET', path: '/api/v1/orgs/:orgId/recordings/:recordingId/tracks/:trackId/content', tag: 'Recordings', access: 'org:host',
  summary: "One track's WebM file (supports Range requests)", params: RecordingTrackParams, produces: 'video/webm',
});
export const recordingMp4Content = defineRoute({
  id: 'recordings.mp4', method: 'GET', path: '/api/v1/orgs/:orgId/recordings/:recordingId/mp4', tag: 'Recordings', access: 'org:host',
  summary: 'The composed MP4 (H.264/AAC; supports Range requests); RECORDING_NOT_READY until made', params: RecordingParams, produces: 'video/mp4',
});
export const composeRecordingMp4 = defineRoute({
  id: 'recordings.compose', method: 'POST', path: '/api/v1/orgs/:orgId/recordings/:recordingId/mp4', tag: 'Recordings', access: 'org:host',
  summary: 'Make the MP4 again (after a failure, e.g. once ffmpeg is installed)', params: RecordingParams, response: Recording, successStatus: 202,
});
export const deleteRecording = defineRoute({
  id: 'recordings.delete', method: 'DELETE', path: '/api/v1/orgs/:orgId/recordings/:recordingId', tag: 'Recordings', access: 'org:host',
  summary: 'Delete a recording and every file of it (not while it is being recorded)', params: RecordingParams, response: Ok,
});
export const setRecordingRetention = defineRoute({
  id: 'recordings.retention', method: 'PUT', path: '/api/v1/orgs/:orgId/recordings/:recordingId/retention', tag: 'Recordings', access: 'org:host',
  summary: 'When retention deletes the recording', params: RecordingParams, body: RecordingRetentionBody, response: Recording,
});
export const publishRecording = defineRoute({
  id: 'recordings.publish', method: 'POST', path: '/api/v1/orgs/:orgId/recordings/:recordingId/publish', tag: 'Recordings', access: 'org:host',
  summary: 'Publish the recording through a link with a token (optional expiry); a new token each time', params: RecordingParams,
  body: RecordingPublishBody, response: RecordingPublication,
});
export const unpublishRecording = defineRoute({
  id: 'recordings.unpublish', method: 'DELETE', path: '/api/v1/orgs/:orgId/recordings/:recordingId/publish', tag: 'Recordings', access: 'org:host',
  summary: 'Stop the publish link from working', params: RecordingParams, response: Ok,
});

export const publicRecording = defineRoute({
  id: 'recordings.public.get', method: 'GET', path: '/api/v1/recordings/:recordingId', tag: 'Recordings', access: 'public',
  summary: 'A published recording (with its publish token)', params: PublicRecordingParams, query: RecordingTokenQuery, response: Recording,
});
export const publicRecordingTimeline = defineRoute({
  id: 'recordings.public.timeline', method: 'GET', path: '/api/v1/recordings/:recordingId/timeline', tag: 'Recordings', access: 'public',
  summary: "A published recording's timeline", params: PublicRecordingParams, query: RecordingTokenQuery, response: RecordingTimeline,
});
export const publicRecordingTrack = defineRoute({
  id: 'recordings.public.track', method: 'GET', path: '/api/v1/recordings/:recordingId/tracks/:trackId/content', tag: 'Recordings', access: 'public',
  summary: "A published recording's track (WebM, Range)", params: PublicRecordingTrackParams, query: RecordingTokenQuery, produces: 'video/webm',
});
export const publicRecordingMp4 = defineRoute({
  id: 'recordings.public.mp4', method: 'GET', path: '/api/v1/recordings/:recordingId/mp4', tag: 'Recordings', access: 'public',
  summary: "A published recording's MP4 (Range)", params: PublicRecordingParams, query: RecordingTokenQuery, produces: 'video/mp4',
});
