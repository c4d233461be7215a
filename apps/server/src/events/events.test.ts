import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../testing/sql';
import { startTestServer, type TestServer } from '../testing/server';
import { DEFAULT_CONSENT_TEXT } from './consent';
import { eventBody, seedOrg, type SeededOrg } from './testing';

describe.each(STORE_KINDS)('events (%s)', (store) => {
  let t: TestServer;
  let a: SeededOrg;
  let b: SeededOrg;
  beforeAll(async () => {
    t = await startTestServer({ store });
    a = await seedOrg(t, { name: 'Alpha Foundation' });
    b = await seedOrg(t);
  });
  afterAll(async () => t.close());

  const base = (o: SeededOrg) => `/api/v1/orgs/${o.orgId}/events`;

  it('events.create schedules an event with consent version 1 (default English text) and returns it', async () => {
    const res = await a.member.post(base(a), eventBody(t, {
      description: 'All numbers', agenda: [{ title: 'Intro', durationMinutes: 10 }], capacity: 100,
      presenters: ['Pia.Presenter@Example.test'],
    }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      orgId: a.orgId, type: 'webinar', title: 'Quarterly results', description: 'All numbers', durationMinutes: 60,
      timeZone: 'Europe/Warsaw', capacity: 100, accessMode: 'registration', hasPassword: false, status: 'scheduled',
      consentVersion: 1, consentText: DEFAULT_CONSENT_TEXT, presenters: ['Pia.Presenter@Example.test'], registeredCount: 0,
      agenda: [{ title: 'Intro', durationMinutes: 10 }], registrationFields: [],
    });
    expect(res.body.id).toMatch(/^evt_/);
    const got = await a.member.get(`${base(a)}/${res.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  it('events.create rejects an unknown time zone with VALIDATION_FAILED naming timeZone', async () => {
    const res = await a.api.post(base(a), eventBody(t, { timeZone: 'Mars/Olympus_Mons' }));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.issues).toEqual([expect.objectContaining({ path: '/body/timeZone' })]);
  });

  it('events.create in password mode needs a password and never returns it', async () => {
    const missing = await a.api.post(base(a), eventBody(t, { accessMode: 'password' }));
    expect(missing.status).toBe(400);
    expect(missing.body.details.issues[0].path).toBe('/body/password');
    const res = await a.api.post(base(a), eventBody(t, { accessMode: 'password', password: 'open sesame' }));
    expect(res.status).toBe(201);
    expect(res.body.hasPassword).toBe(true);
    expect(res.text).not.toContain('sesame');
    expect(res.text).not.toContain('argon2');
    const [row] = await t.server.ctx.sql.query<{ password_hash: string }>('select password_hash from events where id = $1', [res.body.id]);
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('events.update changes fields; a new consent text becomes version 2 and the old version is kept', async () => {
    const ev = (await a.member.post(base(a), eventBody(t))).body;
    const res = await a.member.patch(`${base(a)}/${ev.id}`, { title: 'Renamed', consentText: 'New consent', capacity: null });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ title: 'Renamed', consentText: 'New consent', consentVersion: 2, capacity: null });
    const same = await a.member.patch(`${base(a)}/${ev.id}`, { consentText: 'New consent' });
    expect(same.body.consentVersion).toBe(2);
    const versions = await t.server.ctx.sql.query<{ version: number; text: string }>(
      'select version, text from consent_versions where event_id = $1 order by version', [ev.id]);
    expect(versions).toEqual([{ version: 1, text: DEFAULT_CONSENT_TEXT }, { version: 2, text: 'New consent' }]);
  });

  it('events.update switching to password mode without a password is VALIDATION_FAILED; leaving it drops the hash', async () => {
    const ev = (await a.member.post(base(a), eventBody(t))).body;
    const bad = await a.member.patch(`${base(a)}/${ev.id}`, { accessMode: 'password' });
    expect(bad.status).toBe(400);
    expect(bad.body.details.issues[0].path).toBe('/body/password');
    const pw = await a.member.patch(`${base(a)}/${ev.id}`, { accessMode: 'password', password: 'secret-1' });
    expect(pw.body.hasPassword).toBe(true);
    const open = await a.member.patch(`${base(a)}/${ev.id}`, { accessMode: 'open' });
    expect(open.body.hasPassword).toBe(false);
  });

  it('events.changeStatus follows scheduled → live → ended and refuses other moves with INVALID_STATUS_TRANSITION', async () => {
    const ev = (await a.member.post(base(a), eventBody(t))).body;
    const url = `${base(a)}/${ev.id}/status`;
    expect((await a.member.post(url, { status: 'ended' })).body.code).toBe('INVALID_STATUS_TRANSITION');
    const live = await a.member.post(url, { status: 'live' });
    expect(live.status).toBe(200);
    expect(live.body.status).toBe('live');
    const cancel = await a.member.post(url, { status: 'cancelled' });
    expect(cancel.status).toBe(409);
    expect(cancel.body.code).toBe('INVALID_STATUS_TRANSITION');
    expect((await a.member.post(url, { status: 'ended' })).body.status).toBe('ended');
    expect((await a.member.post(url, { status: 'live' })).body.code).toBe('INVALID_STATUS_TRANSITION');
  });

  it('events.update of an ended or cancelled event is EVENT_NOT_EDITABLE', async () => {
    const ev = (await a.member.post(base(a), eventBody(t))).body;
    await a.member.post(`${base(a)}/${ev.id}/status`, { status: 'cancelled' });
    const res = await a.member.patch(`${base(a)}/${ev.id}`, { title: 'Too late' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('EVENT_NOT_EDITABLE');
  });

  it("tenant isolation: org A cannot see or change org B's event (EVENT_NOT_FOUND), nor call B's routes (FORBIDDEN)", async () => {
    const evB = (await b.api.post(base(b), eventBody(t, { title: 'B only' }))).body;
    expect((await a.api.get(`${base(a)}/${evB.id}`)).body.code).toBe('EVENT_NOT_FOUND');
    expect((await a.member.patch(`${base(a)}/${evB.id}`, { title: 'hijack' })).body.code).toBe('EVENT_NOT_FOUND');
    expect((await a.member.post(`${base(a)}/${evB.id}/status`, { status: 'cancelled' })).body.code).toBe('EVENT_NOT_FOUND');
    expect((await a.api.delete(`${base(a)}/${evB.id}`)).body.code).toBe('EVENT_NOT_FOUND');
    expect((await a.api.get(`${base(a)}/${evB.id}/registrations`)).body.code).toBe('EVENT_NOT_FOUND');
    expect((await a.api.get(`${base(a)}/${evB.id}/registrations.csv`)).body.code).toBe('EVENT_NOT_FOUND');
    expect((await a.api.get(`${base(a)}/${evB.id}/invitees`)).body.code).toBe('EVENT_NOT_FOUND');
    expect((await a.api.get(`${base(b)}/${evB.id}`)).status).toBe(403);
    const listA = await a.api.get(`${base(a)}?limit=200`);
    expect(listA.body.items.map((e: { id: string }) => e.id)).not.toContain(evB.id);
    expect((await b.api.get(`${base(b)}/${evB.id}`)).body.title).toBe('B only');
  });

  it('events.list pages upcoming by start, past most recent first', async () => {
    const org = await seedOrg(t);
    const hour = 3_600_000;
    const now = t.server.ctx.now().getTime();
    const mk = async (offsetHours: number, title: string) =>
      (await org.api.post(base(org), eventBody(t, { title, startsAt: new Date(now + offsetHours * hour).toISOString() }))).body;
    await mk(-48, 'past-2');
    await mk(-24, 'past-1');
    await mk(24, 'up-1');
    await mk(48, 'up-2');
    await mk(72, 'up-3');
    const titles = async (when: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { body: { items: { title: string }[]; nextCursor: string | null } } =
          await org.api.get(`${base(org)}?when=${when}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...res.body.items.map((e) => e.title));
        cursor = res.body.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await titles('upcoming')).toEqual(['up-1', 'up-2', 'up-3']);
    expect(await titles('past')).toEqual(['past-1', 'past-2']);
    expect(await titles('all')).toEqual(['past-2', 'past-1', 'up-1', 'up-2', 'up-3']);
    expect((await org.api.get(`${base(org)}?cursor=nonsense!`)).body.code).toBe('VALIDATION_FAILED');
  });

  it('events.delete needs an admin, removes the event and its reminders', async () => {
    const ev = (await a.member.post(base(a), eventBody(t))).body;
    expect((await a.member.delete(`${base(a)}/${ev.id}`)).status).toBe(403);
    const res = await a.api.delete(`${base(a)}/${ev.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect((await a.api.get(`${base(a)}/${ev.id}`)).body.code).toBe('EVENT_NOT_FOUND');
    const jobs = await t.server.ctx.sql.query('select 1 from jobs where dedupe_key like $1', [`reminder:${ev.id}:%`]);
    expect(jobs).toHaveLength(0);
  });

  it('public.event shows the page data with orgName, spotsLeft and registrationOpen, without private fields', async () => {
    const ev = (await a.member.post(base(a), eventBody(t, { capacity: 3, accessMode: 'password', password: 'pw-1234', presenters: ['p@example.test'] }))).body;
    const res = await t.client().get(`/api/v1/public/events/${ev.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: ev.id, orgName: 'Alpha Foundation', capacity: 3, spotsLeft: 3, registrationOpen: true, consentVersion: 1, status: 'scheduled' });
    expect(res.body).not.toHaveProperty('presenters');
    expect(res.body).not.toHaveProperty('hasPassword');
    expect(res.text).not.toContain('argon2');
    await a.member.post(`${base(a)}/${ev.id}/status`, { status: 'cancelled' });
    expect((await t.client().get(`/api/v1/public/events/${ev.id}`)).body.registrationOpen).toBe(false);
    expect((await t.client().get('/api/v1/public/events/evt_00000000000000000000')).body.code).toBe('EVENT_NOT_FOUND');
  });

  it('events.hostJoinLink gives a signed-in member a host link that join.info accepts; an API key gets FORBIDDEN', async () => {
    const ev = (await a.member.post(base(a), eventBody(t))).body;
    const link = await a.member.post(`${base(a)}/${ev.id}/host-link`);
    expect(link.status).toBe(200);
    expect(link.body.url).toMatch(new RegExp(`^${t.url}/join/`));
    const token = link.body.url.split('/join/')[1];
    const info = await t.client().get(`/api/v1/join?token=${encodeURIComponent(token)}`);
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ role: 'host', name: 'Hanna Host', roomOpen: false, expiresAt: link.body.expiresAt, event: { id: ev.id } });
    expect((await a.api.post(`${base(a)}/${ev.id}/host-link`)).status).toBe(403);
  });

  it('events.addInvitees emails each new invitee the registration link; listInvitees shows who registered', async () => {
    const ev = (await a.member.post(base(a), eventBody(t, { accessMode: 'invitation' }))).body;
    const url = `${base(a)}/${ev.id}/invitees`;
    const res = await a.member.post(url, { emails: ['Ina@Example.test', 'otto@example.test', 'ina@example.test'] });
    expect(res.status).toBe(201);
    await a.member.post(url, { emails: ['otto@example.test'] });
    const mails = await t.server.ctx.sql.query<{ to_address: string; text_body: string }>(
      "select to_address, text_body from mail_outbox where subject like 'Invitation:%' and text_body like $1", [`%/e/${ev.id}%`]);
    expect(mails.map((m) => m.to_address).sort()).toEqual(['Ina@Example.test', 'otto@example.test']);
    expect(mails[0].text_body).toContain(`${t.url}/e/${ev.id}`);
    const reg = await t.client().post(`/api/v1/public/events/${ev.id}/registrations`, { name: 'Ina', email: 'INA@example.test', consentVersion: 1, consentAccepted: true });
    expect(reg.status).toBe(201);
    const list = await a.member.get(`${url}?limit=1`);
    expect(list.body.items).toEqual([expect.objectContaining({ email: 'Ina@Example.test', registered: true })]);
    const next = await a.member.get(`${url}?limit=1&cursor=${list.body.nextCursor}`);
    expect(next.body.items).toEqual([expect.objectContaining({ email: 'otto@example.test', registered: false })]);
    expect(next.body.nextCursor).toBeNull();
  });
});
