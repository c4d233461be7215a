import type { Page } from 'playwright-core';
import type { Event } from '@podium/protocol';
import { beforeAll, describe, expect, it } from 'vitest';
import { scrollsSideways, whollyInView } from './lib/layout';
import { TestClient } from '../apps/server/src/testing/client';
import { createEventViaApi, setUpInstance, type SetUpInstance } from './lib/podium';
import { screenshot, useE2E } from './lib/suite';

/** The language the page declares on <html lang>. */
function pageLanguage(page: Page): Promise<string> {
  return page.evaluate(() => document.documentElement.lang);
}

describe('people in other languages and on phones', () => {
  const e2e = useE2E();
  let instance: SetUpInstance;
  let event: Event;

  beforeAll(async () => {
    instance = await setUpInstance(e2e.podium, 'Acme Events');
    event = await createEventViaApi(instance.client, instance.orgId, {
      title: 'Data protection for small teams',
      description: 'A practical hour on what GDPR asks of a team of five, with time for your questions.',
      agenda: [{ title: 'Welcome', durationMinutes: 5 }, { title: 'The five duties', durationMinutes: 40 }, { title: 'Questions', durationMinutes: 15 }],
      registrationFields: [{ key: 'company', label: 'Company', type: 'text', required: false }],
      capacity: 100,
    });
    // One person already registered, so the hosts' registrant list has a row to lay out.
    const res = await new TestClient(e2e.podium.url).post(`/api/v1/public/events/${event.id}/registrations`, {
      name: 'Grace Registrant',
      email: 'grace.registrant.with.a.long.address@example.org',
      fields: { company: 'Compilers and Co' },
      consentVersion: event.consentVersion,
      consentAccepted: true,
    });
    if (res.status !== 201) throw new Error(`registering failed: ${res.status} ${res.text}`);
  });

  it('the app speaks the visitor\'s language', async () => {
    const { podium } = e2e;
    // A browser set to German.
    const page = await e2e.newPage({ locale: 'de-DE', timezoneId: 'Europe/Berlin' });
    await page.goto(`${podium.url}/sign-in`);
    await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
    await page.getByLabel('E-Mail-Adresse').waitFor();
    await page.getByRole('link', { name: 'Passwort vergessen?' }).waitFor();
    expect(await pageLanguage(page)).toBe('de');
    await screenshot(page, 'sign-in-de', { fullPage: false });

    await page.goto(`${podium.url}/e/${event.id}`);
    await page.getByRole('heading', { name: event.title, level: 1 }).waitFor();
    await page.getByText('Veranstaltet von Acme Events').waitFor();
    await page.getByText('Über diese Veranstaltung').waitFor();
    await page.getByRole('button', { name: 'Anmelden', exact: true }).waitFor();
    await screenshot(page, 'public-event-de');

    // Switching to Polish with the language picker, and the choice sticks after a reload.
    await page.getByLabel('Sprache').selectOption('pl');
    await page.getByText('Organizator: Acme Events').waitFor();
    await page.getByRole('button', { name: 'Zapisz się', exact: true }).waitFor();
    expect(await pageLanguage(page)).toBe('pl');
    await page.reload();
    await page.getByText('Organizator: Acme Events').waitFor();
    expect(await pageLanguage(page)).toBe('pl');
    // … and on the other pages of the app.
    await page.goto(`${podium.url}/sign-in`);
    await page.getByRole('heading', { name: 'Zaloguj się' }).waitFor();

    // Then French, from the sign-in page.
    await page.getByLabel('Język').selectOption('fr');
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    await page.getByRole('button', { name: 'Se connecter' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Connexion' }).waitFor();
    expect(await pageLanguage(page)).toBe('fr');
    await page.goto(`${podium.url}/e/${event.id}`);
    await page.getByText('Organisé par Acme Events').waitFor();

    // A visitor whose browser speaks English is not affected by that choice.
    const english = await e2e.newPage({ locale: 'en-US' });
    await english.goto(`${podium.url}/e/${event.id}`);
    await english.getByText('Organized by Acme Events').waitFor();
  });

  it('mobile layout: dashboard, editor and public page fit a phone, and the menu opens and closes', async () => {
    const { podium } = e2e;
    const phone = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
    const page = await e2e.newPage(phone);
    await page.goto(`${podium.url}/sign-in`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await page.getByLabel('Email').fill(instance.owner.email);
    await page.getByLabel('Password', { exact: true }).fill(instance.owner.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();

    // The dashboard, with the event in it.
    await page.waitForURL(/\/o\/org_[^/]+$/);
    await page.getByRole('heading', { name: 'Events', level: 1 }).waitFor();
    await page.getByRole('link', { name: event.title }).waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'mobile-dashboard');

    // The navigation sits behind the menu button.
    const menuButton = page.getByRole('button', { name: 'Open menu' });
    const nav = page.getByRole('navigation', { name: 'Organization' });
    expect(await nav.isVisible()).toBe(false);
    await menuButton.click();
    await nav.waitFor({ state: 'visible' });
    await nav.getByRole('link', { name: 'API keys' }).waitFor();
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, 'mobile-menu-open', { fullPage: false });
    await page.keyboard.press('Escape');
    await nav.waitFor({ state: 'hidden' });
    expect(await page.getByRole('button', { name: 'Open menu' }).getAttribute('aria-expanded')).toBe('false');
    // Choosing a page in the menu goes there and closes the menu.
    await page.getByRole('button', { name: 'Open menu' }).click();
    await nav.getByRole('link', { name: 'Members' }).click();
    await page.waitForURL('**/members');
    await nav.waitFor({ state: 'hidden' });

    // The event editor.
    await page.goto(`${podium.url}/o/${instance.orgId}/events/new`);
    await page.getByRole('heading', { name: 'New event', level: 1 }).waitFor();
    expect(await scrollsSideways(page)).toBe(false);

    // The registrants, one card per person, with Remove in reach.
    await page.goto(`${podium.url}/o/${instance.orgId}/events/${event.id}/registrants`);
    await page.getByRole('heading', { name: 'Registrants', level: 1 }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'Grace Registrant' });
    await row.waitFor();
    expect(await row.innerText()).toContain('Compilers and Co');
    expect(await scrollsSideways(page)).toBe(false);
    expect(await whollyInView(row.getByRole('button', { name: /^Remove/ }))).toBe(true);
    await screenshot(page, 'mobile-registrants');

    // The public page, as a visitor on a phone sees it.
    const visitor = await e2e.newPage(phone);
    await visitor.goto(`${podium.url}/e/${event.id}`);
    await visitor.getByRole('heading', { name: event.title, level: 1 }).waitFor();
    await visitor.getByRole('button', { name: 'Register', exact: true }).waitFor();
    expect(await scrollsSideways(visitor)).toBe(false);
    await screenshot(visitor, 'mobile-public-event');
  });
});
