import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server';
import { seedUserSession } from '../testing/seed-rows';

const WRONG_SIGN_IN = { email: 'nobody@example.test', password: 'wrong password 123' };

function cspOf(headers: Headers): Map<string, string> {
  const csp = headers.get('content-security-policy') ?? '';
  return new Map(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, ...values] = d.split(/\s+/);
    return [name, values.join(' ')] as [string, string];
  }));
}

describe('security headers', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.close());

  it('every response carries a strict content security policy', async () => {
    const res = await t.client().get('/api/v1/health');
    const csp = cspOf(res.headers);
    expect(csp.get('default-src')).toBe("'self'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('style-src')).toBe("'self' 'unsafe-inline'");
    expect(csp.get('img-src')).toBe("'self' data: blob:");
    expect(csp.get('connect-src')).toBe("'self' ws: wss:");
    expect(csp.get('media-src')).toBe("'self' blob:");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(csp.get('object-src')).toBe("'none'");
    expect(csp.get('base-uri')).toBe("'self'");
    expect(csp.get('form-action')).toBe("'self'");
    expect(csp.has('upgrade-insecure-requests')).toBe(false);
  });

  it('sends no-referrer, nosniff and a permissions policy limited to our own origin, and no HSTS over HTTP', async () => {
    const res = await t.client().get('/api/v1/nope');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const pp = res.headers.get('permissions-policy') ?? '';
    expect(pp).toContain('camera=(self)');
    expect(pp).toContain('microphone=(self)');
    expect(pp).toContain('display-capture=(self)');
    expect(pp).toContain('geolocation=()');
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('sends HSTS and upgrade-insecure-requests when Podium runs behind HTTPS (secureCookies)', async () => {
    const https = await startTestServer({ config: { secureCookies: true } });
    try {
      const res = await https.client().get('/api/v1/health');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=31536000/);
      expect(cspOf(res.headers).has('upgrade-insecure-requests')).toBe(true);
    } finally {
      await https.close();
    }
  });
});

describe('rate limits', () => {
  let t: TestServer | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('the 21st sign-in attempt in a minute from one address gets 429 RATE_LIMITED, while other routes still answer', async () => {
    t = await startTestServer({ config: { authRateLimitPerMinute: 20 } });
    const c = t.client();
    for (let i = 1; i <= 20; i++) {
      const res = await c.post('/api/v1/auth/sign-in', WRONG_SIGN_IN);
      expect(res.status, `attempt ${i}`).not.toBe(429);
    }
    const limited = await c.post('/api/v1/auth/sign-in', WRONG_SIGN_IN);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);

    const health = await c.get('/api/v1/health');
    expect(health.status).toBe(200);
    // Another strict route shares the budget: a guesser cannot switch to password resets.
    expect((await c.post('/api/v1/auth/password-reset', { email: 'x@example.test' })).status).toBe(429);

    t.advance(61_000);
    expect((await c.post('/api/v1/auth/sign-in', WRONG_SIGN_IN)).status).not.toBe(429);
  });

  it('every API request counts against the general limit; pages outside /api do not', async () => {
    t = await startTestServer({ config: { rateLimitPerMinute: 5 } });
    const c = t.client();
    for (let i = 0; i < 5; i++) expect((await c.get('/api/v1/health')).status).toBe(200);
    const limited = await c.get('/api/v1/nope');
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
    expect((await c.get('/')).status).not.toBe(429);
  });

  it('ignores X-Forwarded-For unless trustProxy is set, so a client cannot pick its own address', async () => {
    t = await startTestServer({ config: { authRateLimitPerMinute: 2 } });
    const c = t.client();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await c.post('/api/v1/auth/sign-in', WRONG_SIGN_IN, { 'x-forwarded-for': `198.51.100.${i}` })).status);
    expect(statuses[2]).toBe(429);
  });

  it('with trustProxy, clients behind the proxy are counted by their forwarded address', async () => {
    t = await startTestServer({ config: { authRateLimitPerMinute: 2, trustProxy: true } });
    const c = t.client();
    const one = { 'x-forwarded-for': '198.51.100.1' };
    expect((await c.post('/api/v1/auth/sign-in', WRONG_SIGN_IN, one)).status).not.toBe(429);
    expect((await c.post('/api/v1/auth/sign-in', WRONG_SIGN_IN, one)).status).not.toBe(429);
    expect((await c.post('/api/v1/auth/sign-in', WRONG_SIGN_IN, one)).status).toBe(429);
    const other = await c.post('/api/v1/auth/sign-in', WRONG_SIGN_IN, { 'x-forwarded-for': '198.51.100.2' });
    expect(other.status).not.toBe(429);
  });
});

describe('CSRF', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.close());

  it('a cookie-authenticated write without the x-csrf-token header is refused with 403 CSRF_FAILED and changes nothing', async () => {
    const s = await seedUserSession(t.server.ctx.sql);
    const c = t.client();
    const refused = await c.post('/api/v1/auth/sign-out', undefined, { cookie: s.cookie });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('CSRF_FAILED');
    const wrong = await c.post('/api/v1/auth/sign-out', undefined, { cookie: s.cookie, 'x-csrf-token': 'not-the-token' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.code).toBe('CSRF_FAILED');
    const sessions = await t.server.ctx.sql.query('select 1 from sessions where user_id = $1', [s.userId]);
    expect(sessions).toHaveLength(1);

    const accepted = await c.post('/api/v1/auth/sign-out', undefined, { cookie: s.cookie, 'x-csrf-token': s.csrfToken });
    expect(accepted.status).toBe(200);
  });
});
