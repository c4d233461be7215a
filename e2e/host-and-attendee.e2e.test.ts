import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { whollyInView } from './lib/layout';
import { calendarAttachment, linkIn, waitForMail } from './lib/mail';
import { person } from './lib/podium';
import { screenshot, useE2E } from './lib/suite';

/** A date `days` ahead as the yyyy-mm-dd a date input takes. */
function dateInput(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

describe('Podium from a fresh install to an attendee holding a join link', () => {
  const e2e = useE2E();

  it('a host signs up, creates a webinar, and an attendee registers and gets a working join link by email', async () => {
    const { podium } = e2e;
    const host = person('host');
    const attendee = { ...person('attendee'), name: 'Ada Attendee', company: 'Analytical Engines Ltd' };
    const orgName = 'Acme Events';
    const title = 'Spring product update';
    const consent = 'I agree that Acme Events stores my name, email and company to run this webinar.';

    // First run: the app sends the first visitor to the setup page.
    const hostPage = await e2e.newPage();
    await hostPage.goto(`${podium.url}/`);
    await hostPage.waitForURL('**/setup');
    await hostPage.getByRole('heading', { name: 'Welcome to Podium' }).waitFor();
    await hostPage.getByLabel('Your name').fill(host.name);
    await hostPage.getByLabel('Email').fill(host.email);
    await hostPage.getByLabel('Password').fill(host.password);
    await hostPage.getByLabel('Organization name').fill(orgName);
    await hostPage.getByLabel('Data region').selectOption('eu-central');
    await hostPage.getByRole('button', { name: 'Create account and organization' }).click();

    // The dashboard of the new organization, still empty.
    await hostPage.waitForURL(/\/o\/org_[^/]+$/);
    await hostPage.getByRole('heading', { name: 'Events', level: 1 }).waitFor();
    await hostPage.getByText('Plan your first event').waitFor();
    expect(await hostPage.locator('.page-subtitle').textContent()).toBe(orgName);
    await screenshot(hostPage, 'dashboard-empty');

    // The event editor.
    await hostPage.getByRole('link', { name: 'New event', exact: true }).click();
    await hostPage.waitForURL('**/events/new');
    await hostPage.getByRole('heading', { name: 'New event', level: 1 }).waitFor();
    await hostPage.getByRole('radio', { name: /^Webinar/ }).check();
    await hostPage.getByRole('textbox', { name: /^Title/ }).fill(title);
    await hostPage.getByRole('textbox', { name: /^Description/ }).fill('What is new this spring, with a live demo and questions at the end.');
    await hostPage.getByLabel('Date').fill(dateInput(21));
    await hostPage.getByLabel('Start time').fill('15:30');
    await hostPage.getByLabel('Duration (minutes)').fill('45');
    await hostPage.getByLabel('Time zone').selectOption('Europe/Warsaw');
    await hostPage.getByRole('radio', { name: /^Registration required/ }).check();
    await hostPage.getByRole('button', { name: /Add question/ }).click();
    await hostPage.getByRole('textbox', { name: /^Question/ }).fill('Company');
    await hostPage.getByLabel('Required', { exact: true }).check();
    await hostPage.getByRole('textbox', { name: /^Consent text/ }).fill(consent);
    // The preview reads the time back in the chosen zone.
    expect(await hostPage.locator('.ev-preview').textContent()).toMatch(/\b(15:30|0?3:30\sPM)\b/);
    await screenshot(hostPage, 'event-editor');
    await hostPage.getByRole('button', { name: 'Create event' }).click();

    // The event's page for its hosts.
    await hostPage.waitForURL(/\/events\/evt_[^/]+$/);
    await hostPage.getByRole('heading', { name: title, level: 1 }).waitFor();
    const eventId = new URL(hostPage.url()).pathname.split('/').pop()!;
    const detailText = await hostPage.locator('main').innerText();
    expect(detailText).toContain('Registration required');
    expect(detailText).toContain('Europe/Warsaw');
    expect(detailText).toContain('Company *');
    await screenshot(hostPage, 'event-detail');
    // Copy the link to share, as the host would, and read it back from the clipboard.
    await hostPage.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: podium.url });
    await hostPage.getByRole('button', { name: 'Copy', exact: true }).click();
    await hostPage.getByRole('button', { name: 'Copied', exact: true }).waitFor();
    const publicUrl = await hostPage.evaluate(() => navigator.clipboard.readText());
    expect(publicUrl).toBe(`${podium.url}/e/${eventId}`);
    expect(await hostPage.getByLabel('Link to share').inputValue()).toBe(publicUrl);

    // Someone else, in another browser profile and another time zone, opens the shared link.
    const visitor = await e2e.newPage({ timezoneId: 'America/New_York' });
    await visitor.goto(publicUrl);
    await visitor.getByRole('heading', { name: title, level: 1 }).waitFor();
    await visitor.getByText(`Organized by ${orgName}`).waitFor();
    await visitor.getByText(consent).waitFor();
    await screenshot(visitor, 'registration-page');
    await visitor.getByLabel('Your name').fill(attendee.name);
    await visitor.getByLabel('Email address').fill(attendee.email);
    await visitor.getByLabel('Company').fill(attendee.company);
    await visitor.getByLabel('I have read and accept this text.').check();
    await visitor.getByRole('button', { name: 'Register', exact: true }).click();
    await visitor.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    await visitor.getByText(attendee.email).waitFor();
    await screenshot(visitor, 'registration-done', { fullPage: false });

    // The confirmation arrives over SMTP with the personal join link and a calendar file.
    const mail = await waitForMail(podium.smtp, attendee.email, new RegExp(title));
    expect(mail.subject).toContain(title);
    const joinUrl = linkIn(mail, `${podium.url}/join/`);
    expect(joinUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/join\/[A-Za-z0-9._~-]+$/);
    const ics = calendarAttachment(mail).replace(/\r?\n[ \t]/g, '');
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).toMatch(new RegExp(`^SUMMARY[^:]*:${title}\\r?$`, 'm'));

    // The join link works and knows who it belongs to.
    await visitor.goto(joinUrl);
    await visitor.getByRole('heading', { name: title, level: 1 }).waitFor();
    await visitor.getByText(`Hello ${attendee.name},`).waitFor();
    await screenshot(visitor, 'join-page');

    // The host sees the registration, with the answer to the custom question.
    await hostPage.getByRole('link', { name: /View registrants/ }).click();
    await hostPage.waitForURL('**/registrants');
    await hostPage.getByRole('heading', { name: 'Registrants', level: 1 }).waitFor();
    const row = hostPage.getByRole('row').filter({ hasText: attendee.email });
    await row.waitFor();
    const rowText = await row.innerText();
    expect(rowText).toContain(attendee.name);
    expect(rowText).toContain(attendee.company);
    expect(await hostPage.getByRole('columnheader', { name: 'Company' }).count()).toBe(1);
    // Removing is one click away, without scrolling the table sideways.
    expect(await whollyInView(row.getByRole('button', { name: /^Remove/ }))).toBe(true);
    await screenshot(hostPage, 'registrants');

    // The CSV export downloads a file with the attendee in it.
    const [download] = await Promise.all([
      hostPage.waitForEvent('download'),
      hostPage.getByRole('link', { name: /Export CSV/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv).toContain(attendee.email);
    expect(csv).toContain(attendee.company);
  });
});
