import type { AddressObject, ParsedMail } from 'mailparser';
import type { SmtpCapture } from '../../apps/server/src/testing/smtp';

/** How long a test waits for Podium's mail job to deliver (it polls for due jobs about every second). */
export const MAIL_TIMEOUT_MS = 20_000;

/** Every recipient address of a parsed email, lower-cased. */
export function recipients(mail: ParsedMail): string[] {
  const to: AddressObject[] = mail.to === undefined ? [] : Array.isArray(mail.to) ? mail.to : [mail.to];
  return to.flatMap((a) => a.value.map((v) => (v.address ?? '').toLowerCase()));
}

/** Waits for an email to `address` whose subject matches, as the person would find it in their inbox. */
export function waitForMail(smtp: SmtpCapture, address: string, subject: RegExp): Promise<ParsedMail> {
  const to = address.toLowerCase();
  return smtp.waitFor((m) => recipients(m).includes(to) && subject.test(m.subject ?? ''), MAIL_TIMEOUT_MS);
}

/** The first link in the email's plain text that starts with `prefix` (e.g. `http://127.0.0.1:1234/join/`). */
export function linkIn(mail: ParsedMail, prefix: string): string {
  const text = mail.text ?? '';
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`${escaped}[^\\s"'<>]+`).exec(text);
  if (!m) throw new Error(`no link starting with ${prefix} in the email "${mail.subject}":\n${text}`);
  return m[0];
}

/** The text of the email's calendar (.ics) attachment. */
export function calendarAttachment(mail: ParsedMail): string {
  const ics = mail.attachments.find((a) => a.contentType === 'text/calendar' || (a.filename ?? '').toLowerCase().endsWith('.ics'));
  if (!ics) throw new Error(`the email "${mail.subject}" has no .ics attachment (attachments: ${mail.attachments.map((a) => a.filename).join(', ') || 'none'})`);
  return ics.content.toString('utf8');
}
