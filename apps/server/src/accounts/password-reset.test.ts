import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../testing/sql';
import { startTestServer, type TestServer } from '../testing/server';
import { GOOD_PASSWORD, mailsTo, OWNER, setUpInstance, signUpAs, tokenFromLastMail } from './test-helpers';

const NEW_PASSWORD = 'a brand new passphrase';

describe.each(STORE_KINDS)('password reset on %s', (store) => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer({ store });
    await setUpInstance(t);
  });
  afterEach(async () => t.close());

  it('a request for an unknown email answers 202 like any other and sends nothing', async () => {
    const res = await t.client().post('/api/v1/auth/password-reset', { email: 'ghost@example.com' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ ok: true });
    expect(await mailsTo(t, 'ghost@example.com')).toEqual([]);
  });

  it('request → email with link → confirm sets the password and ends every session', async () => {
    const { client: laptop, me } = await signUpAs(t, 'reset.me@example.com', 'Rita');
    const phone = t.client();
    expect((await phone.post('/api/v1/auth/sign-in', { email: 'reset.me@example.com', password: GOOD_PASSWORD })).status).toBe(200);

    const req = await t.client().post('/api/v1/auth/password-reset', { email: 'RESET.me@Example.com' });
    expect(req.status).toBe(202);
    const mails = await mailsTo(t, 'reset.me@example.com');
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ org_id: null, to_address: 'reset.me@example.com' });
    expect(mails[0].text_body).toContain(`${t.url}/reset-password?token=`);
    expect(mails[0].text_body).toContain('Rita');
    expect(mails[0].html_body).toContain('/reset-password?token=');
    const token = await tokenFromLastMail(t, 'reset.me@example.com', '/reset-password');

    const confirm = await t.client().post('/api/v1/auth/password-reset/confirm', { token, password: NEW_PASSWORD });
    expect(confirm.status).toBe(200);
    expect(confirm.body).toEqual({ ok: true });

    expect((await laptop.get('/api/v1/auth/me')).status).toBe(401);
    expect((await phone.get('/api/v1/auth/me')).status).toBe(401);
    expect(await t.server.ctx.sql.query('select 1 from sessions where user_id = $1', [me.user.id])).toHaveLength(0);

    const old = await t.client().post('/api/v1/auth/sign-in', { email: 'reset.me@example.com', password: GOOD_PASSWORD });
    expect(old.body.code).toBe('INVALID_CREDENTIALS');
    const fresh = await t.client().post('/api/v1/auth/sign-in', { email: 'reset.me@example.com', password: NEW_PASSWORD });
    expect(fresh.status).toBe(200);
  });

  it('a reset link works once', async () => {
    await t.client().post('/api/v1/auth/password-reset', { email: OWNER.email });
    const token = await tokenFromLastMail(t, OWNER.email, '/reset-password');
    expect((await t.client().post('/api/v1/auth/password-reset/confirm', { token, password: NEW_PASSWORD })).status).toBe(200);
    const again = await t.client().post('/api/v1/auth/password-reset/confirm', { token, password: 'yet another passphrase' });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('TOKEN_INVALID');
  });

  it('a reset link expires after one hour', async () => {
    await t.client().post('/api/v1/auth/password-reset', { email: OWNER.email });
    const token = await tokenFromLastMail(t, OWNER.email, '/reset-password');
    t.advance(61 * 60 * 1000);
    const res = await t.client().post('/api/v1/auth/password-reset/confirm', { token, password: NEW_PASSWORD });
    expect(res.body.code).toBe('TOKEN_INVALID');
    expect((await t.client().post('/api/v1/auth/sign-in', { email: OWNER.email, password: OWNER.password })).status).toBe(200);
  });

  it('a weak new password answers WEAK_PASSWORD and leaves the link usable', async () => {
    await t.client().post('/api/v1/auth/password-reset', { email: OWNER.email });
    const token = await tokenFromLastMail(t, OWNER.email, '/reset-password');
    const weak = await t.client().post('/api/v1/auth/password-reset/confirm', { token, password: 'short' });
    expect(weak.body.code).toBe('WEAK_PASSWORD');
    expect((await t.client().post('/api/v1/auth/password-reset/confirm', { token, password: NEW_PASSWORD })).status).toBe(200);
  });

  it('an unknown token answers 400 TOKEN_INVALID', async () => {
    const res = await t.client().post('/api/v1/auth/password-reset/confirm', { token: 'x'.repeat(43), password: NEW_PASSWORD });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('TOKEN_INVALID');
  });

  it('using one link kills the other links sent before it', async () => {
    await t.client().post('/api/v1/auth/password-reset', { email: OWNER.email });
    const first = await tokenFromLastMail(t, OWNER.email, '/reset-password');
    await t.client().post('/api/v1/auth/password-reset', { email: OWNER.email });
    const second = await tokenFromLastMail(t, OWNER.email, '/reset-password');
    expect(second).not.toBe(first);
    expect((await t.client().post('/api/v1/auth/password-reset/confirm', { token: second, password: NEW_PASSWORD })).status).toBe(200);
    const old = await t.client().post('/api/v1/auth/password-reset/confirm', { token: first, password: 'yet another passphrase' });
    expect(old.body.code).toBe('TOKEN_INVALID');
  });
});
