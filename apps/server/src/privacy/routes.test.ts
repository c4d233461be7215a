// The GDPR routes over a real HTTP server: the data subject's own request by verified email
// (emailed one-time link, streamed ZIP), an admin's export and erasure on their behalf, the audit
// log as NDJSON with registrant reads in it, retention settings, data location, consent withdrawal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../testing/sql';
import { startTestServer, type TestServer } from '../testing/server';
import { httpCall, type HttpCall } from '../testing/http-call';
import { seedOrg, type SeededOrg } from '../events/testing';
import { buildPrivacyWorld, type PrivacyWorld } from './testing';
import { readZip } from './zip';
import { verifyAuditChain } from './audit-log';

async function zipOf(url: string, init?: RequestInit): Promise<{ status: number; type: string | null; estimate: number; files: Map<string, Buffer> | null; text: string }> {
  const res = await fetch(url, init);
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get('content-type'), estimate: Number(res.headers.get('x-podium-export-estimate')), files: res.ok ? readZip(body) : null, text: res.ok ? '' : body.toString() };
}

describe.each(STORE_KINDS)('privacy routes on %s', (store) => {
  let t: TestServer;
  let w: PrivacyWorld;
  let owner: SeededOrg;
  const asOwner = (c: Omit<HttpCall, 'credentials'>) => httpCall(t.url, { ...c, headers: { cookie: owner.member.headers.cookie!, 'x-csrf-token': owner.member.csrfToken! } });
  beforeAll(async () => {
    t = await startTestServer({ store, config: { trustProxy: true, signalHeartbeatMs: 1_000 } });
    w = await buildPrivacyWorld(t);
    await w.room.closeAll();
    owner = w.room.org;
  }, 120_000);
  afterAll(async () => t?.close());

  it('a data subject asks with their email, gets a one-time link by email, and downloads their ZIP once', async () => {
    const ask = await httpCall(t.url, { method: 'POST', path: '/api/v1/privacy/access-requests', body: { email: 'Bob.Brown@example.net' } });
    expect(ask.status).toBe(202);
    const [mail] = await t.server.ctx.sql.query<{ text_body: string }>(`select text_body from mail_outbox where to_address = $1 and subject = 'Your data held by Podium'`, [w.bob.email]);
    const link = /(http\S+access-requests\/export\?token=\S+)/.exec(mail.text_body)![1];
    const got = await zipOf(link);
    expect(got.status).toBe(200);
    expect(got.type).toBe('application/zip');
    expect(got.estimate).toBeGreaterThan(0);
    const regs = JSON.parse(got.files!.get('registrations.json')!.toString());
    expect(regs.map((r: { id: string }) => r.id)).toEqual([w.bob.registrationId]);
    expect([...got.files!.values()].join('\n')).not.toContain(w.marta.email);
    const again = await zipOf(link);
    expect(again.status).toBe(400);
    expect(JSON.parse(again.text).code).toBe('TOKEN_INVALID');
  });

  it('an address with no data gets the same 202 and no email', async () => {
    const ask = await httpCall(t.url, { method: 'POST', path: '/api/v1/privacy/access-requests', body: { email: 'nobody@example.org' } });
    expect(ask.status).toBe(202);
    expect(await t.server.ctx.sql.query('select 1 from mail_outbox where to_address = $1', ['nobody@example.org'])).toEqual([]);
  });

  it('an org admin exports a person on their behalf; the read of the registrant list and the export are in the NDJSON audit log', async () => {
    const exp = await zipOf(`${t.url}/api/v1/orgs/${w.orgId}/privacy/export`, {
      method: 'POST', body: JSON.stringify({ email: w.marta.email }),
      headers: { 'content-type': 'application/json', cookie: owner.member.headers.cookie!, 'x-csrf-token': owner.member.csrfToken! },
    });
    expect(exp.status).toBe(200);
    expect(JSON.parse(exp.files!.get('chat.json')!.toString()).map((c: { id: string }) => c.id)).toEqual(w.marta.chatIds);
    const list = await asOwner({ method: 'GET', path: `/api/v1/orgs/${w.orgId}/events/${w.eventId}/registrations` });
    expect(list.status).toBe(200);
    const audit = await asOwner({ method: 'GET', path: `/api/v1/orgs/${w.orgId}/privacy/audit` });
    expect(audit.status).toBe(200);
    expect(audit.headers.get('content-type')).toContain('application/x-ndjson');
    const rows = audit.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r: { action: string }) => r.action)).toEqual(expect.arrayContaining(['subject.export', 'registrants.read']));
    expect(rows.find((r: { action: string }) => r.action === 'registrants.read')).toMatchObject({ actor: owner.userId, subjectRef: w.eventId });
    expect(audit.text).not.toContain(w.marta.email);
  });

  it('an org admin erases a person of the organization; the chain verifies', async () => {
    const r = await asOwner({ method: 'POST', path: `/api/v1/orgs/${w.orgId}/privacy/erase`, body: { email: w.bob.email } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ found: true, subjectRef: expect.stringMatching(/^sub_/), recordingsFlagged: 0 });
    expect(r.json.counts.registrations).toBe(1);
    expect(await t.server.ctx.sql.query('select 1 from registrations where email_lower = $1', [w.bob.email])).toEqual([]);
    expect((await verifyAuditChain(t.server.ctx.sql)).ok).toBe(true);
  });

  it('retention: defaults are readable, the owner changes a class', async () => {
    const before = await asOwner({ method: 'GET', path: `/api/v1/orgs/${w.orgId}/privacy/retention` });
    expect(before.json).toMatchObject({ ip_addresses: 7, chat: 180 });
    const set = await asOwner({ method: 'PATCH', path: `/api/v1/orgs/${w.orgId}/privacy/retention`, body: { chat: 30 } });
    expect(set.status).toBe(200);
    expect(set.json.chat).toBe(30);
    const bad = await asOwner({ method: 'PATCH', path: `/api/v1/orgs/${w.orgId}/privacy/retention`, body: { chat: 0 } });
    expect(bad.status).toBe(400);
  });

  it('data location names the SQL store and the blob stores of the organization\'s jurisdiction', async () => {
    const r = await asOwner({ method: 'GET', path: `/api/v1/orgs/${w.orgId}/privacy/data-location` });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ orgId: w.orgId, sql: { kind: store } });
    for (const s of r.json.blobStores) expect(s.jurisdiction).toBe(r.json.jurisdiction);
    expect(r.text).not.toMatch(/password|secret/i);
  });

  it('a registrant withdraws a consent with their join link; it is recorded and audited', async () => {
    const { token } = await w.room.register('Wanda Withdraw', 'attendee', 'wanda@example.org');
    const r = await httpCall(t.url, { method: 'POST', path: '/api/v1/public/consent/withdraw', body: { token, kind: 'recording' } });
    expect(r.status).toBe(200);
    const rows = await t.server.ctx.sql.query<{ kind: string; withdrawn_at: Date | null }>('select kind, withdrawn_at from consent_records where event_id = $1', [w.eventId]);
    expect(rows).toEqual([{ kind: 'recording', withdrawn_at: expect.any(Date) }]);
    const bad = await httpCall(t.url, { method: 'POST', path: '/api/v1/public/consent/withdraw', body: { token: `${token.slice(0, -2)}xx`, kind: 'recording' } });
    expect(bad.status).toBe(400);
  });
});

describe('recording consent before joining (pglite)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ store: 'pglite' });
  });
  afterAll(async () => t?.close());

  it('the join page data says the event records and shows the text; accepting stores time and version', async () => {
    const { liveRoomFixture } = await import('../rooms/testing');
    const { addConsentText } = await import('./consent');
    const room = await liveRoomFixture(t);
    const { token, registrationId } = await room.register('Rita Record');
    const info0 = await httpCall(t.url, { method: 'GET', path: '/api/v1/join', query: { token } });
    expect(info0.json.recording).toMatchObject({ records: false, consentVersion: 0, accepted: false });
    await t.server.ctx.sql.query(`insert into event_rooms (event_id, settings, stage) values ($1, '{"autoRecord": true}', '{}') on conflict (event_id) do update set settings = '{"autoRecord": true}'`, [room.eventId]);
    await addConsentText(t.server.ctx.sql, room.org.orgId, null, 'recording', 'We record this webinar: voice, video and chat.');
    const info = await httpCall(t.url, { method: 'GET', path: '/api/v1/join', query: { token } });
    expect(info.json.recording).toEqual({ records: true, consentText: 'We record this webinar: voice, video and chat.', consentVersion: 1, accepted: false });
    const outdated = await httpCall(t.url, { method: 'POST', path: '/api/v1/public/consent/accept', body: { token, kind: 'recording', version: 0 } });
    expect(outdated.json.code).toBe('CONSENT_OUTDATED');
    const ok = await httpCall(t.url, { method: 'POST', path: '/api/v1/public/consent/accept', body: { token, kind: 'recording', version: 1 } });
    expect(ok.status).toBe(200);
    expect((await httpCall(t.url, { method: 'GET', path: '/api/v1/join', query: { token } })).json.recording.accepted).toBe(true);
    const [rec] = await t.server.ctx.sql.query<{ version: number; accepted_at: Date }>('select version, accepted_at from consent_records where person_id = $1', [registrationId]);
    expect(rec).toEqual({ version: 1, accepted_at: expect.any(Date) });
    await httpCall(t.url, { method: 'POST', path: '/api/v1/public/consent/withdraw', body: { token, kind: 'recording' } });
    expect((await httpCall(t.url, { method: 'GET', path: '/api/v1/join', query: { token } })).json.recording.accepted).toBe(false);
  });
});
