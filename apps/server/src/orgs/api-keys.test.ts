import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiKey, CreatedApiKey, Org, PageOf } from '@podium/protocol';
import { STORE_KINDS } from '../testing/sql';
import { startTestServer, type TestServer } from '../testing/server';
import type { TestClient } from '../testing/client';
import { hashToken } from '../security/secrets';
import { setUpInstance } from '../accounts/test-helpers';

describe.each(STORE_KINDS)('API keys on %s', (store) => {
  let t: TestServer;
  let owner: TestClient;
  let orgId: string;
  beforeEach(async () => {
    t = await startTestServer({ store });
    ({ owner, orgId } = await setUpInstance(t));
  });
  afterEach(async () => t.close());

  const createKey = (body: Record<string, unknown> = { name: 'CRM sync' }) =>
    owner.post<CreatedApiKey>(`/api/v1/orgs/${orgId}/api-keys`, body);

  it('create → use as Bearer on an org route → revoke → 401', async () => {
    const created = await createKey();
    expect(created.status).toBe(201);
    const { secret, apiKey } = created.body;
    expect(secret).toMatch(/^pdm_[A-Za-z0-9_-]{40,}$/);
    expect(apiKey).toMatchObject({ name: 'CRM sync', prefix: secret.slice(4, 12), lastUsedAt: null, expiresAt: null, revokedAt: null });

    const stored = await t.server.ctx.sql.query<{ key_hash: string }>('select key_hash from api_keys where id = $1', [apiKey.id]);
    expect(stored[0].key_hash).toBe(hashToken(secret));

    const bot = t.client().withApiKey(secret);
    const members = await bot.get(`/api/v1/orgs/${orgId}/members`);
    expect(members.status).toBe(200);
    // Bearer writes need no CSRF token: there is no cookie to forge.
    expect((await bot.post(`/api/v1/orgs/${orgId}/invitations`, { email: 'from-bot@example.com', role: 'host' })).status).toBe(201);

    const listed = await owner.get<PageOf<ApiKey>>(`/api/v1/orgs/${orgId}/api-keys`);
    expect(listed.body.items).toEqual([expect.objectContaining({ id: apiKey.id, lastUsedAt: expect.any(String) })]);
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    const revoked = await owner.delete(`/api/v1/orgs/${orgId}/api-keys/${apiKey.id}`);
    expect(revoked.status).toBe(200);
    const after = await bot.get(`/api/v1/orgs/${orgId}/members`);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('UNAUTHENTICATED');
    expect((await owner.get<PageOf<ApiKey>>(`/api/v1/orgs/${orgId}/api-keys`)).body.items[0].revokedAt).toEqual(expect.any(String));
  });

  it('a key of organization A on organization B answers 403', async () => {
    const other = await owner.post<Org>('/api/v1/orgs', { name: 'Other Org', dataRegion: 'uk-south' });
    const { secret } = (await createKey()).body;
    const res = await t.client().withApiKey(secret).get(`/api/v1/orgs/${other.body.id}/members`);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
  });

  it('a key acts as admin: it cannot invite owners, and cannot use person-only routes', async () => {
    const bot = t.client().withApiKey((await createKey()).body.secret);
    expect((await bot.post(`/api/v1/orgs/${orgId}/invitations`, { email: 'boss@example.com', role: 'owner' })).status).toBe(403);
    expect((await bot.get('/api/v1/auth/me')).status).toBe(403);
    expect((await bot.post('/api/v1/orgs', { name: 'Bot Org', dataRegion: 'eu-central' })).status).toBe(403);
  });

  it('a key with an expiry stops working after it', async () => {
    const created = await createKey({ name: 'Temp', expiresInDays: 1 });
    const start = new Date(created.body.apiKey.createdAt).getTime();
    expect(new Date(created.body.apiKey.expiresAt!).getTime() - start).toBe(24 * 3600 * 1000);
    const bot = t.client().withApiKey(created.body.secret);
    expect((await bot.get(`/api/v1/orgs/${orgId}`)).status).toBe(200);
    t.advance(25 * 3600 * 1000);
    expect((await bot.get(`/api/v1/orgs/${orgId}`)).status).toBe(401);
  });

  it('lists keys newest first, page by page', async () => {
    for (const n of ['k1', 'k2', 'k3']) {
      await createKey({ name: n });
      t.advance(1000);
    }
    const first = await owner.get<PageOf<ApiKey>>(`/api/v1/orgs/${orgId}/api-keys?limit=2`);
    expect(first.body.items.map((k) => k.name)).toEqual(['k3', 'k2']);
    const second = await owner.get<PageOf<ApiKey>>(`/api/v1/orgs/${orgId}/api-keys?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toEqual({ items: [expect.objectContaining({ name: 'k1' })], nextCursor: null });
  });

  it('revoking a key of another organization answers 404 API_KEY_NOT_FOUND', async () => {
    const other = await owner.post<Org>('/api/v1/orgs', { name: 'Other Org', dataRegion: 'eu-central' });
    const { apiKey } = (await createKey()).body;
    const res = await owner.delete(`/api/v1/orgs/${other.body.id}/api-keys/${apiKey.id}`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('API_KEY_NOT_FOUND');
  });
});
