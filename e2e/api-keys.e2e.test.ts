import type { Event } from '@podium/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { createEventViaApi, setUpInstance, type SetUpInstance } from './lib/podium';
import { screenshot, useE2E } from './lib/suite';

describe('the REST API for an organization\'s own systems', () => {
  const e2e = useE2E();
  let instance: SetUpInstance;
  let event: Event;

  beforeAll(async () => {
    instance = await setUpInstance(e2e.podium, 'Acme Events');
    event = await createEventViaApi(instance.client, instance.orgId, { title: 'Quarterly investor webinar' });
  });

  it('API keys work with the REST API and the reference page loads', async () => {
    const { podium } = e2e;
    const { orgId, owner } = instance;
    const eventsUrl = `${podium.url}/api/v1/orgs/${orgId}/events`;

    const page = await e2e.newPage();
    await page.goto(`${podium.url}/sign-in`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password', { exact: true }).fill(owner.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(/\/o\/org_[^/]+$/);

    // Create a key: its secret is shown once.
    await page.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await page.getByText('No API keys yet').waitFor();
    await page.getByLabel('Name').fill('CRM sync');
    await page.getByRole('button', { name: 'Create key' }).click();
    await page.getByText('Copy the secret of “CRM sync” now').waitFor();
    const secret = await page.getByLabel('Secret').inputValue();
    expect(secret).toMatch(/^pdm_[A-Za-z0-9_-]{20,}$/);
    await page.getByRole('row').filter({ hasText: 'CRM sync' }).getByText('Active').waitFor();
    await screenshot(page, 'api-key-created');

    // The key reads the organization's events over the REST API; nothing else does.
    const withKey = await fetch(eventsUrl, { headers: { authorization: `Bearer ${secret}` } });
    expect(withKey.status).toBe(200);
    const list = (await withKey.json()) as { items: Event[]; nextCursor: string | null };
    expect(list.items.map((e) => e.title)).toContain(event.title);
    expect((await fetch(eventsUrl)).status).toBe(401);
    expect((await fetch(eventsUrl, { headers: { authorization: `Bearer ${secret.slice(0, -4)}AAAA` } })).status).toBe(401);

    // Once put away, the secret is never shown again.
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await page.getByLabel('Secret').waitFor({ state: 'detached' });
    await page.reload();
    await page.getByRole('row').filter({ hasText: 'CRM sync' }).waitFor();
    expect(await page.content()).not.toContain(secret);

    // Revoking the key locks it out.
    const row = page.getByRole('row').filter({ hasText: 'CRM sync' });
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByRole('button', { name: 'Yes, revoke' }).click();
    await row.getByText('Revoked').waitFor();
    expect((await fetch(eventsUrl, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(401);

    // The machine-readable description of the API.
    const openapi = await fetch(`${podium.url}/api/v1/openapi.json`);
    expect(openapi.status).toBe(200);
    const doc = (await openapi.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(doc.paths)).toContain('/api/v1/orgs/{orgId}/events');

    // The reference page renders in the browser, with no script or style blocked by the CSP.
    const problems: string[] = [];
    const docs = await e2e.newPage();
    docs.on('console', (m) => {
      // The browser's own guess at /favicon.ico is not the page's doing.
      if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) problems.push(`${m.text()} ${m.location().url}`);
    });
    docs.on('pageerror', (err) => problems.push(err.message));
    docs.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    const res = await docs.goto(`${podium.url}/api/docs`);
    expect(res?.status()).toBe(200);
    await docs.getByRole('heading', { name: /Podium API/, level: 1 }).waitFor();
    await docs.getByText('/api/v1/orgs/{orgId}/events').first().waitFor();
    // Its stylesheet applied (a blocked one would leave the browser's serif default).
    expect(await docs.evaluate(() => getComputedStyle(document.body).fontFamily)).not.toMatch(/^"?(Times|serif)/i);
    await screenshot(docs, 'api-docs', { fullPage: false });
    expect(problems).toEqual([]);
  });
});
