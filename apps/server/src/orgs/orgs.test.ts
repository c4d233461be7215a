import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Me, Org } from '@podium/protocol';
import { STORE_KINDS } from '../testing/sql';
import { startTestServer, type TestServer } from '../testing/server';
import { addMember, setUpInstance, signUpAs } from '../accounts/test-helpers';

describe.each(STORE_KINDS)('organizations on %s', (store) => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer({ store });
  });
  afterEach(async () => t.close());

  it('a signed-up person creates an organization and becomes its owner', async () => {
    await setUpInstance(t);
    const { client } = await signUpAs(t, 'founder@example.com');
    const res = await client.post<Org>('/api/v1/orgs', { name: 'Fjörd Academy', dataRegion: 'eu-west' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Fjörd Academy', slug: 'fjord-academy', dataRegion: 'eu-west' });
    const me = await client.get<Me>('/api/v1/auth/me');
    expect(me.body.memberships).toEqual([
      { orgId: res.body.id, orgName: 'Fjörd Academy', orgSlug: 'fjord-academy', dataRegion: 'eu-west', role: 'owner' },
    ]);
    expect((await client.get<Org>(`/api/v1/orgs/${res.body.id}`)).body).toEqual(res.body);
  });

  it('a derived slug that is taken gets -2, -3…; a chosen slug that is taken answers 409 SLUG_TAKEN', async () => {
    const { owner } = await setUpInstance(t, 'Acme');
    const second = await owner.post<Org>('/api/v1/orgs', { name: 'ACME', dataRegion: 'eu-central' });
    const third = await owner.post<Org>('/api/v1/orgs', { name: 'acme!', dataRegion: 'eu-central' });
    expect([second.body.slug, third.body.slug]).toEqual(['acme-2', 'acme-3']);
    const chosen = await owner.post('/api/v1/orgs', { name: 'Other', slug: 'acme-2', dataRegion: 'eu-central' });
    expect(chosen.status).toBe(409);
    expect(chosen.body.code).toBe('SLUG_TAKEN');
    const free = await owner.post<Org>('/api/v1/orgs', { name: 'Other', slug: 'other-place', dataRegion: 'us-east' });
    expect(free.body.slug).toBe('other-place');
  });

  it('concurrent organizations with the same name all get distinct slugs', async () => {
    const { owner } = await setUpInstance(t, 'Solo');
    const results = await Promise.all([1, 2, 3, 4].map(() => owner.post<Org>('/api/v1/orgs', { name: 'Twin', dataRegion: 'eu-central' })));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body.slug)).size).toBe(4);
  });

  it('an invalid slug or data region answers 400 VALIDATION_FAILED', async () => {
    const { owner } = await setUpInstance(t);
    expect((await owner.post('/api/v1/orgs', { name: 'X', slug: 'Bad Slug', dataRegion: 'eu-central' })).body.code).toBe('VALIDATION_FAILED');
    expect((await owner.post('/api/v1/orgs', { name: 'X', dataRegion: 'mars' })).body.code).toBe('VALIDATION_FAILED');
  });

  it('admins rename an organization; its data region stays; hosts may read but not rename', async () => {
    const { owner, orgId } = await setUpInstance(t);
    const renamed = await owner.patch<Org>(`/api/v1/orgs/${orgId}`, { name: 'Acme Events', dataRegion: 'us-east' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Acme Events', dataRegion: 'eu-central', slug: 'acme-webinars' });

    const { client: host } = await addMember(t, owner, orgId, 'host@example.com', 'host');
    expect((await host.get(`/api/v1/orgs/${orgId}`)).status).toBe(200);
    const denied = await host.patch(`/api/v1/orgs/${orgId}`, { name: 'Hijacked' });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('FORBIDDEN');
  });

  it('a person outside the organization gets 403 and anonymous callers 401', async () => {
    const { orgId } = await setUpInstance(t);
    const { client: stranger } = await signUpAs(t, 'stranger@example.com');
    expect((await stranger.get(`/api/v1/orgs/${orgId}`)).status).toBe(403);
    expect((await t.client().get(`/api/v1/orgs/${orgId}`)).status).toBe(401);
  });

  it('creating an organization needs a signed-in person', async () => {
    const res = await t.client().post('/api/v1/orgs', { name: 'Nope', dataRegion: 'eu-central' });
    expect(res.status).toBe(401);
  });
});
