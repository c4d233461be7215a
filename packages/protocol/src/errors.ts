import { Type, type Static } from '@sinclair/typebox';

/** Every error Podium sends, with its HTTP status and default message. One registry for all processes. */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, message: 'The request is not valid.' },
  BAD_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'The request body must be JSON.' },
  UNAUTHENTICATED: { status: 401, message: 'Sign in or provide a valid API key.' },
  INVALID_CREDENTIALS: { status: 401, message: 'The email or password is wrong.' },
  FORBIDDEN: { status: 403, message: 'You are not allowed to do this.' },
  CSRF_FAILED: { status: 403, message: 'The request is missing a valid CSRF token.' },
  NOT_FOUND: { status: 404, message: 'Nothing here.' },
  ROUTE_NOT_FOUND: { status: 404, message: 'This API route does not exist.' },
  METHOD_NOT_ALLOWED: { status: 405, message: 'This method is not allowed here.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests; try again later.' },
  SETUP_ALREADY_DONE: { status: 409, message: 'This Podium instance is already set up.' },
  SETUP_REQUIRED: { status: 409, message: 'Create the first organization and owner first.' },
  EMAIL_TAKEN: { status: 409, message: 'An account with this email already exists.' },
  WEAK_PASSWORD: { status: 400, message: 'The password is too weak: use at least 10 characters.' },
  TOKEN_INVALID: { status: 400, message: 'This link is invalid or has expired.' },
  ORG_NOT_FOUND: { status: 404, message: 'Organization not found.' },
  SLUG_TAKEN: { status: 409, message: 'This address is already taken.' },
  MEMBER_NOT_FOUND: { status: 404, message: 'Member not found.' },
  ALREADY_MEMBER: { status: 409, message: 'This person is already a member.' },
  LAST_OWNER: { status: 409, message: 'An organization must keep at least one owner.' },
  INVITATION_NOT_FOUND: { status: 404, message: 'Invitation not found or expired.' },
  API_KEY_NOT_FOUND: { status: 404, message: 'API key not found.' },
  EVENT_NOT_FOUND: { status: 404, message: 'Event not found.' },
  EVENT_NOT_EDITABLE: { status: 409, message: 'This event can no longer be changed.' },
  INVALID_STATUS_TRANSITION: { status: 409, message: 'The event cannot move to this status.' },
  REGISTRATION_CLOSED: { status: 409, message: 'Registration for this event is closed.' },
  REGISTRATION_NOT_FOUND: { status: 404, message: 'Registration not found.' },
  ALREADY_REGISTERED: { status: 409, message: 'This email is already registered for the event.' },
  EVENT_FULL: { status: 409, message: 'The event is full.' },
  EVENT_PASSWORD_REQUIRED: { status: 403, message: 'This event needs a password.' },
  NOT_INVITED: { status: 403, message: 'This event is by invitation only.' },
  CONSENT_REQUIRED: { status: 400, message: 'Accept the consent text to register.' },
  CONSENT_OUTDATED: { status: 409, message: 'The consent text changed; read it again and accept the new version.' },
  RECORDING_CONSENT_REQUIRED: { status: 403, message: 'This event is recorded: agree to the recording before you enter.' },
  OUTBOX_MESSAGE_NOT_FOUND: { status: 404, message: 'Message not found.' },
  INTERNAL: { status: 500, message: 'Something went wrong on our side.' },
  INVITATION_EMAIL_MISMATCH: { status: 403, message: 'This invitation is for another email address: sign in with that address.' },
  SIGNAL_UNKNOWN_TYPE: { status: 400, message: 'This message type is not known.' },
  SIGNAL_TOO_LARGE: { status: 413, message: 'The message is too large.' },
  SIGNAL_RATE_LIMITED: { status: 429, message: 'Too many messages; slow down.' },
  SIGNAL_OUT_OF_ORDER: { status: 409, message: 'This message is not expected now: say hello first, once.' },
  PROTOCOL_VERSION_UNSUPPORTED: { status: 400, message: 'This client speaks a protocol version the server does not support.' },
  NOT_JOINED: { status: 409, message: 'Join the room first.' },
  ALREADY_JOINED: { status: 409, message: 'This connection has already joined a room.' },
  ROOM_FULL: { status: 409, message: 'The room is full.' },
  SERVER_BUSY: { status: 503, message: 'The server is at capacity; try again later.' },
  EVENT_NOT_LIVE: { status: 409, message: 'The event has not started yet.' },
  EVENT_ENDED: { status: 410, message: 'The event has ended.' },
  EVENT_CANCELLED: { status: 410, message: 'The event was cancelled.' },
  MEDIA_UNAVAILABLE: { status: 503, message: 'The media plane is not connected.' },
  ORIGIN_NOT_ALLOWED: { status: 403, message: 'Connections from this origin are not allowed.' },
  ROOM_LOCKED: { status: 403, message: 'The room is locked: no newcomers are let in now.' },
  BANNED: { status: 403, message: 'You were removed from this event and cannot join it again.' },
  EVENT_PASSWORD_WRONG: { status: 403, message: 'The event password is wrong.' },
  NOT_ADMITTED: { status: 409, message: 'You are waiting in the lobby until a host lets you in.' },
  PARTICIPANT_NOT_FOUND: { status: 404, message: 'This participant is not in the room.' },
  CHAT_DISABLED: { status: 409, message: 'The chat is turned off.' },
  CHAT_MUTED: { status: 403, message: 'A host has stopped your chat messages.' },
  MESSAGE_NOT_FOUND: { status: 404, message: 'Message not found.' },
  QA_DISABLED: { status: 409, message: 'Questions are turned off.' },
  QUESTION_NOT_FOUND: { status: 404, message: 'Question not found.' },
  POLL_NOT_FOUND: { status: 404, message: 'Poll not found.' },
  POLL_NOT_LIVE: { status: 409, message: 'This poll is not open for votes.' },
  POLL_ALREADY_VOTED: { status: 409, message: 'You have already voted in this poll.' },
  POLL_ALREADY_LAUNCHED: { status: 409, message: 'This poll was already launched.' },
  REACTIONS_DISABLED: { status: 409, message: 'Reactions are turned off.' },
  CAMERA_LIMIT: { status: 409, message: 'The room has as many cameras on as it allows.' },
  DOC_TOO_LARGE: { status: 413, message: 'The document is too large.' },
  DOC_INVALID: { status: 400, message: 'The document update cannot be read.' },
  DOC_READ_ONLY: { status: 403, message: 'You may not edit this document.' },
  EVENT_NOT_STARTED: { status: 409, message: 'Start the event first.' },
  FILE_NOT_FOUND: { status: 404, message: 'File not found.' },
  FILE_TYPE_NOT_ALLOWED: { status: 415, message: 'This kind of file is not accepted here.' },
  FILE_INVALID: { status: 422, message: 'The file is damaged or cannot be read safely.' },
  FILE_LIMIT_REACHED: { status: 409, message: 'This event already has as many files as it may hold.' },
  FILE_LINK_INVALID: { status: 403, message: 'This file link is not valid.' },
  FILE_LINK_EXPIRED: { status: 403, message: 'This file link has expired.' },
  RANGE_NOT_SATISFIABLE: { status: 416, message: 'The requested range is outside the file.' },
  FILE_QUOTA_EXCEEDED: { status: 409, message: "This file would take the organization past its storage quota." },
  STORAGE_JURISDICTION: { status: 409, message: "No storage allowed for this organization's data region is configured, so the data is not stored." },
  STORAGE_UNAVAILABLE: { status: 503, message: "The storage for this organization's data region is unavailable; nothing was stored." },
  RECORDING_NOT_FOUND: { status: 404, message: 'Recording not found.' },
  RECORDING_ACTIVE: { status: 409, message: 'The room is already being recorded.' },
  RECORDING_NOT_ACTIVE: { status: 409, message: 'The room is not being recorded.' },
  RECORDING_NOT_READY: { status: 409, message: 'This part of the recording is not ready yet.' },
  RECORDING_LINK_INVALID: { status: 403, message: 'This recording link is not valid or has expired.' },
} as const satisfies Record<string, { status: number; message: string }>;

/** A code from the error registry. */
export type ErrorCode = keyof typeof ERRORS;

/** All error codes, for docs and tests. */
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

/** The body of every error response: `{ code, message, details? }`. */
export const ErrorBody = Type.Object(
  {
    code: Type.String({ description: 'A code from the error registry, e.g. EVENT_NOT_FOUND.' }),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  },
  { $id: 'ErrorBody', title: 'ErrorBody' },
);
/** The body of every error response. */
export type ErrorBody = Static<typeof ErrorBody>;

/** One field that failed validation, as listed in `details.issues`. */
export interface ValidationIssue {
  /** JSON pointer into the request part, e.g. `/body/email`. */
  path: string;
  message: string;
}

/** An error carrying a registry code; thrown by services, turned into a response at the edge. */
export class PodiumError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;
  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? ERRORS[code].message);
    this.name = 'PodiumError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
  }
  /** The wire form of this error. */
  toBody(): ErrorBody {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}
