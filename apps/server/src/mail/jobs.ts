import type { JobId, MailId } from '@podium/protocol';
import type { AppContext } from '../context';
import type { MailAttachment } from './mailer';
import { MAIL_SEND_JOB } from './outbox-mailer';
import { SmtpDelivery, describeSmtpError } from './smtp-delivery';

interface OutboxRow {
  id: MailId;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  attachments: unknown;
  status: string;
}

// One delivery (and so one SMTP pool) per running server; the HTTP app closes it on shutdown.
const deliveries = new WeakMap<AppContext, SmtpDelivery>();

/** Attachments as stored in the outbox's JSON column (drivers hand back parsed JSON or text). */
export function attachmentsOf(value: unknown): MailAttachment[] {
  const list: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (a): a is MailAttachment =>
      typeof a === 'object' && a !== null && typeof a.filename === 'string' && typeof a.contentType === 'string' && typeof a.content === 'string',
  );
}

/** Registers the `mail.send` handler: delivers one outbox message over SMTP and records the outcome. */
export function registerMailJobs(ctx: AppContext): void {
  const delivery = new SmtpDelivery(ctx.config.smtpUrl, ctx.config.mailFrom);
  deliveries.set(ctx, delivery);
  ctx.jobs.handle(MAIL_SEND_JOB, async (payload, job) => {
    if (typeof payload.mailId !== 'string') throw new Error('mail.send job without mailId');
    await sendOutboxMessage(ctx, delivery, payload.mailId as MailId, job);
  });
}

/** Closes the SMTP connections of this server (called when the HTTP app closes). */
export function closeMailDelivery(ctx: AppContext): void {
  deliveries.get(ctx)?.close();
}

/**
 * One delivery attempt. Success marks the row sent; a failure records the (address-free) reason
 * and rethrows so the job queue retries with back-off; the last failed attempt marks it failed.
 */
async function sendOutboxMessage(ctx: AppContext, delivery: SmtpDelivery, mailId: MailId, job: { id: JobId; attempt: number }): Promise<void> {
  const rows = await ctx.sql.query<OutboxRow>(
    'select id, to_address, subject, text_body, html_body, attachments, status from mail_outbox where id = $1',
    [mailId],
  );
  const row = rows[0];
  // Erased (GDPR) or already delivered by an earlier attempt whose completion was not recorded.
  if (!row || row.status === 'sent') return;
  if (!delivery.configured) {
    // SMTP was switched off after the message was queued: keep it readable in the outbox.
    await ctx.sql.query(`update mail_outbox set status = 'stored' where id = $1`, [mailId]);
    return;
  }
  try {
    await delivery.deliver({
      to: row.to_address,
      subject: row.subject,
      text: row.text_body,
      html: row.html_body,
      attachments: attachmentsOf(row.attachments),
    });
  } catch (err) {
    const reason = describeSmtpError(err);
    const jobs = await ctx.sql.query<{ max_attempts: number }>('select max_attempts from jobs where id = $1', [job.id]);
    const lastAttempt = job.attempt >= (jobs[0]?.max_attempts ?? job.attempt);
    await ctx.sql.query(
      'update mail_outbox set attempts = attempts + 1, last_error = $2, status = $3 where id = $1',
      [mailId, reason, lastAttempt ? 'failed' : 'queued'],
    );
    throw new Error(`SMTP delivery failed: ${reason}`);
  }
  await ctx.sql.query(
    `update mail_outbox set status = 'sent', sent_at = $2, attempts = attempts + 1, last_error = null where id = $1`,
    [mailId, ctx.now()],
  );
}
