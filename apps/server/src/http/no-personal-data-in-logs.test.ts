import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { startTestServer, type TestServer } from '../testing/server';
import { startSmtpCapture, type SmtpCapture } from '../testing/smtp';

const PERSON = { email: 'Zofia.Kowalska@Example.PL', name: 'Zofia Kowalska' };
const OWNER = { email: 'Olaf.Owner@example.org', name: 'Olaf Owner', password: 'owner-password-1' };

describe('logs hold no personal data', () => {
  let t: TestServer;
  let smtp: SmtpCapture;
  const lines: string[] = [];

  beforeAll(async () => {
    // Every recipient refused: the delivery job fails and logs its failure, the path most tempted to log an address.
    smtp = await startSmtpCapture({ rejectRecipient: () => true });
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    t = await startTestServer({ config: { smtpUrl: smtp.url }, log: pino({ level: 'trace' }, sink) });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('sign-up, failed sign-in, registration, password reset and failed mail delivery log no email, name or client IP', async () => {
    const owner = t.client();
    const setup = await owner.post('/api/v1/setup', { ...OWNER, orgName: 'Log Test Org', dataRegion: 'eu-central' });
    expect(setup.status).toBe(201);
    const orgId = setup.body.memberships[0].orgId;
    expect((await t.client().post('/api/v1/auth/sign-in', { email: PERSON.email, password: 'wrong-password-1' })).status).toBe(401);
    const ev = await owner.post(`/api/v1/orgs/${orgId}/events`, {
      type: 'webinar', title: 'Logging webinar', startsAt: new Date(Date.now() + 864e5).toISOString(),
      durationMinutes: 30, timeZone: 'Europe/Warsaw', accessMode: 'registration',
    });
    expect(ev.status).toBe(201);
    const reg = await t.client().post(`/api/v1/public/events/${ev.body.id}/registrations`, {
      ...PERSON, consentVersion: ev.body.consentVersion, consentAccepted: true,
    });
    expect(reg.status).toBe(201);
    expect((await t.client().post('/api/v1/auth/password-reset', { email: OWNER.email })).status).toBe(202);
    // Bad input and a server-side refusal are logged paths too.
    expect((await t.client().post('/api/v1/auth/sign-up', { email: PERSON.email, password: 'short', name: PERSON.name })).status).toBe(400);
    // Run the delivery jobs: SMTP refuses every recipient, so failures are logged.
    expect(await t.server.ctx.jobs.runDue()).toBeGreaterThan(0);

    // The server's own listening address is not a client's; every other line must hold none.
    const log = lines.filter((l) => !l.includes('Server listening at')).join('').toLowerCase();
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of [PERSON.email, PERSON.name, OWNER.email, OWNER.name, 'kowalska', '127.0.0.1']) {
      expect(log, `logs contain "${secret}"`).not.toContain(secret.toLowerCase());
    }
  });
});
