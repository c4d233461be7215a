/**
 * The room's gatekeeping and moderation screens as people meet them in the browser: the event
 * password asked in the lobby, the waiting room (admit, deny), the "event full" and "room locked"
 * screens, chat moderation (delete, mute in chat), reactions, shared notes, and a ban that keeps
 * the link closed after a reload.
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { roomUrl, setUpWebinar, useMediaE2E, type Guest } from './lib/room';
import { screenshot } from './lib/suite';

const PASSWORD = 'open-sesame-42';

function tab(page: Page, name: string): Locator {
  return page.getByRole('tab', { name: new RegExp(`^${name.replace(/[&]/g, '\\$&')}`) });
}

function chat(page: Page): Locator {
  return page.getByRole('list', { name: 'Chat messages' });
}

function controls(page: Page): Locator {
  return page.getByRole('toolbar', { name: 'Room controls' });
}

/** Opens the host's room settings and sets one switch. */
async function setSwitch(host: Page, name: RegExp, on: boolean): Promise<void> {
  const sw = host.getByRole('switch', { name });
  if (!(await sw.isVisible())) await host.getByRole('button', { name: 'Room settings' }).click();
  // The visible track covers the input, as in any styled switch: click the switch's label.
  if ((await sw.isChecked()) !== on) await host.locator('label.rm-switch').filter({ has: sw }).click();
  await expect.poll(() => sw.isChecked()).toBe(on);
  await host.keyboard.press('Escape');
  await sw.waitFor({ state: 'hidden' });
}

/** An attendee opens the link and gives the event password in the lobby. */
async function enterWithPassword(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: 'Join the event' }).click();
  await page.getByLabel('Event password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Join with password' }).click();
}

/** Clicks or fills what the page may show next, when it shows within a few seconds (else nothing). */
async function ifShown(target: Locator, act: (l: Locator) => Promise<void>): Promise<void> {
  if (await target.waitFor({ timeout: 5000 }).then(() => true, () => false)) await act(target);
}

/** Opens the actions menu of a person in the host's People tab and picks one. */
async function moderate(host: Page, name: string, action: string): Promise<void> {
  await tab(host, 'People').click();
  await host.locator('li.rm-person').filter({ hasText: name }).getByRole('button', { name: `Actions for ${name}` }).click();
  await host.getByRole('menuitem', { name: action }).click();
}

describe('the room gate and moderation (issue 4)', () => {
  const e2e = useMediaE2E();

  it('password in the lobby, waiting room admit and deny, full and locked rooms, chat moderation, reactions, notes and a ban', async () => {
    const { podium } = e2e;
    const w = await setUpWebinar(podium, {
      title: 'Board meeting briefing',
      attendees: ['Ada Attendee', 'Ben Attendee', 'Cleo Attendee', 'Dan Attendee'],
      startsInMinutes: 5,
      password: PASSWORD,
    });
    const [ada, ben, cleo, dan] = w.attendees as [Guest, Guest, Guest, Guest];

    // The host comes in through the host link (no password for hosts) and starts the event with
    // the waiting room on.
    const host = await e2e.newPage({ viewport: { width: 1280, height: 800 } });
    await host.goto(roomUrl(podium, w.event.id, w.host.token));
    await host.getByRole('button', { name: 'Enter backstage' }).click();
    await controls(host).waitFor();
    await host.getByRole('button', { name: 'Start the event' }).click();
    await host.locator('.rm-status.is-live').waitFor();
    await setSwitch(host, /^Waiting room/, true);

    // Ada's personal link alone does not open a password-protected room: the lobby asks, a wrong
    // password is refused with a clear message, the right one puts her in the waiting room.
    const pa = await e2e.newPage();
    await pa.goto(roomUrl(podium, w.event.id, ada.token));
    await pa.getByRole('button', { name: 'Join the event' }).click();
    await pa.getByLabel('Event password').fill('not-the-password');
    await pa.getByRole('button', { name: 'Join with password' }).click();
    await pa.getByText('The event password is wrong.').waitFor();
    await screenshot(pa, 'room-lobby-password', { fullPage: false });
    await pa.getByLabel('Event password').fill(PASSWORD);
    await pa.getByRole('button', { name: 'Join with password' }).click();
    await pa.getByText('Waiting for the host to let you in').first().waitFor();
    expect(await controls(pa).count()).toBe(0);
    await screenshot(pa, 'room-waiting-room', { fullPage: false });

    // Ben waits too. The host sees both in arrival order, admits Ada and denies Ben.
    const pb = await e2e.newPage();
    await enterWithPassword(pb, roomUrl(podium, w.event.id, ben.token));
    await pb.getByText('Waiting for the host to let you in').first().waitFor();
    await tab(host, 'People').click();
    const lobby = host.getByRole('region', { name: 'Waiting in the lobby' });
    await lobby.getByText(ben.name).waitFor();
    const waitingNames = await lobby.locator('.rm-person-name').allInnerTexts();
    expect(waitingNames).toEqual([ada.name, ben.name]);
    await screenshot(host, 'room-host-waiting-list', { fullPage: false });
    await lobby.locator('li.rm-waiting').filter({ hasText: ada.name }).getByRole('button', { name: 'Admit', exact: true }).click();
    await controls(pa).waitFor();
    await host.getByRole('button', { name: `Deny ${ben.name}` }).click();
    await pb.getByRole('heading', { name: 'You were not let in' }).waitFor();
    await lobby.waitFor({ state: 'detached' });

    // Without the waiting room, and with the event's capacity lowered to two attendees: Cleo gets
    // in, Dan sees that the event is full.
    await setSwitch(host, /^Waiting room/, false);
    const patched = await w.instance.client.patch(`/api/v1/orgs/${w.instance.orgId}/events/${w.event.id}`, { capacity: 2 });
    expect(patched.status, patched.text).toBe(200);
    const pc = await e2e.newPage();
    await enterWithPassword(pc, roomUrl(podium, w.event.id, cleo.token));
    await controls(pc).waitFor();
    const pd = await e2e.newPage();
    await enterWithPassword(pd, roomUrl(podium, w.event.id, dan.token));
    await pd.getByRole('heading', { name: 'The event is full' }).waitFor();
    await screenshot(pd, 'room-event-full', { fullPage: false });

    // The host locks the room and removes Cleo: her "Join again" meets the locked room.
    await setSwitch(host, /^Lock the room/, true);
    await host.getByText('Locked', { exact: true }).first().waitFor();
    await moderate(host, cleo.name, 'Remove from the room…');
    await host.getByRole('alertdialog', { name: `Remove ${cleo.name}?` }).getByRole('button', { name: 'Yes, remove' }).click();
    await pc.getByRole('heading', { name: 'A host removed you from the room' }).waitFor();
    await pc.getByRole('button', { name: 'Join again' }).click();
    await ifShown(pc.getByLabel('Event password'), async (l) => {
      await l.fill(PASSWORD);
      await pc.getByRole('button', { name: 'Join with password' }).click();
    });
    await pc.getByRole('heading', { name: 'The room is locked' }).waitFor();
    await screenshot(pc, 'room-locked', { fullPage: false });
    await setSwitch(host, /^Lock the room/, false);

    // Chat moderation: the host deletes Ada's message (gone for everyone), then stops her chat.
    await tab(pa, 'Chat').click();
    await pa.getByLabel('Message', { exact: true }).fill('BUY CHEAP WATCHES');
    await pa.getByRole('button', { name: 'Send', exact: true }).click();
    await tab(host, 'Chat').click();
    const spam = chat(host).getByRole('listitem').filter({ hasText: 'BUY CHEAP WATCHES' });
    await spam.getByRole('button', { name: /Actions for the message of Ada/ }).click();
    await host.getByRole('menuitem', { name: 'Delete the message' }).click();
    await chat(host).getByText('BUY CHEAP WATCHES').waitFor({ state: 'detached' });
    await chat(pa).getByText('BUY CHEAP WATCHES').waitFor({ state: 'detached' });
    await host.getByLabel('Message', { exact: true }).fill('Please stay on topic.');
    await host.getByRole('button', { name: 'Send', exact: true }).click();
    await chat(pa).getByText('Please stay on topic.').waitFor();
    await chat(host).getByRole('listitem').filter({ hasText: 'Please stay on topic.' }).waitFor();
    await moderate(host, ada.name, 'Stop chat messages');
    await tab(pa, 'Chat').click();
    await pa.getByRole('status').filter({ hasText: 'A host has stopped your chat messages.' }).first().waitFor();
    expect(await pa.getByLabel('Message', { exact: true }).count()).toBe(0);
    await moderate(host, ada.name, 'Allow chat messages');
    await pa.getByLabel('Message', { exact: true }).waitFor();
    await pa.getByRole('status').filter({ hasText: 'You can write in the chat again.' }).waitFor();

    // Reactions float over the host's stage.
    await pa.getByRole('button', { name: 'Send a reaction' }).click();
    await pa.getByRole('dialog', { name: 'Send a reaction' }).getByRole('button').first().click();
    await host.locator('.rm-reactions .rm-float').first().waitFor();

    // Shared notes: the host writes, Ada reads them live (she may not edit by default).
    await tab(host, 'Notes').click();
    const editor = host.getByLabel('Notes (Markdown)');
    await editor.click();
    await editor.pressSequentially('# Decisions\n\n- Budget approved\n');
    await tab(pa, 'Notes').click();
    await pa.locator('.nt-preview').getByText('Budget approved').waitFor();
    expect(await pa.getByLabel('Notes (Markdown)').count()).toBe(0);
    await screenshot(pa, 'room-notes-attendee', { fullPage: false });

    // A ban: Ada is out at once, and her link stays closed after a reload.
    await moderate(host, ada.name, 'Ban from the event…');
    await host.getByRole('alertdialog', { name: `Ban ${ada.name}?` }).getByRole('button', { name: 'Yes, ban' }).click();
    await pa.getByRole('heading', { name: 'You cannot join this event' }).waitFor();
    await pa.reload();
    await ifShown(pa.getByRole('button', { name: 'Join the event' }), (l) => l.click());
    await ifShown(pa.getByLabel('Event password'), async (l) => {
      await l.fill(PASSWORD);
      await pa.getByRole('button', { name: 'Join with password' }).click();
    });
    await pa.getByRole('heading', { name: 'You cannot join this event' }).waitFor();
    await screenshot(pa, 'room-banned', { fullPage: false });
  }, 240_000);
});
