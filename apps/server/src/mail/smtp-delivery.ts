import { createTransport } from 'nodemailer';
import type { MailAttachment } from './mailer';

/** What SMTP delivery needs of an outbox row. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string | null;
  attachments: MailAttachment[];
}

type PooledTransporter = ReturnType<typeof createPooledTransport>;

function createPooledTransport(url: string) {
  return createTransport({
    url,
    pool: true,
    maxConnections: 3,
    // Bounded waits: a stuck SMTP server must fail the attempt long before the job lease (5 min) ends.
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
  });
}

/** Replaces email addresses in SMTP replies: they end up in logs and in the outbox's last_error. */
export function scrubAddresses(text: string): string {
  return text.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '<address>');
}

/** A short, address-free description of why an SMTP attempt failed. */
export function describeSmtpError(err: unknown): string {
  const e = err as { code?: unknown; responseCode?: unknown; response?: unknown; message?: unknown };
  const parts: string[] = [];
  if (typeof e.code === 'string') parts.push(e.code);
  if (typeof e.response === 'string') parts.push(e.response);
  else if (typeof e.message === 'string') parts.push(e.message);
  else parts.push(String(err));
  return scrubAddresses(parts.join(': ')).slice(0, 500);
}

/**
 * Sends mail over SMTP. One pooled transporter is created on first use (so a server that never
 * sends mail never connects) and reused for every message until `close()`.
 */
export class SmtpDelivery {
  private transporter: PooledTransporter | null = null;

  constructor(private readonly smtpUrl: string, private readonly from: string) {}

  /** Whether an SMTP server is configured at all. */
  get configured(): boolean {
    return this.smtpUrl !== '';
  }

  /** Hands one message to the SMTP server; resolves when the server accepted it. */
  async deliver(mail: OutgoingMail): Promise<void> {
    if (!this.configured) throw new Error('SMTP is not configured');
    this.transporter ??= createPooledTransport(this.smtpUrl);
    await this.transporter.sendMail({
      from: this.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      ...(mail.html ? { html: mail.html } : {}),
      attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
    });
  }

  /** Closes the pooled connections (the server is stopping). */
  close(): void {
    this.transporter?.close();
    this.transporter = null;
  }
}
