import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Member, PageOf } from '@podium/protocol';
import { STORE_KINDS } from '../testing/sql';
import { startTestServer, type TestServer } from '../testing/server';
import type { TestClient } from '../testing/client';
import { addMember, setUpInstance } from '../accounts/test-helpers';

describe.each(STORE_KINDS)('members on %s', (store) => {
  let t: TestServer;
  let owner: TestClient;
  let ownerId: string;
  let orgId: string;
  beforeEach(async () => {
    t = await startTestServer({ store });
    const s = await setUpInstance(t);
    owner = s.owner;
    ownerId = s.me.user.id;
    orgId = s.orgId;
  });
  afterEach(async () => t.close());

  const members = (c: TestClient) => c.get<PageOf<Member>>(`/api/v1/orgs/${orgId}/members?limit=200`);
  const setRole = (c: TestClient, userId: string, role: string) => c.patch(`/api/v1/orgs/${orgId}/members/${userId}`, { role });

  it('lists members in joining order, page by page with an opaque cursor', async () => {
    for (const i of [1, 2, 3, 4]) await addMember(t, owner, orgId, `m${i}@example.com`, 'host', `Member ${i}`);
    const seen: Member[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: PageOf<Member> } = await owner.get(`/api/v1/orgs/${orgId}/members?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.map((m) => m.email)).toEqual(['Olivia.Owner@Example.com', 'm1@example.com', 'm2@example.com', 'm3@example.com', 'm4@example.com']);
    expect(seen[0]).toMatchObject({ userId: ownerId, role: 'owner', name: 'Olivia Owner' });
  });

  it('a tampered cursor answers 400 VALIDATION_FAILED', async () => {
    for (const bad of ['!!!', Buffer.from('{"a":1}').toString('base64url'), Buffer.from('["x",1]').toString('base64url'), Buffer.from('["not a date","usr"]').toString('base64url')]) {
      const res = await owner.get(`/api/v1/orgs/${orgId}/members?cursor=${encodeURIComponent(bad)}`);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('an admin sets host and admin roles but cannot grant or remove owner', async () => {
    const { client: admin } = await addMember(t, owner, orgId, 'admin@example.com', 'admin');
    const { me: host } = await addMember(t, owner, orgId, 'host@example.com', 'host');
    expect((await setRole(admin, host.user.id, 'admin')).body).toMatchObject({ userId: host.user.id, role: 'admin' });
    expect((await setRole(admin, host.user.id, 'host')).body.role).toBe('host');

    const grant = await setRole(admin, host.user.id, 'owner');
    expect(grant.status).toBe(403);
    const demote = await setRole(admin, ownerId, 'admin');
    expect(demote.status).toBe(403);
    const roles = (await members(owner)).body.items.map((m) => [m.email, m.role]);
    expect(roles).toEqual([['Olivia.Owner@Example.com', 'owner'], ['admin@example.com', 'admin'], ['host@example.com', 'host']]);
  });

  it('nobody raises their own role, and hosts change no roles', async () => {
    const { client: admin, me: adminMe } = await addMember(t, owner, orgId, 'admin@example.com', 'admin');
    const { client: host, me: hostMe } = await addMember(t, owner, orgId, 'host@example.com', 'host');
    expect((await setRole(admin, adminMe.user.id, 'owner')).status).toBe(403);
    expect((await setRole(host, hostMe.user.id, 'admin')).status).toBe(403);
    expect((await setRole(host, adminMe.user.id, 'host')).status).toBe(403);
    // Lowering one's own role is fine.
    expect((await setRole(admin, adminMe.user.id, 'host')).body.role).toBe('host');
  });

  it('owners grant owner; the last owner can neither step down nor be removed (409 LAST_OWNER)', async () => {
    const last = await setRole(owner, ownerId, 'admin');
    expect(last.status).toBe(409);
    expect(last.body.code).toBe('LAST_OWNER');
    const removeLast = await owner.delete(`/api/v1/orgs/${orgId}/members/${ownerId}`);
    expect(removeLast.body.code).toBe('LAST_OWNER');

    const { me: second } = await addMember(t, owner, orgId, 'second@example.com', 'admin');
    expect((await setRole(owner, second.user.id, 'owner')).body.role).toBe('owner');
    expect((await setRole(owner, ownerId, 'admin')).body.role).toBe('admin');
    // Now `second` is the last owner.
    const secondClient = t.client();
    await secondClient.post('/api/v1/auth/sign-in', { email: 'second@example.com', password: 'correct horse battery' });
    expect((await setRole(secondClient, second.user.id, 'host')).body.code).toBe('LAST_OWNER');
  });

  it('two owners demoting each other at once leave at least one owner', async () => {
    const { client: other, me: otherMe } = await addMember(t, owner, orgId, 'co-owner@example.com', 'owner');
    const [a, b] = await Promise.all([setRole(owner, otherMe.user.id, 'admin'), setRole(other, ownerId, 'admin')]);
    const statuses = [a.status, b.status].sort();
    expect(statuses[0]).toBe(200);
    expect(statuses[1]).not.toBe(200);
    const owners = (await t.server.ctx.sql.query("select 1 from memberships where org_id = $1 and role = 'owner'", [orgId]));
    expect(owners).toHaveLength(1);
  });

  it('admins remove members (not owners); the removed person loses access', async () => {
    const { client: admin } = await addMember(t, owner, orgId, 'admin@example.com', 'admin');
    const { client: host, me: hostMe } = await addMember(t, owner, orgId, 'host@example.com', 'host');
    expect((await host.get(`/api/v1/orgs/${orgId}/members`)).status).toBe(200);

    expect((await admin.delete(`/api/v1/orgs/${orgId}/members/${ownerId}`)).status).toBe(403);
    const removed = await admin.delete(`/api/v1/orgs/${orgId}/members/${hostMe.user.id}`);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual({ ok: true });
    expect((await host.get(`/api/v1/orgs/${orgId}/members`)).status).toBe(403);
    expect((await members(owner)).body.items.map((m) => m.email)).not.toContain('host@example.com');

    const again = await admin.delete(`/api/v1/orgs/${orgId}/members/${hostMe.user.id}`);
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('MEMBER_NOT_FOUND');
  });
});
