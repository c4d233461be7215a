import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailId, OrgId } from '@podium/protocol';
import { startTestServer, type TestServer } from '../testing/server';
import { STORE_KINDS } from '../testing/sql';
import { seedOrg, seedOutboxMessage, seedUserSession, type SeededSession } from '../testing/seed-rows';

describe.each(STORE_KINDS)('outbox API (%s)', (store) => {
  let t: TestServer;
  let orgA: OrgId;
  let orgB: OrgId;
  let adminA: SeededSession;
  let hostA: SeededSession;
  let instanceAdmin: SeededSession;
  const mailA: MailId[] = [];
  let mailB: MailId;
  let accountMail: MailId;

  const as = (s: SeededSession) => ({ cookie: s.cookie });

  beforeAll(async () => {
    t = await startTestServer({ store });
    const sql = t.server.ctx.sql;
    orgA = await seedOrg(sql, 'A');
    orgB = await seedOrg(sql, 'B');
    adminA = await seedUserSession(sql, { memberships: [{ orgId: orgA, role: 'admin' }] });
    hostA = await seedUserSession(sql, { memberships: [{ orgId: orgA, role: 'host' }] });
    instanceAdmin = await seedUserSession(sql, { instanceAdmin: true, memberships: [{ orgId: orgB, role: 'owner' }] });
    const base = Date.parse('2030-01-01T10:00:00Z');
    for (let i = 0; i < 5; i++) {
      mailA.push(await seedOutboxMessage(sql, { orgId: orgA, subject: `A${i}`, createdAt: new Date(base + i * 60_000) }));
    }
    mailB = await seedOutboxMessage(sql, { orgId: orgB, subject: 'B secret', to: 'b-person@example.test' });
    accountMail = await seedOutboxMessage(sql, { orgId: null, subject: 'Reset your password' });
  });
  afterAll(async () => t.close());

  it('outbox.listOrg shows an org admin only their organization\'s mail, newest first', async () => {
    const res = await t.client().get(`/api/v1/orgs/${orgA}/outbox`, as(adminA));
    expect(res.status).toBe(200);
    expect(res.body.items.map((m: { subject: string }) => m.subject)).toEqual(['A4', 'A3', 'A2', 'A1', 'A0']);
    expect(res.body.items.every((m: { orgId: string }) => m.orgId === orgA)).toBe(true);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.items[0]).toMatchObject({ status: 'stored', attempts: 0, lastError: null, sentAt: null, attachments: [] });
  });

  it('outbox.listOrg pages with a cursor without skipping or repeating a message', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const res = await t.client().get(`/api/v1/orgs/${orgA}/outbox?limit=2${q}`, as(adminA));
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((m: { id: string }) => m.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([...mailA].reverse());
  });

  it('outbox.listOrg answers 400 VALIDATION_FAILED to a forged cursor', async () => {
    const forged = Buffer.from(JSON.stringify(['yesterday', 'mail_x'])).toString('base64url');
    for (const cursor of ['%%%', 'bm90LWpzb24', forged]) {
      const res = await t.client().get(`/api/v1/orgs/${orgA}/outbox?cursor=${cursor}`, as(adminA));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('an org admin of A cannot list or read B\'s mail', async () => {
    const list = await t.client().get(`/api/v1/orgs/${orgB}/outbox`, as(adminA));
    expect(list.status).toBe(403);
    expect(list.body.code).toBe('FORBIDDEN');
    const direct = await t.client().get(`/api/v1/orgs/${orgB}/outbox/${mailB}`, as(adminA));
    expect(direct.status).toBe(403);
    // B's message id through A's outbox: not found, exactly like an id that does not exist.
    const smuggled = await t.client().get(`/api/v1/orgs/${orgA}/outbox/${mailB}`, as(adminA));
    expect(smuggled.status).toBe(404);
    expect(smuggled.body.code).toBe('OUTBOX_MESSAGE_NOT_FOUND');
    expect(smuggled.text).not.toContain('B secret');
  });

  it('outbox.getOrg returns one message of the org with its body', async () => {
    const res = await t.client().get(`/api/v1/orgs/${orgA}/outbox/${mailA[2]}`, as(adminA));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: mailA[2], orgId: orgA, subject: 'A2', text: 'Body of A2', html: null });
  });

  it('a host (below admin) cannot read the org outbox, and anonymous callers are asked to sign in', async () => {
    const host = await t.client().get(`/api/v1/orgs/${orgA}/outbox`, as(hostA));
    expect(host.status).toBe(403);
    const anon = await t.client().get(`/api/v1/orgs/${orgA}/outbox`);
    expect(anon.status).toBe(401);
    expect(anon.body.code).toBe('UNAUTHENTICATED');
  });

  it('outbox.listAll and outbox.getAny show the instance admin every message, account emails included', async () => {
    const res = await t.client().get('/api/v1/admin/outbox?limit=200', as(instanceAdmin));
    expect(res.status).toBe(200);
    const ids = res.body.items.map((m: { id: string }) => m.id);
    expect(ids).toEqual(expect.arrayContaining([...mailA, mailB, accountMail]));
    expect(ids).toHaveLength(7);
    const one = await t.client().get(`/api/v1/admin/outbox/${accountMail}`, as(instanceAdmin));
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: accountMail, orgId: null, subject: 'Reset your password' });
  });

  it('outbox.listAll and outbox.getAny are refused to an org admin who is not the instance admin', async () => {
    expect((await t.client().get('/api/v1/admin/outbox', as(adminA))).status).toBe(403);
    expect((await t.client().get(`/api/v1/admin/outbox/${mailA[0]}`, as(adminA))).status).toBe(403);
  });

  it('outbox.getAny answers 404 OUTBOX_MESSAGE_NOT_FOUND for an unknown id', async () => {
    const res = await t.client().get('/api/v1/admin/outbox/mail_00000000000000000000', as(instanceAdmin));
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('OUTBOX_MESSAGE_NOT_FOUND');
  });
});
