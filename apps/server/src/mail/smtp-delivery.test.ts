import { afterEach, describe, expect, it } from 'vitest';
import type { MailId } from '@podium/protocol';
import { startTestServer, type TestServer } from '../testing/server';
import { startSmtpCapture, type SmtpCapture } from '../testing/smtp';
import { STORE_KINDS } from '../testing/sql';
import { describeSmtpError, scrubAddresses } from './smtp-delivery';

interface Row {
  status: string;
  attempts: number;
  last_error: string | null;
  sent_at: Date | null;
}

async function outboxRow(t: TestServer, id: MailId): Promise<Row> {
  const rows = await t.server.ctx.sql.query<Row>('select status, attempts, last_error, sent_at from mail_outbox where id = $1', [id]);
  return rows[0];
}

/**
 * A test server whose start-up jobs (the hourly retention purges, due at once) have run, so that
 * runDue() below counts the mail deliveries alone.
 */
async function startDrained(opts: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const t = await startTestServer(opts);
  await t.server.ctx.jobs.runDue();
  return t;
}

const ICS = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n';

describe.each(STORE_KINDS)('mail delivery over SMTP (%s)', (store) => {
  let t: TestServer | undefined;
  let smtp: SmtpCapture | undefined;
  afterEach(async () => {
    await t?.close();
    await smtp?.close();
    t = undefined;
    smtp = undefined;
  });

  it('a queued message reaches the SMTP server with its subject, body and attachment, and is marked sent', async () => {
    smtp = await startSmtpCapture();
    t = await startDrained({ store, config: { smtpUrl: smtp.url, mailFrom: 'Podium <podium@example.test>' } });
    const id = await t.server.ctx.mailer.send({
      orgId: null,
      to: 'ada@example.test',
      subject: 'Your webinar starts soon',
      text: 'See you at 10:00.',
      html: '<p>See you at <b>10:00</b>.</p>',
      attachments: [{ filename: 'invite.ics', contentType: 'text/calendar', content: ICS }],
    });
    expect((await outboxRow(t, id)).status).toBe('queued');

    expect(await t.server.ctx.jobs.runDue()).toBe(1);
    const mail = await smtp.waitFor((m) => m.subject === 'Your webinar starts soon');
    expect(mail.text?.trim()).toBe('See you at 10:00.');
    expect(mail.html).toContain('<b>10:00</b>');
    expect(mail.from?.value[0].address).toBe('podium@example.test');
    expect((Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0].address).toBe('ada@example.test');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0].filename).toBe('invite.ics');
    expect(mail.attachments[0].contentType).toBe('text/calendar');
    expect(mail.attachments[0].content.toString('utf8')).toBe(ICS);

    const row = await outboxRow(t, id);
    expect(row).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
    expect(row.sent_at).toBeInstanceOf(Date);
    expect(await t.server.ctx.jobs.runDue()).toBe(0);
  });

  it('delivers through an SMTP server that requires authentication, over one pooled transporter', async () => {
    smtp = await startSmtpCapture({ auth: { user: 'podium', pass: 's3cret pass' } });
    t = await startDrained({ store, config: { smtpUrl: smtp.url } });
    const first = await t.server.ctx.mailer.send({ orgId: null, to: 'a@example.test', subject: 'First', text: 'one' });
    const second = await t.server.ctx.mailer.send({ orgId: null, to: 'b@example.test', subject: 'Second', text: 'two' });
    expect(await t.server.ctx.jobs.runDue()).toBe(2);
    await smtp.waitFor((m) => m.subject === 'First');
    await smtp.waitFor((m) => m.subject === 'Second');
    expect((await outboxRow(t, first)).status).toBe('sent');
    expect((await outboxRow(t, second)).status).toBe('sent');
  });

  it('a recipient the SMTP server rejects is retried with back-off and marked failed after the last attempt', async () => {
    smtp = await startSmtpCapture({ rejectRecipient: (a) => a === 'bounce@example.test' });
    t = await startDrained({ store, config: { smtpUrl: smtp.url } });
    const id = await t.server.ctx.mailer.send({ orgId: null, to: 'bounce@example.test', subject: 'Nope', text: 'x' });

    expect(await t.server.ctx.jobs.runDue()).toBe(1);
    const afterFirst = await outboxRow(t, id);
    expect(afterFirst).toMatchObject({ status: 'queued', attempts: 1 });
    expect(afterFirst.last_error).toContain('550');
    expect(afterFirst.last_error).not.toContain('bounce@example.test');
    // The retry waits for its back-off: nothing is due right away.
    expect(await t.server.ctx.jobs.runDue()).toBe(0);

    // Hours pass (the hourly retention jobs run too): the delivery is tried until its last attempt.
    for (let hour = 0; hour < 10 && (await outboxRow(t, id)).status === 'queued'; hour++) {
      t.advance(3_600_000 + 1000);
      await t.server.ctx.jobs.runDue();
    }
    const row = await outboxRow(t, id);
    expect(row).toMatchObject({ status: 'failed', attempts: 6, sent_at: null });
    // Nothing more is tried after the last attempt.
    t.advance(3_600_000 + 1000);
    await t.server.ctx.jobs.runDue();
    expect((await outboxRow(t, id)).attempts).toBe(6);
    expect(smtp.messages).toHaveLength(0);
  });

  it('without SMTP a message is stored in the outbox and no delivery job is queued', async () => {
    t = await startDrained({ store });
    const id = await t.server.ctx.mailer.send({ orgId: null, to: 'a@example.test', subject: 'Kept', text: 'here' });
    expect((await outboxRow(t, id)).status).toBe('stored');
    expect(await t.server.ctx.jobs.runDue()).toBe(0);
  });
});

describe('SMTP error descriptions', () => {
  it('scrubAddresses() removes email addresses from SMTP replies', () => {
    expect(scrubAddresses('550 5.1.1 <ada@example.org>: Recipient address rejected')).toBe('550 5.1.1 <<address>>: Recipient address rejected');
  });

  it('describeSmtpError() keeps the error code and reply but no address', () => {
    const err = Object.assign(new Error('Can\'t send mail'), { code: 'EENVELOPE', responseCode: 550, response: '550 Mailbox ada@example.org unavailable' });
    expect(describeSmtpError(err)).toBe('EENVELOPE: 550 Mailbox <address> unavailable');
  });
});
