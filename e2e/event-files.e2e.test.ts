import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { makePdf } from '../apps/server/src/files/testing/make-pdf';
import { createEventViaApi, setUpInstance, type SetUpInstance } from './lib/podium';
import { screenshot, useE2E } from './lib/suite';

/** Signs the instance's owner in through the sign-in page. */
async function signIn(page: Page, url: string, instance: SetUpInstance): Promise<void> {
  await page.goto(`${url}/sign-in`);
  await page.getByLabel('Email').fill(instance.owner.email);
  await page.getByLabel('Password', { exact: true }).fill(instance.owner.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(/\/o\/org_/);
}

/** Drops a file on the section's drop zone, as dragging it from the desktop does. */
async function dropFile(page: Page, name: string, type: string, bytes: Buffer): Promise<void> {
  await page.locator('.ef-drop').evaluate((zone, f) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
    zone.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true }));
    zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true }));
  }, { name, type, bytes: [...bytes] });
}

describe('slides and handouts on the event page', () => {
  const e2e = useE2E();
  let instance: SetUpInstance;
  let eventPath: string;

  beforeAll(async () => {
    instance = await setUpInstance(e2e.podium);
    const event = await createEventViaApi(instance.client, instance.orgId, { title: 'Quarterly all-hands' });
    eventPath = `/o/${instance.orgId}/events/${event.id}`;
  });

  it('a host uploads a PDF and sees it listed with its page count, is told why a fake PDF is refused, downloads and removes a file', async () => {
    const { podium } = e2e;
    const page = await e2e.newPage();
    await signIn(page, podium.url, instance);
    await page.goto(`${podium.url}${eventPath}`);
    const section = page.locator('section.card', { has: page.getByRole('heading', { name: 'Slides and handouts' }) });
    await section.getByText('No files yet').waitFor();
    await section.getByText(/Up to 100\sMB per file/).waitFor();

    // The file picker, reached like any button; the PDF is uploaded as slides.
    const chooser = page.waitForEvent('filechooser');
    await section.getByRole('button', { name: 'Choose files' }).click();
    await (await chooser).setFiles({ name: 'Quarterly results.pdf', mimeType: 'application/pdf', buffer: makePdf({ pages: 3 }) });
    const list = section.getByRole('list', { name: 'Files of this event' });
    const row = list.getByRole('listitem').filter({ hasText: 'Quarterly results.pdf' });
    await row.waitFor();
    expect(await row.textContent()).toContain('3 pages');
    expect(await row.textContent()).toContain('Slides');
    await section.getByText('Quarterly results.pdf was added.').waitFor();

    // A handout dropped on the zone.
    await section.getByRole('radio', { name: /^Handout/ }).check();
    await dropFile(page, 'agenda.md', 'text/markdown', Buffer.from('# Agenda\n\n1. Results\n2. Questions\n'));
    await list.getByRole('listitem').filter({ hasText: 'agenda.md' }).waitFor();

    // An executable with a PDF's name, as slides: refused, and the host is told why.
    await section.getByRole('radio', { name: /^Slides/ }).check();
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00', 'latin1'), Buffer.alloc(4096, 0x41)]);
    const chooser2 = page.waitForEvent('filechooser');
    await section.getByRole('button', { name: 'Choose files' }).click();
    await (await chooser2).setFiles({ name: 'invoice.pdf', mimeType: 'application/pdf', buffer: exe });
    const refusal = section.getByRole('alert').filter({ hasText: 'invoice.pdf was not added' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Slides must be a PDF or a PNG, JPEG, GIF or WebP image.');
    expect(await list.getByRole('listitem').count()).toBe(2);
    await screenshot(page, 'event-files');

    // Download through a signed link.
    const download = page.waitForEvent('download');
    await row.getByRole('button', { name: 'Download Quarterly results.pdf' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('Quarterly results.pdf');

    // Remove, after confirming.
    await refusal.getByRole('button', { name: 'Dismiss' }).click();
    await list.getByRole('listitem').filter({ hasText: 'agenda.md' }).getByRole('button', { name: 'Remove' }).click();
    await section.getByRole('button', { name: 'Yes, remove' }).click();
    await expect.poll(() => list.getByRole('listitem').count()).toBe(1);

    // On a phone the section stacks and stays usable.
    await page.setViewportSize({ width: 390, height: 844 });
    await section.scrollIntoViewIfNeeded();
    await screenshot(page, 'event-files-mobile');
  });
});
