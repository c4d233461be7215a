import type { MailId, OrgId } from '@podium/protocol';
import type { SqlRunner } from '../storage/sql';

/** A file attached to an email (e.g. the .ics invitation). */
export interface MailAttachment {
  filename: string;
  contentType: string;
  content: string;
}

/** An email to send. */
export interface MailMessage {
  /** The organization it is sent for (null for account emails); decides whose outbox shows it. */
  orgId: OrgId | null;
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
}

/**
 * Sends email. Every message is first written to the outbox table (in the caller's transaction
 * when given), then delivered over SMTP by a background job; with no SMTP configured it stays in
 * the outbox for admins to read.
 */
export interface Mailer {
  /** Records the message and schedules delivery; returns its id. */
  send(msg: MailMessage, tx?: SqlRunner): Promise<MailId>;
  /** Whether mail leaves the machine (SMTP) or stays in the outbox. */
  readonly mode: 'smtp' | 'outbox';
}
