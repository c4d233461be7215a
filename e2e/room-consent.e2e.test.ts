/**
 * Recording consent at the room's door, as an attendee meets it: a recorded event's lobby shows
 * the consent text and keeps the way in closed until she agrees (the server refuses her too,
 * see apps/server/src/privacy/room-consent.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { roomUrl, setUpWebinar, useMediaE2E, type Guest } from './lib/room';
import { screenshot } from './lib/suite';

function controls(page: Page): Locator {
  return page.getByRole('toolbar', { name: 'Room controls' });
}

/** Turns on a switch of the host's room settings. */
async function switchOn(host: Page, name: RegExp): Promise<void> {
  await host.getByRole('button', { name: 'Room settings' }).click();
  const sw = host.getByRole('switch', { name });
  await host.locator('label.rm-switch').filter({ has: sw }).click();
  await expect.poll(() => sw.isChecked()).toBe(true);
  await host.keyboard.press('Escape');
  await sw.waitFor({ state: 'hidden' });
}

describe('recording consent in the lobby (issues 5 and 6)', () => {
  const e2e = useMediaE2E();

  it('a recorded event asks for the recording consent in the lobby before the way in opens', async () => {
    const { podium } = e2e;
    const w = await setUpWebinar(podium, { title: 'Recorded town hall', attendees: ['Eva Attendee'], startsInMinutes: 5 });
    const [eva] = w.attendees as [Guest];
    const host = await e2e.newPage({ viewport: { width: 1280, height: 800 } });
    await host.goto(roomUrl(podium, w.event.id, w.host.token));
    await host.getByRole('button', { name: 'Enter backstage' }).click();
    await controls(host).waitFor();
    await switchOn(host, /^Record automatically/);
    await host.getByRole('button', { name: 'Start the event' }).click();
    await host.getByRole('status', { name: 'This event is being recorded' }).waitFor();

    // Eva opens her link straight into the room page: the lobby shows the consent text, and the
    // way in stays closed until she agrees (the server would refuse her too).
    const pe = await e2e.newPage();
    await pe.goto(roomUrl(podium, w.event.id, eva.token));
    const consent = pe.getByRole('group', { name: 'This event is recorded' });
    await consent.waitFor();
    const join = pe.getByRole('button', { name: 'Join the event' });
    expect(await join.isDisabled()).toBe(true);
    await screenshot(pe, 'room-lobby-recording-consent', { fullPage: false });
    // (The box shows what the server stored: it turns checked once the consent is saved.)
    await consent.getByRole('checkbox', { name: 'I agree to be recorded as described above.' }).click();
    await consent.getByText('Your consent is saved.', { exact: false }).waitFor();
    await expect.poll(() => join.isDisabled()).toBe(false);
    await join.click();
    await controls(pe).waitFor();
    await pe.getByRole('status', { name: 'This event is being recorded' }).waitFor();
  }, 180_000);
});
