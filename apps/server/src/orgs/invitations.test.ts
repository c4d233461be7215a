import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Invitation, Me, PageOf } from '@podium/protocol';
import { STORE_KINDS } from '../testing/sql';
import { startTestServer, type TestServer } from '../testing/server';
import type { TestClient } from '../testing/client';
import { addMember, GOOD_PASSWORD, mailsTo, setUpInstance, signUpAs, tokenFromLastMail } from '../accounts/test-helpers';

describe.each(STORE_KINDS)('invitations on %s', (store) => {
  let t: TestServer;
  let owner: TestClient;
  let orgId: string;
  beforeEach(async () => {
    t = await startTestServer({ store });
    ({ owner, orgId } = await setUpInstance(t));
  });
  afterEach(async () => t.close());

  const invite = (c: TestClient, email: string, role = 'host') => c.post(`/api/v1/orgs/${orgId}/invitations`, { email, role });

  it('invite → email with link → preview → accept as a new account, signed in as member', async () => {
    const created = await invite(owner, 'New.Person@Example.com', 'admin');
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'New.Person@Example.com', role: 'admin', acceptedAt: null });
    expect(new Date(created.body.expiresAt).getTime() - new Date(created.body.createdAt).getTime()).toBe(7 * 24 * 3600 * 1000);

    const [mail] = await mailsTo(t, 'new.person@example.com');
    expect(mail).toMatchObject({ org_id: orgId, to_address: 'New.Person@Example.com' });
    expect(mail.subject).toContain('Acme Webinars');
    expect(mail.text_body).toContain('Olivia Owner');
    expect(mail.text_body).toContain(`${t.url}/invite?token=`);
    const token = await tokenFromLastMail(t, 'new.person@example.com', '/invite');

    const preview = await t.client().get(`/api/v1/invitations/preview?token=${token}`);
    expect(preview.body).toEqual({ orgName: 'Acme Webinars', email: 'New.Person@Example.com', role: 'admin', accountExists: false });

    const newcomer = t.client();
    const accepted = await newcomer.post<Me>('/api/v1/invitations/accept', { token, name: 'Nina New', password: GOOD_PASSWORD, locale: 'pl' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.user).toMatchObject({ email: 'New.Person@Example.com', name: 'Nina New', locale: 'pl', isInstanceAdmin: false });
    expect(accepted.body.memberships).toEqual([expect.objectContaining({ orgId, role: 'admin' })]);
    expect((await newcomer.get(`/api/v1/orgs/${orgId}/invitations`)).status).toBe(200);

    const list = await owner.get<PageOf<Invitation>>(`/api/v1/orgs/${orgId}/invitations`);
    expect(list.body.items).toEqual([expect.objectContaining({ id: created.body.id, acceptedAt: expect.any(String) })]);

    const twice = await t.client().post('/api/v1/invitations/accept', { token, name: 'Nina', password: GOOD_PASSWORD });
    expect(twice.status).toBe(404);
    expect(twice.body.code).toBe('INVITATION_NOT_FOUND');
  });

  it('a signed-in person with the invited email (any case) accepts and becomes a member', async () => {
    const { client, me } = await signUpAs(t, 'Existing@Example.com');
    await invite(owner, 'existing@example.COM', 'host');
    const token = await tokenFromLastMail(t, 'existing@example.com', '/invite');
    expect((await t.client().get(`/api/v1/invitations/preview?token=${token}`)).body.accountExists).toBe(true);

    const anonymous = await t.client().post('/api/v1/invitations/accept', { token, name: 'Someone', password: GOOD_PASSWORD });
    expect(anonymous.status).toBe(409);
    expect(anonymous.body.code).toBe('EMAIL_TAKEN');

    const res = await client.post<Me>('/api/v1/invitations/accept', { token });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(me.user.id);
    expect(res.body.csrfToken).toBe(me.csrfToken);
    expect(res.body.memberships).toEqual([expect.objectContaining({ orgId, role: 'host' })]);
  });

  it('a signed-in person with another email gets 403 INVITATION_EMAIL_MISMATCH', async () => {
    const { client } = await signUpAs(t, 'someone.else@example.com');
    await invite(owner, 'invited@example.com');
    const token = await tokenFromLastMail(t, 'invited@example.com', '/invite');
    const res = await client.post('/api/v1/invitations/accept', { token });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('INVITATION_EMAIL_MISMATCH');
  });

  it('accepting with the session cookie but without the CSRF header answers 403 CSRF_FAILED', async () => {
    const { client } = await signUpAs(t, 'csrf@example.com');
    await invite(owner, 'csrf@example.com');
    const token = await tokenFromLastMail(t, 'csrf@example.com', '/invite');
    const res = await client.post('/api/v1/invitations/accept', { token }, { 'x-csrf-token': '' });
    expect(res.body.code).toBe('CSRF_FAILED');
    expect((await client.get<Me>('/api/v1/auth/me')).body.memberships).toEqual([]);
  });

  it('inviting a member answers 409 ALREADY_MEMBER; accepting when already a member too', async () => {
    const dup = await invite(owner, 'olivia.owner@example.com');
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('ALREADY_MEMBER');

    // A pending invitation of someone who joined meanwhile (only a race makes one; simulated here).
    await signUpAs(t, 'twice@example.com');
    await invite(owner, 'twice@example.com');
    const first = await tokenFromLastMail(t, 'twice@example.com', '/invite');
    const client = t.client();
    await client.post('/api/v1/auth/sign-in', { email: 'twice@example.com', password: GOOD_PASSWORD });
    expect((await client.post('/api/v1/invitations/accept', { token: first })).status).toBe(200);
    await t.server.ctx.sql.query("update invitations set accepted_at = null where org_id = $1 and email_lower = 'twice@example.com'", [orgId]);
    const again = await client.post('/api/v1/invitations/accept', { token: first });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_MEMBER');
  });

  it('only owners invite owners', async () => {
    const { client: admin } = await addMember(t, owner, orgId, 'admin@example.com', 'admin');
    const denied = await invite(admin, 'boss@example.com', 'owner');
    expect(denied.status).toBe(403);
    expect(await mailsTo(t, 'boss@example.com')).toEqual([]);
    expect((await invite(admin, 'helper@example.com', 'admin')).status).toBe(201);
    expect((await invite(owner, 'boss@example.com', 'owner')).status).toBe(201);
  });

  it('a revoked invitation can neither be previewed nor accepted; revoking twice answers 404', async () => {
    const created = await invite(owner, 'revoked@example.com');
    const token = await tokenFromLastMail(t, 'revoked@example.com', '/invite');
    const revoked = await owner.delete(`/api/v1/orgs/${orgId}/invitations/${created.body.id}`);
    expect(revoked.status).toBe(200);
    expect((await t.client().get(`/api/v1/invitations/preview?token=${token}`)).body.code).toBe('INVITATION_NOT_FOUND');
    const accept = await t.client().post('/api/v1/invitations/accept', { token, name: 'R', password: GOOD_PASSWORD });
    expect(accept.status).toBe(404);
    expect(accept.body.code).toBe('INVITATION_NOT_FOUND');
    expect((await owner.delete(`/api/v1/orgs/${orgId}/invitations/${created.body.id}`)).body.code).toBe('INVITATION_NOT_FOUND');
    expect((await owner.get<PageOf<Invitation>>(`/api/v1/orgs/${orgId}/invitations`)).body.items).toEqual([]);
  });

  it('a new invitation to the same email replaces the pending one', async () => {
    await invite(owner, 'again@example.com', 'host');
    const old = await tokenFromLastMail(t, 'again@example.com', '/invite');
    await invite(owner, 'again@example.com', 'admin');
    const fresh = await tokenFromLastMail(t, 'again@example.com', '/invite');
    expect((await t.client().get(`/api/v1/invitations/preview?token=${old}`)).status).toBe(404);
    expect((await t.client().get(`/api/v1/invitations/preview?token=${fresh}`)).body.role).toBe('admin');
  });

  it('an invitation expires after 7 days', async () => {
    await invite(owner, 'late@example.com');
    const token = await tokenFromLastMail(t, 'late@example.com', '/invite');
    t.advance(7 * 24 * 3600 * 1000 + 1000);
    const res = await t.client().post('/api/v1/invitations/accept', { token, name: 'Late', password: GOOD_PASSWORD });
    expect(res.body.code).toBe('INVITATION_NOT_FOUND');
  });

  it('accepting anonymously needs a name and a strong password', async () => {
    await invite(owner, 'partial@example.com');
    const token = await tokenFromLastMail(t, 'partial@example.com', '/invite');
    const missing = await t.client().post('/api/v1/invitations/accept', { token, name: 'Pat' });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('VALIDATION_FAILED');
    expect(missing.body.details.issues).toEqual([expect.objectContaining({ path: '/body/password' })]);
    const weak = await t.client().post('/api/v1/invitations/accept', { token, name: 'Pat', password: 'short' });
    expect(weak.body.code).toBe('WEAK_PASSWORD');
    expect((await t.client().post('/api/v1/invitations/accept', { token, name: 'Pat', password: GOOD_PASSWORD })).status).toBe(200);
  });

  it('hosts cannot list or create invitations', async () => {
    const { client: host } = await addMember(t, owner, orgId, 'host@example.com', 'host');
    expect((await host.get(`/api/v1/orgs/${orgId}/invitations`)).status).toBe(403);
    expect((await invite(host, 'x@example.com')).status).toBe(403);
  });
});
