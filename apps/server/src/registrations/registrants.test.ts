import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../testing/sql';
import { startTestServer, type TestServer } from '../testing/server';
import { eventBody, outboxTo, seedOrg, type SeededOrg } from '../events/testing';

describe.each(STORE_KINDS)('registrants for hosts (%s)', (store) => {
  let t: TestServer;
  let org: SeededOrg;
  let eventId: string;
  beforeAll(async () => {
    t = await startTestServer({ store });
    org = await seedOrg(t);
    const ev = await org.member.post(`/api/v1/orgs/${org.orgId}/events`, eventBody(t, {
      capacity: 10,
      registrationFields: [
        { key: 'company', label: 'Company', type: 'textarea', required: false },
        { key: 'newsletter', label: 'Newsletter', type: 'checkbox', required: false },
      ],
    }));
    eventId = ev.body.id;
    const people = [
      { name: 'Anna Nowak', email: 'anna@example.test', fields: { company: 'ACME, Inc.', newsletter: true } },
      { name: '=HYPERLINK("http://evil.test","click")', email: 'mallory@example.test', fields: { company: '@SUM(A1:A9)' } },
      { name: 'Zoë "Z" Ü', email: 'zoe@example.test', fields: { company: 'Multi\nline' } },
    ];
    for (const p of people) {
      const res = await t.client().post(`/api/v1/public/events/${eventId}/registrations`, { ...p, consentVersion: 1, consentAccepted: true });
      expect(res.status).toBe(201);
      t.advance(1000);
    }
  });
  afterAll(async () => t.close());

  const url = () => `/api/v1/orgs/${org.orgId}/events/${eventId}/registrations`;

  it('registrations.list pages registrants oldest first', async () => {
    const first = await org.api.get(`${url()}?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((r: { email: string }) => r.email)).toEqual(['anna@example.test', 'mallory@example.test']);
    expect(first.body.items[0]).toMatchObject({ name: 'Anna Nowak', role: 'attendee', consentVersion: 1, fields: { company: 'ACME, Inc.', newsletter: true } });
    const second = await org.api.get(`${url()}?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((r: { email: string }) => r.email)).toEqual(['zoe@example.test']);
    expect(second.body.nextCursor).toBeNull();
  });

  it('registrations.export is a UTF-8 CSV attachment with custom-field columns, quoting, and formulas neutralized', async () => {
    const res = await org.member.get(`${url()}.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="registrations-${eventId}.csv"`);
    const lines = res.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('name,email,registered_at,consent_version,company,newsletter');
    expect(lines[1]).toMatch(/^Anna Nowak,anna@example\.test,\d{4}-\d\d-\d\dT[\d:.]+Z,1,"ACME, Inc\.",true$/);
    expect(lines[2]).toMatch(/^"'=HYPERLINK\(""http:\/\/evil\.test"",""click""\)",mallory@example\.test,[^,]+,1,'@SUM\(A1:A9\),$/);
    // The line break inside a quoted cell is the person's own (LF); records end in CRLF.
    expect(lines[3]).toMatch(/^"Zoë ""Z"" Ü",zoe@example\.test,[^,]+,1,"Multi\nline",$/);
    expect(lines[4]).toBe('');
  });

  it('registrations.remove frees the seat and makes the join link TOKEN_INVALID', async () => {
    const [mail] = await outboxTo(t, 'zoe@example.test');
    const token = /\/join\/([A-Za-z0-9_.-]+)/.exec(mail.text_body)![1];
    expect((await t.client().get(`/api/v1/join?token=${token}`)).status).toBe(200);
    const list = await org.api.get(url());
    const zoe = list.body.items.find((r: { email: string }) => r.email === 'zoe@example.test');
    const res = await org.member.delete(`${url()}/${zoe.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    const info = await t.client().get(`/api/v1/join?token=${token}`);
    expect(info.status).toBe(400);
    expect(info.body.code).toBe('TOKEN_INVALID');
    expect((await org.member.get(`/api/v1/orgs/${org.orgId}/events/${eventId}`)).body.registeredCount).toBe(2);
    expect((await t.client().get(`/api/v1/public/events/${eventId}`)).body.spotsLeft).toBe(8);
    expect((await org.member.delete(`${url()}/${zoe.id}`)).body.code).toBe('REGISTRATION_NOT_FOUND');
    // Removed, they may register again.
    const again = await t.client().post(`/api/v1/public/events/${eventId}/registrations`, { name: 'Zoë', email: 'zoe@example.test', consentVersion: 1, consentAccepted: true });
    expect(again.status).toBe(201);
  });
});
