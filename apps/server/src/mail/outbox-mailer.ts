import { newId, type MailId } from '@podium/protocol';
import type { JobQueue } from '../jobs/queue';
import type { Sql, SqlRunner } from '../storage/sql';
import type { Mailer, MailMessage } from './mailer';

/** Job kind that delivers one outbox message over SMTP. */
export const MAIL_SEND_JOB = 'mail.send';

/**
 * Writes every message to the outbox; in SMTP mode also schedules its delivery job in the same
 * transaction, so a message is never lost between "recorded" and "sent".
 */
export class OutboxMailer implements Mailer {
  constructor(private readonly sql: Sql, private readonly jobs: JobQueue, readonly mode: 'smtp' | 'outbox') {}

  async send(msg: MailMessage, tx?: SqlRunner): Promise<MailId> {
    const id = newId('mail');
    const write = async (db: SqlRunner) => {
      await db.query(
        `insert into mail_outbox (id, org_id, to_address, subject, text_body, html_body, attachments, status)
         values ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [id, msg.orgId, msg.to, msg.subject, msg.text, msg.html ?? null, JSON.stringify(msg.attachments ?? []), this.mode === 'smtp' ? 'queued' : 'stored'],
      );
      if (this.mode === 'smtp') await this.jobs.enqueue(MAIL_SEND_JOB, { mailId: id }, { maxAttempts: 6 }, db);
    };
    if (tx) await write(tx);
    else await this.sql.transaction(write);
    return id;
  }
}
