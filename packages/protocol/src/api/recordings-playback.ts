/**
 * What the playback page of a published recording needs beyond recordings.ts: the slide decks its
 * timeline put on stage. Anyone with the recording's publish token gets a signed, expiring link to
 * a deck the timeline shows (no other file of the event).
 */
import { Type } from '@sinclair/typebox';
import { IdSchema } from '../ids';
import { FileLink } from './files';
import { RecordingTokenQuery } from './recordings';
import { defineRoute } from './route';

export const PublicRecordingFileParams = Type.Object({ recordingId: IdSchema('recording'), fileId: IdSchema('file') });

export const publicRecordingSlideLink = defineRoute({
  id: 'recordings.public.slideLink', method: 'GET', path: '/api/v1/recordings/:recordingId/files/:fileId/link', tag: 'Recordings', access: 'public',
  summary: "A signed link to a slide deck a published recording's timeline shows (valid for one hour)",
  params: PublicRecordingFileParams, query: RecordingTokenQuery, response: FileLink,
});
