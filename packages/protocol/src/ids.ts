import { Type, type TString } from '@sinclair/typebox';

/** Prefixes of Podium's branded ids. */
export const ID_PREFIXES = {
  user: 'usr',
  org: 'org',
  event: 'evt',
  registration: 'reg',
  invitation: 'inv',
  apiKey: 'key',
  mail: 'mail',
  job: 'job',
  participant: 'prt',
  chatMessage: 'msg',
  question: 'qst',
  poll: 'pol',
  file: 'fil',
  attendance: 'att',
  audit: 'aud',
  recording: 'rec',
  recordingTrack: 'rtk',
} as const;

/** Kinds of branded id. */
export type IdKind = keyof typeof ID_PREFIXES;
type Brand<K extends IdKind> = string & { readonly __brand: K };

export type UserId = Brand<'user'>;
export type OrgId = Brand<'org'>;
export type EventId = Brand<'event'>;
export type RegistrationId = Brand<'registration'>;
export type InvitationId = Brand<'invitation'>;
export type ApiKeyId = Brand<'apiKey'>;
export type MailId = Brand<'mail'>;
export type JobId = Brand<'job'>;
export type ParticipantId = Brand<'participant'>;
export type ChatMessageId = Brand<'chatMessage'>;
export type QuestionId = Brand<'question'>;
export type PollId = Brand<'poll'>;
export type FileId = Brand<'file'>;
export type RecordingId = Brand<'recording'>;
export type RecordingTrackId = Brand<'recordingTrack'>;

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const BODY_LENGTH = 20;

/** The regular expression an id of this kind matches. */
export function idPattern(kind: IdKind): string {
  return `^${ID_PREFIXES[kind]}_[0-9a-z]{${BODY_LENGTH}}$`;
}

/** True when `value` is a well-formed id of this kind. */
export function isId(kind: IdKind, value: unknown): boolean {
  return typeof value === 'string' && new RegExp(idPattern(kind)).test(value);
}

/** A new random id of this kind (about 103 bits of randomness). */
export function newId<K extends IdKind>(kind: K): Brand<K> {
  let body = '';
  const bytes = new Uint8Array(BODY_LENGTH * 2);
  while (body.length < BODY_LENGTH) {
    globalThis.crypto.getRandomValues(bytes);
    // 252 = 7 * 36: dropping bytes at or above it keeps every character equally likely.
    for (const b of bytes) if (b < 252 && body.length < BODY_LENGTH) body += ALPHABET[b % 36];
  }
  return `${ID_PREFIXES[kind]}_${body}` as Brand<K>;
}

/** A schema for an id of this kind. */
export function IdSchema(kind: IdKind, description?: string): TString {
  return Type.String({ pattern: idPattern(kind), description: description ?? `${kind} id (${ID_PREFIXES[kind]}_…)` });
}
