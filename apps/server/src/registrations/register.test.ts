import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateEventBody } from '@podium/protocol';
import { STORE_KINDS } from '../testing/sql';
import { startTestServer, type TestServer } from '../testing/server';
import { eventBody, outboxTo, seedOrg, type SeededOrg } from '../events/testing';

describe.each(STORE_KINDS)('public.register (%s)', (store) => {
  let t: TestServer;
  let org: SeededOrg;
  beforeAll(async () => {
    t = await startTestServer({ store });
    org = await seedOrg(t, { name: 'Alpha Foundation' });
  });
  afterAll(async () => t.close());

  const createEvent = async (o: Partial<CreateEventBody> = {}) => {
    const res = await org.member.post(`/api/v1/orgs/${org.orgId}/events`, eventBody(t, o));
    expect(res.status).toBe(201);
    return res.body as { id: string; consentVersion: number };
  };
  const registerUrl = (eventId: string) => `/api/v1/public/events/${eventId}/registrations`;
  const person = (email: string, extra: Record<string, unknown> = {}) => ({ name: 'Anna Nowak', email, consentVersion: 1, consentAccepted: true, ...extra });
  const countRows = async (table: string, eventId: string) =>
    (await t.server.ctx.sql.query<{ n: number }>(`select count(*)::int as n from ${table} where event_id = $1`, [eventId]))[0].n;

  it('registers, and the confirmation in the outbox holds the join link and an .ics that join.info accepts', async () => {
    const ev = await createEvent({ title: 'Budget, 2026; final', description: 'Numbers\nand more', timeZone: 'America/New_York' });
    const res = await t.client().post(registerUrl(ev.id), person('Anna@Example.test', { locale: 'pl' }));
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ registrationId: expect.stringMatching(/^reg_/), emailedTo: 'Anna@Example.test' });

    const [mail] = await outboxTo(t, 'Anna@Example.test');
    expect(mail.subject).toBe('You are registered: Budget, 2026; final');
    const link = new RegExp(`${t.url}/join/([A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+)`).exec(mail.text_body);
    expect(link).not.toBeNull();
    expect(mail.text_body).toContain('(America/New_York)');
    expect(mail.html_body).toContain(link![0]);
    expect(mail.attachments).toHaveLength(1);
    const ics = mail.attachments[0];
    expect(ics.contentType).toMatch(/^text\/calendar/);
    const unfolded = ics.content.replace(/\r\n /g, '');
    expect(unfolded).toContain(`UID:${ev.id}@podium`);
    expect(unfolded).toContain('SUMMARY:Budget\\, 2026\\; final');
    expect(unfolded).toContain(`URL:${link![0]}`);
    expect(unfolded).toMatch(/DTSTART:\d{8}T\d{6}Z/);

    const info = await t.client().get(`/api/v1/join?token=${link![1]}`);
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ name: 'Anna Nowak', role: 'attendee', roomOpen: false, event: { id: ev.id, orgName: 'Alpha Foundation' } });

    const [row] = await t.server.ctx.sql.query<{ ip_prefix: string; consent_version: number; locale: string; email_lower: string }>(
      'select ip_prefix, consent_version, locale, email_lower from registrations where id = $1', [res.body.registrationId]);
    expect(row).toEqual({ ip_prefix: '127.0.0.0/24', consent_version: 1, locale: 'pl', email_lower: 'anna@example.test' });
    expect((await org.member.get(`/api/v1/orgs/${org.orgId}/events/${ev.id}`)).body.registeredCount).toBe(1);
  });

  it('join.info of a forged or garbled token is TOKEN_INVALID', async () => {
    const res = await t.client().get(`/api/v1/join?token=${'x'.repeat(30)}.${'y'.repeat(43)}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('TOKEN_INVALID');
  });

  it('the same email again, in any case, is ALREADY_REGISTERED and writes nothing', async () => {
    const ev = await createEvent();
    expect((await t.client().post(registerUrl(ev.id), person('dup@example.test'))).status).toBe(201);
    const again = await t.client().post(registerUrl(ev.id), person('DUP@Example.TEST'));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_REGISTERED');
    expect(await countRows('registrations', ev.id)).toBe(1);
    expect(await outboxTo(t, 'DUP@Example.TEST')).toHaveLength(0);
  });

  it('20 concurrent registrations for capacity 5: exactly 5 succeed, the rest get EVENT_FULL', async () => {
    const ev = await createEvent({ capacity: 5 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.client().post(registerUrl(ev.id), person(`crowd${i}@example.test`))),
    );
    const ok = results.filter((r) => r.status === 201);
    expect(ok).toHaveLength(5);
    expect(results.filter((r) => r.status !== 201).map((r) => r.body.code)).toEqual(Array(15).fill('EVENT_FULL'));
    expect(await countRows('registrations', ev.id)).toBe(5);
    const pub = await t.client().get(`/api/v1/public/events/${ev.id}`);
    expect(pub.body).toMatchObject({ spotsLeft: 0, registrationOpen: false });
    const mails = await t.server.ctx.sql.query("select 1 from mail_outbox where to_address like 'crowd%@example.test'");
    expect(mails).toHaveLength(5);
  });

  it('without a capacity, concurrent registrations all succeed; a capacity set later counts them and is enforced', async () => {
    const ev = await createEvent();
    const first = await Promise.all(Array.from({ length: 8 }, (_, i) => t.client().post(registerUrl(ev.id), person(`free${i}@example.test`))));
    expect(first.map((r) => r.status)).toEqual(Array(8).fill(201));
    expect((await org.member.get(`/api/v1/orgs/${org.orgId}/events/${ev.id}`)).body.registeredCount).toBe(8);
    const capped = await org.member.patch(`/api/v1/orgs/${org.orgId}/events/${ev.id}`, { capacity: 10 });
    expect(capped.body).toMatchObject({ capacity: 10, registeredCount: 8 });
    const more = await Promise.all(Array.from({ length: 3 }, (_, i) => t.client().post(registerUrl(ev.id), person(`late${i}@example.test`))));
    expect(more.map((r) => r.status).sort()).toEqual([201, 201, 409]);
    expect(more.find((r) => r.status === 409)!.body.code).toBe('EVENT_FULL');
    expect(await countRows('registrations', ev.id)).toBe(10);
    const lowered = await org.member.patch(`/api/v1/orgs/${org.orgId}/events/${ev.id}`, { capacity: 4 });
    expect(lowered.body).toMatchObject({ capacity: 4, registeredCount: 10 });
    expect((await t.client().get(`/api/v1/public/events/${ev.id}`)).body).toMatchObject({ spotsLeft: 0, registrationOpen: false });
    expect((await t.client().post(registerUrl(ev.id), person('over@example.test'))).body.code).toBe('EVENT_FULL');
  });

  it('when every seat pool is held by a registration in flight, the next one waits for a seat instead of failing', async () => {
    // Three seats in three pools of one.
    const ev = await createEvent({ capacity: 3 });
    let pending: Promise<{ status: number; body: { code?: string } }> | undefined;
    await t.server.ctx.sql.transaction(async (tx) => {
      // Like a registration that has taken the last-but-one seat and not yet committed.
      await tx.query('update event_seat_pools set remaining = remaining - 1 where event_id = $1 and remaining > 0 and pool = (select min(pool) from event_seat_pools where event_id = $1 and remaining > 0)', [ev.id]);
      await tx.query('select 1 from event_seat_pools where event_id = $1 for update', [ev.id]);
      pending = t.client().post(registerUrl(ev.id), person('patient@example.test'));
      await new Promise((r) => setTimeout(r, 300));
    });
    expect((await pending!).status).toBe(201);
    let full: Promise<{ status: number; body: { code?: string } }> | undefined;
    await t.server.ctx.sql.transaction(async (tx) => {
      await tx.query('update event_seat_pools set remaining = remaining - 1 where event_id = $1 and remaining > 0', [ev.id]);
      full = t.client().post(registerUrl(ev.id), person('too-late@example.test'));
      await new Promise((r) => setTimeout(r, 300));
    });
    expect((await full!).body.code).toBe('EVENT_FULL');
    expect((await t.client().get(`/api/v1/public/events/${ev.id}`)).body.spotsLeft).toBe(0);
  });

  it('password mode: missing or wrong password is EVENT_PASSWORD_REQUIRED, the right one registers', async () => {
    const ev = await createEvent({ accessMode: 'password', password: 'letmein-42' });
    const missing = await t.client().post(registerUrl(ev.id), person('pw@example.test'));
    expect(missing.status).toBe(403);
    expect(missing.body.code).toBe('EVENT_PASSWORD_REQUIRED');
    expect((await t.client().post(registerUrl(ev.id), person('pw@example.test', { password: 'wrong' }))).body.code).toBe('EVENT_PASSWORD_REQUIRED');
    expect((await t.client().post(registerUrl(ev.id), person('pw@example.test', { password: 'letmein-42' }))).status).toBe(201);
  });

  it('invitation mode: an uninvited email is NOT_INVITED; invitees and presenters register (presenters as presenter)', async () => {
    const ev = await createEvent({ accessMode: 'invitation', presenters: ['Speaker@Example.test'] });
    const no = await t.client().post(registerUrl(ev.id), person('stranger@example.test'));
    expect(no.status).toBe(403);
    expect(no.body.code).toBe('NOT_INVITED');
    await org.member.post(`/api/v1/orgs/${org.orgId}/events/${ev.id}/invitees`, { emails: ['guest@example.test'] });
    expect((await t.client().post(registerUrl(ev.id), person('Guest@example.test'))).status).toBe(201);
    const sp = await t.client().post(registerUrl(ev.id), person('speaker@example.test'));
    expect(sp.status).toBe(201);
    const [mail] = await outboxTo(t, 'speaker@example.test');
    const token = /\/join\/([A-Za-z0-9_.-]+)/.exec(mail.text_body)![1];
    expect((await t.client().get(`/api/v1/join?token=${token}`)).body.role).toBe('presenter');
  });

  it('after the consent text changes, the old version is CONSENT_OUTDATED; registrations keep the version they accepted', async () => {
    const ev = await createEvent();
    expect((await t.client().post(registerUrl(ev.id), person('early@example.test'))).status).toBe(201);
    await org.member.patch(`/api/v1/orgs/${org.orgId}/events/${ev.id}`, { consentText: 'Updated consent' });
    const old = await t.client().post(registerUrl(ev.id), person('late@example.test'));
    expect(old.status).toBe(409);
    expect(old.body.code).toBe('CONSENT_OUTDATED');
    expect((await t.client().post(registerUrl(ev.id), person('late@example.test', { consentVersion: 2 }))).status).toBe(201);
    const rows = await t.server.ctx.sql.query<{ email: string; consent_version: number }>(
      'select email, consent_version from registrations where event_id = $1 order by created_at', [ev.id]);
    expect(rows).toEqual([{ email: 'early@example.test', consent_version: 1 }, { email: 'late@example.test', consent_version: 2 }]);
    const refused = await t.client().post(registerUrl(ev.id), person('nope@example.test', { consentVersion: 2, consentAccepted: false }));
    expect(refused.body.code).toBe('CONSENT_REQUIRED');
  });

  it('custom fields: unknown keys and missing required answers are VALIDATION_FAILED and nothing is written', async () => {
    const ev = await createEvent({
      registrationFields: [
        { key: 'company', label: 'Company', type: 'text', required: true },
        { key: 'role', label: 'Role', type: 'select', required: false, options: ['Dev', 'Ops'] },
        { key: 'newsletter', label: 'Newsletter', type: 'checkbox', required: false },
      ],
    });
    const unknown = await t.client().post(registerUrl(ev.id), person('f@example.test', { fields: { company: 'ACME', shoe_size: '42' } }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('VALIDATION_FAILED');
    expect(unknown.body.details.issues).toEqual([expect.objectContaining({ path: '/body/fields/shoe_size' })]);
    const missing = await t.client().post(registerUrl(ev.id), person('f@example.test', { fields: { role: 'CEO' } }));
    expect(missing.body.details.issues.map((i: { path: string }) => i.path)).toEqual(['/body/fields/company', '/body/fields/role']);
    expect(await countRows('registrations', ev.id)).toBe(0);
    expect(await outboxTo(t, 'f@example.test')).toHaveLength(0);
    const ok = await t.client().post(registerUrl(ev.id), person('f@example.test', { fields: { company: 'ACME', role: 'Ops', newsletter: true } }));
    expect(ok.status).toBe(201);
    const [row] = await t.server.ctx.sql.query<{ fields: unknown }>('select fields from registrations where event_id = $1', [ev.id]);
    expect(row.fields).toEqual({ company: 'ACME', role: 'Ops', newsletter: true });
  });

  it('a cancelled or ended event is REGISTRATION_CLOSED; an unknown event is EVENT_NOT_FOUND', async () => {
    const ev = await createEvent();
    await org.member.post(`/api/v1/orgs/${org.orgId}/events/${ev.id}/status`, { status: 'cancelled' });
    const res = await t.client().post(registerUrl(ev.id), person('closed@example.test'));
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('REGISTRATION_CLOSED');
    expect((await t.client().post(registerUrl('evt_00000000000000000000'), person('x@example.test'))).body.code).toBe('EVENT_NOT_FOUND');
  });

  it('a join link works until 24 h after the event ends, and moving the event later keeps it working', async () => {
    const ev = (await createEvent({ durationMinutes: 60 })) as unknown as { id: string; startsAt: string };
    expect((await t.client().post(registerUrl(ev.id), person('late-joiner@example.test'))).status).toBe(201);
    const [mail] = await outboxTo(t, 'late-joiner@example.test');
    const token = /\/join\/([A-Za-z0-9_.-]+)/.exec(mail.text_body)![1];
    const end = Date.parse(ev.startsAt) + 3_600_000;
    const info = await t.client().get(`/api/v1/join?token=${token}`);
    const seconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString();
    expect(info.body.expiresAt).toBe(seconds(end + 24 * 3_600_000));
    const later = new Date(Date.parse(ev.startsAt) + 7 * 24 * 3_600_000).toISOString();
    await org.member.patch(`/api/v1/orgs/${org.orgId}/events/${ev.id}`, { startsAt: later });
    t.advance(end + 25 * 3_600_000 - t.server.ctx.now().getTime());
    const moved = await t.client().get(`/api/v1/join?token=${token}`);
    expect(moved.status).toBe(200);
    expect(moved.body.expiresAt).toBe(seconds(Date.parse(later) + 25 * 3_600_000));
    t.advance(7 * 24 * 3_600_000);
    expect((await t.client().get(`/api/v1/join?token=${token}`)).body.code).toBe('TOKEN_INVALID');
  });

  it('a change made behind the cache (another server) is honoured: the registration statement checks the revision', async () => {
    const ev = await createEvent({ capacity: 10 });
    expect((await t.client().post(registerUrl(ev.id), person('warm@example.test'))).status).toBe(201);
    // As if another node cancelled it: straight in the store, this process's cache is not told.
    await t.server.ctx.sql.query("update events set status = 'cancelled', revision = revision + 1 where id = $1", [ev.id]);
    expect((await t.client().post(registerUrl(ev.id), person('cold@example.test'))).body.code).toBe('REGISTRATION_CLOSED');
    expect(await countRows('registrations', ev.id)).toBe(1);
  });
});
