/**
 * Files attached to an event: slides (shown on stage, rendered by every client) and handouts
 * (downloaded by attendees). The server decides a file's type from its bytes, never from its name
 * or the request's Content-Type, and hands files out only through signed, expiring links.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Ok, PageQuery, Timestamp } from '../common';
import { IdSchema } from '../ids';
import { RoomFile } from '../signaling/room-state';
import { defineRoute } from './route';

export const FILE_PURPOSES = ['slides', 'handout'] as const;
/** slides: shown on stage (PDF or an image); handout: for attendees to download. */
export type FilePurpose = (typeof FILE_PURPOSES)[number];
export const FilePurpose = Type.Union(FILE_PURPOSES.map((p) => Type.Literal(p)));

/** Content types a slide deck may have. */
export const SLIDE_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
/** Office documents recognised inside their ZIP container (OOXML and OpenDocument). */
export const OFFICE_TYPES = [
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
] as const;
/** Plain text kinds; the bytes prove text, the name's extension picks which of these (all are inert). */
export const TEXT_TYPES = ['text/plain', 'text/csv', 'text/markdown'] as const;
/** Content types a handout may have. */
export const HANDOUT_TYPES = [...SLIDE_TYPES, ...OFFICE_TYPES, ...TEXT_TYPES] as const;
/** A content type Podium stores. */
export type FileContentType = (typeof HANDOUT_TYPES)[number];

/** Content types accepted per purpose. */
export const FILE_TYPES: Record<FilePurpose, readonly FileContentType[]> = { slides: SLIDE_TYPES, handout: HANDOUT_TYPES };

/** The `accept` list a file picker offers per purpose: a hint for people, not a check (the server sniffs). */
export const FILE_PICKER_ACCEPT: Record<FilePurpose, string> = {
  slides: '.pdf,.png,.jpg,.jpeg,.gif,.webp,application/pdf,image/png,image/jpeg,image/gif,image/webp',
  handout: '.pdf,.png,.jpg,.jpeg,.gif,.webp,.docx,.xlsx,.pptx,.odt,.ods,.odp,.txt,.csv,.md,.markdown',
};

/** Why an upload was refused as FILE_INVALID (`details.reason`), so clients can say what is wrong. */
export const FILE_INVALID_REASONS = [
  'empty', 'truncated', 'broken', 'encrypted', 'too-many-pages', 'page-too-large', 'image-too-large', 'too-complex',
] as const;
/** Why an upload was refused as FILE_INVALID. */
export type FileInvalidReason = (typeof FILE_INVALID_REASONS)[number];

/** A file name as sent by a client: any text without control characters (the server keeps its last path segment). */
export const FileName = Type.String({ minLength: 1, maxLength: 255, pattern: '^[^\\u0000-\\u001F\\u007F]+$', description: 'the file name, e.g. slides.pdf' });

export const EventFilesParams = Type.Object({ orgId: IdSchema('org'), eventId: IdSchema('event') });
export const EventFileParams = Type.Object({ orgId: IdSchema('org'), eventId: IdSchema('event'), fileId: IdSchema('file') });

export const UploadFileQuery = Type.Object({ purpose: FilePurpose, name: FileName });
export type UploadFileQuery = Static<typeof UploadFileQuery>;

/** What an organization's files take, against its file library quota (limitBytes null: no limit). */
export const FileUsage = Type.Object({
  usedBytes: Type.Integer({ minimum: 0 }),
  limitBytes: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
});
export type FileUsage = Static<typeof FileUsage>;

/** A page of an event's files, oldest first, with the upload size limit so clients can refuse bigger files before sending, and the organization's quota usage. */
export const EventFilePage = Type.Object({
  items: Type.Array(RoomFile),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  maxUploadBytes: Type.Integer({ minimum: 1 }),
  usage: Type.Optional(FileUsage),
});
export type EventFilePage = Static<typeof EventFilePage>;

/** A signed download link; anyone holding it may download the file until it expires. */
export const FileLink = Type.Object({ url: Type.String(), expiresAt: Timestamp });
export type FileLink = Static<typeof FileLink>;

export const FileContentParams = Type.Object({ fileId: IdSchema('file') });
export const FileContentQuery = Type.Object({
  exp: Type.Integer({ minimum: 0, maximum: 99_999_999_999, description: 'expiry, seconds since the epoch' }),
  sig: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'signature of the link' }),
});
export type FileContentQuery = Static<typeof FileContentQuery>;

export const uploadFile = defineRoute({
  id: 'files.upload', method: 'POST', path: '/api/v1/orgs/:orgId/events/:eventId/files', tag: 'Files', access: 'org:host',
  summary: 'Attach slides or a handout to an event: the request body is the file itself (any Content-Type; the type is decided from the bytes)',
  params: EventFilesParams, query: UploadFileQuery, rawBody: true, response: RoomFile, successStatus: 201,
});
export const listFiles = defineRoute({
  id: 'files.list', method: 'GET', path: '/api/v1/orgs/:orgId/events/:eventId/files', tag: 'Files', access: 'org:host',
  summary: "An event's slides and handouts, oldest first", params: EventFilesParams, query: PageQuery, response: EventFilePage,
});
export const deleteFile = defineRoute({
  id: 'files.delete', method: 'DELETE', path: '/api/v1/orgs/:orgId/events/:eventId/files/:fileId', tag: 'Files', access: 'org:host',
  summary: 'Remove a file from an event (its stored bytes are deleted)', params: EventFileParams, response: Ok,
});
export const fileLink = defineRoute({
  id: 'files.link', method: 'POST', path: '/api/v1/orgs/:orgId/events/:eventId/files/:fileId/link', tag: 'Files', access: 'org:host',
  summary: 'A signed download link for a file, valid for one hour', params: EventFileParams, response: FileLink,
});
export const fileContent = defineRoute({
  id: 'files.content', method: 'GET', path: '/api/v1/files/:fileId/content', tag: 'Files', access: 'public',
  summary: 'The bytes of a file, through a signed link (supports Range requests)',
  params: FileContentParams, query: FileContentQuery, produces: 'application/octet-stream',
});
