/** GDPR routes: data-subject requests (access, erasure), consent withdrawal, retention, the audit log, data location. */
import { Type, type Static } from '@sinclair/typebox';
import { Email, Ok } from '../common';
import { IdSchema } from '../ids';
import { defineRoute } from './route';

const OrgParams = Type.Object({ orgId: IdSchema('org') });

/** Whose data a request is about. */
export const SubjectBody = Type.Object({ email: Email });
export type SubjectBody = Static<typeof SubjectBody>;

/** What an erasure did. */
export const ErasureResult = Type.Object({
  /** False when nothing was stored for the address (nothing changed). */
  found: Type.Boolean(),
  /** The pseudonymous reference the audit log keeps instead of the email. */
  subjectRef: Type.String(),
  /** Rows erased or pseudonymized, by table. */
  counts: Type.Record(Type.String(), Type.Integer()),
  /** Recordings the person appears in, flagged for the host to cut or delete. */
  recordingsFlagged: Type.Integer(),
});
export type ErasureResult = Static<typeof ErasureResult>;

export const RETENTION_DATA_CLASSES = ['registrations', 'chat', 'attendance', 'recordings', 'ip_addresses', 'audit_log'] as const;
const Days = Type.Integer({ minimum: 1, maximum: 36_500 });
/** Days each data class is kept. */
export const RetentionSettings = Type.Object(Object.fromEntries(RETENTION_DATA_CLASSES.map((c) => [c, Days])) as Record<(typeof RETENTION_DATA_CLASSES)[number], typeof Days>);
export type RetentionSettings = Static<typeof RetentionSettings>;
/** Some of the classes, to change. */
export const RetentionPatch = Type.Partial(RetentionSettings, { minProperties: 1 });

/** Where an organization's data lives. */
export const DataLocation = Type.Object({
  orgId: IdSchema('org'),
  dataRegion: Type.String(),
  jurisdiction: Type.String(),
  sql: Type.Object({ kind: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]), location: Type.String() }),
  blobStores: Type.Array(Type.Object({ id: Type.String(), region: Type.String(), jurisdiction: Type.String(), encrypted: Type.Boolean() })),
  media: Type.Object({ placement: Type.String() }),
});
export type DataLocation = Static<typeof DataLocation>;

export const CONSENT_KINDS = ['registration', 'recording', 'marketing'] as const;
export const ConsentKind = Type.Union(CONSENT_KINDS.map((k) => Type.Literal(k)));
export type ConsentKind = Static<typeof ConsentKind>;

export const requestAccess = defineRoute({
  id: 'privacy.requestAccess', method: 'POST', path: '/api/v1/privacy/access-requests', tag: 'Privacy', access: 'public', rateLimited: true,
  summary: 'Ask for a copy of your data: a one-time download link is emailed when data is held for the address (always 202)',
  body: SubjectBody, response: Ok, successStatus: 202,
});
export const downloadAccess = defineRoute({
  id: 'privacy.downloadAccess', method: 'GET', path: '/api/v1/privacy/access-requests/export', tag: 'Privacy', access: 'public',
  summary: 'Download your data (ZIP, streamed) with the emailed one-time link', query: Type.Object({ token: Type.String({ minLength: 20, maxLength: 200 }) }),
  produces: 'application/zip',
});
export const exportOrgSubject = defineRoute({
  id: 'privacy.exportOrgSubject', method: 'POST', path: '/api/v1/orgs/:orgId/privacy/export', tag: 'Privacy', access: 'org:admin',
  summary: "A person's data in this organization, for them (ZIP, streamed; audited)", params: OrgParams, body: SubjectBody, produces: 'application/zip',
});
export const eraseOrgSubject = defineRoute({
  id: 'privacy.eraseOrgSubject', method: 'POST', path: '/api/v1/orgs/:orgId/privacy/erase', tag: 'Privacy', access: 'org:admin',
  summary: "Erase a person's data in this organization (audited; cannot be undone)", params: OrgParams, body: SubjectBody, response: ErasureResult,
});
export const exportAnySubject = defineRoute({
  id: 'privacy.exportAnySubject', method: 'POST', path: '/api/v1/admin/privacy/export', tag: 'Privacy', access: 'instance-admin',
  summary: "A person's data in the whole installation, account included (ZIP, streamed; audited)", body: SubjectBody, produces: 'application/zip',
});
export const eraseAnySubject = defineRoute({
  id: 'privacy.eraseAnySubject', method: 'POST', path: '/api/v1/admin/privacy/erase', tag: 'Privacy', access: 'instance-admin',
  summary: "Erase a person everywhere, account included (audited; cannot be undone)", body: SubjectBody, response: ErasureResult,
});
export const orgAuditLog = defineRoute({
  id: 'privacy.orgAuditLog', method: 'GET', path: '/api/v1/orgs/:orgId/privacy/audit', tag: 'Privacy', access: 'org:admin',
  summary: "The organization's audit log of personal-data processing (NDJSON, oldest first)", params: OrgParams, produces: 'application/x-ndjson',
});
export const anyAuditLog = defineRoute({
  id: 'privacy.anyAuditLog', method: 'GET', path: '/api/v1/admin/privacy/audit', tag: 'Privacy', access: 'instance-admin',
  summary: 'The whole audit log with its hash chain (NDJSON, oldest first)', produces: 'application/x-ndjson',
});
export const getRetention = defineRoute({
  id: 'privacy.getRetention', method: 'GET', path: '/api/v1/orgs/:orgId/privacy/retention', tag: 'Privacy', access: 'org:admin',
  summary: 'How many days each data class is kept', params: OrgParams, response: RetentionSettings,
});
export const setRetention = defineRoute({
  id: 'privacy.setRetention', method: 'PATCH', path: '/api/v1/orgs/:orgId/privacy/retention', tag: 'Privacy', access: 'org:owner',
  summary: 'Change how long data classes are kept', params: OrgParams, body: RetentionPatch, response: RetentionSettings,
});
export const dataLocation = defineRoute({
  id: 'privacy.dataLocation', method: 'GET', path: '/api/v1/orgs/:orgId/privacy/data-location', tag: 'Privacy', access: 'org:admin',
  summary: "Where the organization's data lives: SQL store, blob stores, media placement", params: OrgParams, response: DataLocation,
});
export const withdrawConsent = defineRoute({
  id: 'privacy.withdrawConsent', method: 'POST', path: '/api/v1/public/consent/withdraw', tag: 'Privacy', access: 'public',
  summary: 'Withdraw a consent with your join link (recorded and audited)',
  body: Type.Object({ token: Type.String({ minLength: 20, maxLength: 2000 }), kind: ConsentKind }), response: Ok,
});
export const acceptConsent = defineRoute({
  id: 'privacy.acceptConsent', method: 'POST', path: '/api/v1/public/consent/accept', tag: 'Privacy', access: 'public',
  summary: 'Accept a consent (e.g. to be recorded) with your join link: stored with its time and version',
  body: Type.Object({ token: Type.String({ minLength: 20, maxLength: 2000 }), kind: ConsentKind, version: Type.Integer({ minimum: 0, maximum: 1_000_000 }) }), response: Ok,
});

/** A recording an erased person appears in, waiting for the host's decision. */
export const RecordingErasureFlag = Type.Object({
  recordingId: IdSchema('recording'),
  eventId: IdSchema('event'),
  /** The erased person's pseudonymous reference. */
  subjectRef: Type.String(),
  flaggedAt: Type.String({ format: 'date-time' }),
});
export type RecordingErasureFlag = Static<typeof RecordingErasureFlag>;

export const listRecordingFlags = defineRoute({
  id: 'privacy.listRecordingFlags', method: 'GET', path: '/api/v1/orgs/:orgId/privacy/recording-flags', tag: 'Privacy', access: 'org:host',
  summary: 'Recordings in which an erased person appears, for the host to cut or delete', params: OrgParams, response: Type.Array(RecordingErasureFlag),
});
export const resolveRecordingFlag = defineRoute({
  id: 'privacy.resolveRecordingFlag', method: 'POST', path: '/api/v1/orgs/:orgId/privacy/recording-flags/:recordingId', tag: 'Privacy', access: 'org:host',
  summary: "Record the host's decision on a flagged recording (cut, deleted, or kept with a reason of their own); audited",
  params: Type.Object({ orgId: IdSchema('org'), recordingId: IdSchema('recording') }),
  body: Type.Object({ resolution: Type.Union([Type.Literal('cut'), Type.Literal('deleted'), Type.Literal('kept')]) }), response: Ok,
});
