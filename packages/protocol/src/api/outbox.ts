import { Type, type Static } from '@sinclair/typebox';
import { Page, PageQuery, Timestamp } from '../common';
import { IdSchema } from '../ids';
import { defineRoute } from './route';

export const MAIL_STATUSES = ['queued', 'sent', 'failed', 'stored'] as const;
/** queued: waiting for SMTP; sent: accepted by SMTP; failed: gave up; stored: no SMTP configured, kept in the outbox only. */
export const MailStatus = Type.Union(MAIL_STATUSES.map((s) => Type.Literal(s)));
export type MailStatus = Static<typeof MailStatus>;

export const MailAttachmentInfo = Type.Object({ filename: Type.String(), contentType: Type.String(), size: Type.Integer() });

export const OutboxMessage = Type.Object({
  id: IdSchema('mail'),
  orgId: Type.Union([IdSchema('org'), Type.Null()]),
  to: Type.String(),
  subject: Type.String(),
  status: MailStatus,
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  sentAt: Type.Union([Timestamp, Type.Null()]),
  attachments: Type.Array(MailAttachmentInfo),
});
export type OutboxMessage = Static<typeof OutboxMessage>;

export const OutboxMessageDetail = Type.Object({
  ...OutboxMessage.properties,
  text: Type.String(),
  html: Type.Union([Type.String(), Type.Null()]),
});
export type OutboxMessageDetail = Static<typeof OutboxMessageDetail>;

export const listOrgOutbox = defineRoute({
  id: 'outbox.listOrg', method: 'GET', path: '/api/v1/orgs/:orgId/outbox', tag: 'Outbox', access: 'org:admin',
  summary: 'Emails sent on behalf of an organization, newest first', params: Type.Object({ orgId: IdSchema('org') }), query: PageQuery, response: Page(OutboxMessage),
});
export const getOrgOutboxMessage = defineRoute({
  id: 'outbox.getOrg', method: 'GET', path: '/api/v1/orgs/:orgId/outbox/:mailId', tag: 'Outbox', access: 'org:admin',
  summary: 'One email with its body', params: Type.Object({ orgId: IdSchema('org'), mailId: IdSchema('mail') }), response: OutboxMessageDetail,
});
export const listAllOutbox = defineRoute({
  id: 'outbox.listAll', method: 'GET', path: '/api/v1/admin/outbox', tag: 'Outbox', access: 'instance-admin',
  summary: 'Every email of this installation (account emails included), newest first', query: PageQuery, response: Page(OutboxMessage),
});
export const getAnyOutboxMessage = defineRoute({
  id: 'outbox.getAny', method: 'GET', path: '/api/v1/admin/outbox/:mailId', tag: 'Outbox', access: 'instance-admin',
  summary: 'One email of this installation with its body', params: Type.Object({ mailId: IdSchema('mail') }), response: OutboxMessageDetail,
});
