import { PodiumError, type MailId, type OrgId, type OutboxMessage, type OutboxMessageDetail, type PageOf } from '@podium/protocol';
import type { SqlRunner } from '../storage/sql';
import { decodeCursor, slicePage } from '../http/pagination';
import { attachmentsOf } from './jobs';

interface OutboxRow {
  id: MailId;
  org_id: OrgId | null;
  to_address: string;
  subject: string;
  status: OutboxMessage['status'];
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
  attachments: unknown;
  /** created_at at full (microsecond) precision: a millisecond Date would skip rows at page edges. */
  created_key: string;
  text_body?: string;
  html_body?: string | null;
}

const COLUMNS = `id, org_id, to_address, subject, status, attempts, last_error, created_at, sent_at, attachments,
  to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key`;

const CREATED_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

function toMessage(row: OutboxRow): OutboxMessage {
  return {
    id: row.id,
    orgId: row.org_id,
    to: row.to_address,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    sentAt: row.sent_at ? row.sent_at.toISOString() : null,
    attachments: attachmentsOf(row.attachments).map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      size: Buffer.byteLength(a.content, 'utf8'),
    })),
  };
}

/**
 * One page of outbox messages, newest first; `orgId` null lists the whole installation.
 * Keyset pagination on (created_at, id) so new mail arriving between pages shifts nothing.
 */
export async function listOutbox(db: SqlRunner, orgId: OrgId | null, limit: number, cursor: string | undefined): Promise<PageOf<OutboxMessage>> {
  const after = decodeCursor(cursor, ['string', 'string'] as const);
  if (after && !CREATED_KEY.test(after[0])) {
    throw new PodiumError('VALIDATION_FAILED', 'The cursor is not valid.', {
      issues: [{ path: '/querystring/cursor', message: 'is not a cursor returned by this list' }],
    });
  }
  const params: unknown[] = [limit + 1];
  const where: string[] = [];
  if (orgId !== null) {
    params.push(orgId);
    where.push(`org_id = $${params.length}`);
  }
  if (after) {
    params.push(after[0], after[1]);
    where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  const rows = await db.query<OutboxRow>(
    `select ${COLUMNS} from mail_outbox ${where.length ? `where ${where.join(' and ')}` : ''}
      order by created_at desc, id desc limit $1`,
    params,
  );
  return slicePage(rows, limit, (r) => [r.created_key, r.id], toMessage);
}

/** One message with its body; `orgId` null allows any message of the installation. */
export async function getOutboxMessage(db: SqlRunner, orgId: OrgId | null, mailId: MailId): Promise<OutboxMessageDetail> {
  const rows = await db.query<OutboxRow>(
    `select ${COLUMNS}, text_body, html_body from mail_outbox where id = $1 ${orgId !== null ? 'and org_id = $2' : ''}`,
    orgId !== null ? [mailId, orgId] : [mailId],
  );
  const row = rows[0];
  // Another organization's message answers exactly like a missing one: nothing leaks across orgs.
  if (!row) throw new PodiumError('OUTBOX_MESSAGE_NOT_FOUND');
  return { ...toMessage(row), text: row.text_body ?? '', html: row.html_body ?? null };
}
