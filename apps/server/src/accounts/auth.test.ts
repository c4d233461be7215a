import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Me } from '@podium/protocol';
import { STORE_KINDS } from '../testing/sql';
import { startTestServer, type TestServer } from '../testing/server';
import { hashToken } from '../security/secrets';
import { GOOD_PASSWORD, OWNER, setUpInstance, signUpAs } from './test-helpers';

const SETUP = { ...OWNER, orgName: 'Acme Webinars', dataRegion: 'eu-central' };

describe.each(STORE_KINDS)('accounts on %s', (store) => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer({ store });
  });
  afterEach(async () => t.close());

  it('setup: GET /setup says needsSetup until POST /setup creates the owner, who is signed in as instance admin and owner', async () => {
    const anon = t.client();
    expect((await anon.get('/api/v1/setup')).body).toEqual({ needsSetup: true });

    const owner = t.client();
    const res = await owner.post<Me>('/api/v1/setup', SETUP);
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email: OWNER.email, name: OWNER.name, isInstanceAdmin: true });
    expect(res.body.memberships).toEqual([
      expect.objectContaining({ orgName: 'Acme Webinars', orgSlug: 'acme-webinars', dataRegion: 'eu-central', role: 'owner' }),
    ]);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('podium_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(new RegExp(`Max-Age=${t.server.ctx.config.sessionHours * 3600}`));
    expect(cookie).not.toMatch(/Secure/i);

    expect((await owner.get('/api/v1/auth/me')).status).toBe(200);
    expect((await anon.get('/api/v1/setup')).body).toEqual({ needsSetup: false });
  });

  it('setup: a second POST /setup answers 409 SETUP_ALREADY_DONE', async () => {
    await setUpInstance(t);
    const res = await t.client().post('/api/v1/setup', { ...SETUP, email: 'other@example.com' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('SETUP_ALREADY_DONE');
  });

  it('setup: of concurrent setups exactly one wins', async () => {
    const attempts = await Promise.all(
      [1, 2, 3, 4].map((i) => t.client().post('/api/v1/setup', { ...SETUP, email: `owner${i}@example.com`, orgName: `Org ${i}` })),
    );
    expect(attempts.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const counts = await t.server.ctx.sql.query<{ users: number; orgs: number }>(
      'select (select count(*)::int from users) as users, (select count(*)::int from organizations) as orgs',
    );
    expect(counts[0]).toEqual({ users: 1, orgs: 1 });
  });

  it('sign-up before setup answers 409 SETUP_REQUIRED', async () => {
    const res = await t.client().post('/api/v1/auth/sign-up', { email: 'early@example.com', password: GOOD_PASSWORD, name: 'Early' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('SETUP_REQUIRED');
    expect((await t.client().get('/api/v1/setup')).body.needsSetup).toBe(true);
  });

  it('sign-up → me → update with CSRF → sign-out → sign-in works with the session cookie', async () => {
    await setUpInstance(t);
    const { client, me } = await signUpAs(t, 'Sam@Example.com', 'Sam');
    expect(me.user).toMatchObject({ email: 'Sam@Example.com', name: 'Sam', isInstanceAdmin: false, locale: null });
    expect(me.memberships).toEqual([]);

    const got = await client.get<Me>('/api/v1/auth/me');
    expect(got.status).toBe(200);
    expect(got.body.user.id).toBe(me.user.id);
    expect(got.body.csrfToken).toBe(me.csrfToken);

    const noCsrf = await client.patch('/api/v1/auth/me', { name: 'Samuel' }, { 'x-csrf-token': '' });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.code).toBe('CSRF_FAILED');
    const wrongCsrf = await client.patch('/api/v1/auth/me', { name: 'Samuel' }, { 'x-csrf-token': 'not-the-token' });
    expect(wrongCsrf.body.code).toBe('CSRF_FAILED');
    expect((await client.get<Me>('/api/v1/auth/me')).body.user.name).toBe('Sam');

    const updated = await client.patch<Me>('/api/v1/auth/me', { name: 'Samuel', locale: 'de' });
    expect(updated.status).toBe(200);
    expect(updated.body.user).toMatchObject({ name: 'Samuel', locale: 'de' });

    const out = await client.post('/api/v1/auth/sign-out');
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().some((c) => /^podium_session=;/.test(c))).toBe(true);
    expect((await client.get('/api/v1/auth/me')).status).toBe(401);
    const sessions = await t.server.ctx.sql.query('select 1 from sessions where user_id = $1', [me.user.id]);
    expect(sessions).toHaveLength(0);

    const back = await client.post<Me>('/api/v1/auth/sign-in', { email: 'sam@example.COM', password: GOOD_PASSWORD });
    expect(back.status).toBe(200);
    expect(back.body.user.name).toBe('Samuel');
    expect((await client.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('a write without the CSRF header answers 403 CSRF_FAILED even on sign-out, and the session stays', async () => {
    await setUpInstance(t);
    const { client } = await signUpAs(t, 'csrf@example.com');
    const res = await client.post('/api/v1/auth/sign-out', undefined, { 'x-csrf-token': '' });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('CSRF_FAILED');
    expect((await client.get('/api/v1/auth/me')).status).toBe(200);
  });

  it('the database keeps only the hash of the session cookie', async () => {
    await setUpInstance(t);
    const client = t.client();
    const res = await client.post('/api/v1/auth/sign-in', { email: OWNER.email, password: OWNER.password });
    const value = res.headers.getSetCookie().find((c) => c.startsWith('podium_session='))!.split(';')[0].split('=')[1];
    const rows = await t.server.ctx.sql.query<{ token_hash: string }>('select token_hash from sessions');
    expect(rows.map((r) => r.token_hash)).toContain(hashToken(value));
    expect(rows.map((r) => r.token_hash)).not.toContain(value);
  });

  it('sign-in with a wrong password or an unknown email answers the same 401 INVALID_CREDENTIALS', async () => {
    await setUpInstance(t);
    const wrong = await t.client().post('/api/v1/auth/sign-in', { email: OWNER.email, password: 'not-the-password' });
    const unknown = await t.client().post('/api/v1/auth/sign-in', { email: 'nobody@example.com', password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    expect(wrong.headers.getSetCookie()).toEqual([]);
  });

  it('sign-up with an email that has an account (any case) answers 409 EMAIL_TAKEN; concurrent duplicates create one account', async () => {
    await setUpInstance(t);
    const dup = await t.client().post('/api/v1/auth/sign-up', { email: OWNER.email.toUpperCase(), password: GOOD_PASSWORD, name: 'Copy' });
    expect(dup.status).toBe(409);
    expect(dup.body.code).toBe('EMAIL_TAKEN');

    const racers = await Promise.all(
      [1, 2, 3].map(() => t.client().post('/api/v1/auth/sign-up', { email: 'race@example.com', password: GOOD_PASSWORD, name: 'Racer' })),
    );
    expect(racers.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const rows = await t.server.ctx.sql.query("select 1 from users where email_lower = 'race@example.com'");
    expect(rows).toHaveLength(1);
  });

  it('a password shorter than 10 characters answers 400 WEAK_PASSWORD and creates nothing', async () => {
    const res = await t.client().post('/api/v1/setup', { ...SETUP, password: 'short' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('WEAK_PASSWORD');
    expect((await t.client().get('/api/v1/setup')).body.needsSetup).toBe(true);
  });

  it('a session ends after sessionHours', async () => {
    const { owner } = await setUpInstance(t);
    t.advance((t.server.ctx.config.sessionHours + 1) * 3_600_000);
    const res = await owner.get('/api/v1/auth/me');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it('signing in again from the same browser ends its previous session', async () => {
    const { owner, me } = await setUpInstance(t);
    await owner.post('/api/v1/auth/sign-in', { email: OWNER.email, password: OWNER.password });
    const rows = await t.server.ctx.sql.query('select 1 from sessions where user_id = $1', [me.user.id]);
    expect(rows).toHaveLength(1);
  });
});
