import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { makePdf } from '../apps/server/src/files/testing/make-pdf';
import { expectRising, roomUrl, setUpWebinar, uploadFile, useMediaE2E, waitForReceived, type Guest } from './lib/room';
import { showsFocusRing, tabTo } from './lib/keyboard';
import { screenshot } from './lib/suite';

/** Opens the room page of a join link and enters (from the lobby). */
async function enter(page: Page, url: string, button = 'Join the event'): Promise<void> {
  await page.goto(url);
  await page.getByRole('button', { name: button }).click();
}

/** The side panel's tab (its name may carry a count badge). */
function tab(page: Page, name: string): Locator {
  return page.getByRole('tab', { name: new RegExp(`^${name.replace(/[&]/g, '\\$&')}`) });
}

/** The chat message list. */
function chat(page: Page): Locator {
  return page.getByRole('list', { name: 'Chat messages' });
}

async function sendChat(page: Page, text: string, to?: string): Promise<void> {
  await tab(page, 'Chat').click();
  if (to) await page.getByLabel('To', { exact: true }).selectOption({ label: to });
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await chat(page).getByText(text).waitFor();
}

/** Draws a stroke across the middle of the slide with the mouse, once the slide has rendered. */
async function draw(page: Page): Promise<void> {
  await page.locator('.bd-slide:not([aria-busy="true"]) canvas').waitFor();
  for (let attempt = 0; attempt < 3; attempt++) {
    const layer = page.locator('.bd-layer').first();
    await layer.waitFor();
    const box = await layer.boundingBox();
    if (!box) throw new Error('no drawing layer');
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.4);
    await page.mouse.down();
    for (let i = 1; i <= 8; i++) await page.mouse.move(box.x + box.width * (0.3 + i * 0.05), box.y + box.height * (0.4 + (i % 2) * 0.05));
    await page.mouse.up();
    // The page may have been re-rendered under the mouse (a page turn arriving): draw again then.
    const drawn = await page.locator('.bd-layer svg path').first().waitFor({ timeout: 3000 }).then(() => true, () => false);
    if (drawn) return;
  }
  throw new Error('the stroke did not appear on the presenter\'s own board');
}

describe('the live room (issue 4)', () => {
  const e2e = useMediaE2E();

  it('a webinar from the lobby to the report: stage, chat, private messages, Q&A, polls, hands, slides, annotations and a reload', async () => {
    const { podium } = e2e;
    const w = await setUpWebinar(podium, {
      title: 'Spring product update',
      presenters: ['Piet Presenter'],
      attendees: ['Ada Attendee', 'Ben Attendee', 'Cleo Attendee'],
      startsInMinutes: 20,
    });
    const [ada, ben, cleo] = w.attendees as [Guest, Guest, Guest];
    const presenter = w.presenters[0];
    // Slides uploaded before the event through the files REST route.
    const deckId = await uploadFile(podium, w, 'slides', 'Spring update.pdf', makePdf({ pages: 3, width: 960, height: 540 }));
    await uploadFile(podium, w, 'handout', 'Price list.pdf', makePdf({ pages: 1 }));

    // The host signs in, opens the event and its room: the lobby with countdown, agenda and device check.
    const host = await e2e.newPage({ viewport: { width: 1280, height: 800 } });
    await host.goto(`${podium.url}/sign-in`);
    await host.getByLabel('Email').fill(w.instance.owner.email);
    await host.getByLabel('Password', { exact: true }).fill(w.instance.owner.password);
    await host.getByRole('button', { name: 'Sign in', exact: true }).click();
    await host.waitForURL(/\/o\/org_/);
    await host.goto(`${podium.url}/o/${w.instance.orgId}/events/${w.event.id}`);
    // Before the event: a poll prepared on the event page (REST), and the room settings.
    await host.getByRole('button', { name: '+ New poll' }).click();
    await host.getByRole('textbox', { name: /^Question/ }).fill('Which feature first?');
    await host.getByLabel('Option 1').fill('Offline mode');
    await host.getByLabel('Option 2').fill('Dark theme');
    await host.getByRole('button', { name: 'Save poll' }).click();
    await host.locator('.rp-prep-poll').filter({ hasText: 'Which feature first?' }).getByText('Draft').waitFor();
    await host.getByRole('switch', { name: /^Q&A/ }).waitFor();
    await screenshot(host, 'room-event-detail');
    await host.getByRole('button', { name: 'Open the room' }).click();
    await host.waitForURL(/\/room\/evt_/);
    await host.getByRole('heading', { name: w.event.title, level: 1 }).waitFor();
    await host.getByRole('timer').waitFor();
    expect(await host.getByRole('list').filter({ hasText: 'Live demo' }).count()).toBe(1);
    await host.getByRole('button', { name: 'Test microphone' }).click();
    await host.getByRole('meter', { name: 'Microphone level' }).first().waitFor();
    await screenshot(host, 'room-lobby', { fullPage: false });
    await host.getByRole('button', { name: 'Enter backstage' }).click();
    const hostControls = host.getByRole('toolbar', { name: 'Room controls' });
    await hostControls.waitFor();
    await host.getByText('You are backstage').waitFor();

    // The presenter comes backstage with the camera on from the lobby, then shares the screen.
    const pres = await e2e.newPage();
    await pres.goto(roomUrl(podium, w.event.id, presenter.token));
    await pres.getByRole('button', { name: 'Test camera' }).click();
    await pres.locator('video.rm-preview-video').waitFor();
    await pres.getByRole('button', { name: 'Enter backstage' }).click();
    await pres.getByRole('toolbar', { name: 'Room controls' }).waitFor();
    await pres.getByRole('button', { name: 'Turn off the camera' }).waitFor();
    await pres.getByRole('button', { name: 'Share your screen' }).click();
    await pres.getByRole('button', { name: 'Stop sharing your screen' }).waitFor();

    // Three attendees open their links before the start and wait in the lobby.
    const pages: Record<string, Page> = {};
    for (const a of [ada, ben, cleo]) {
      const p = await e2e.newPage();
      await enter(p, roomUrl(podium, w.event.id, a.token));
      await p.getByText('The event has not started yet').first().waitFor();
      pages[a.name] = p;
    }
    const [pa, pb, pc] = [pages[ada.name], pages[ben.name], pages[cleo.name]];
    await screenshot(pa, 'room-lobby-waiting', { fullPage: false });

    // The host starts the event: everyone waiting comes in.
    await host.getByRole('button', { name: 'Start the event' }).click();
    await host.locator('.rm-status.is-live').waitFor();
    for (const p of [pa, pb, pc]) await p.getByRole('toolbar', { name: 'Room controls' }).waitFor();

    // The presenter's camera and screen reach the attendees (frames decoded, and rising).
    const fromPresenter = (kind: string) => (r: { publishedKind?: string; participantId?: string }) => r.publishedKind === kind;
    for (const p of [pa, pb, pc]) {
      await waitForReceived(p, 'presenter camera and screen', (r) => r.some((x) => x.publishedKind === 'video' && (x.framesDecoded ?? 0) > 0) && r.some((x) => x.publishedKind === 'screen' && (x.framesDecoded ?? 0) > 0));
    }
    await expectRising(pa, 'presenter camera frames', fromPresenter('video'), 'framesDecoded');
    await pa.locator('.rm-tile.is-screen video').waitFor();

    // Chat: a public message with a link (rendered as a safe link, HTML shown as text).
    await sendChat(pa, 'Hello everyone! Agenda: https://example.org/agenda <b>not bold</b>');
    for (const p of [host, pres, pb, pc]) await chat(p).getByText('Hello everyone!', { exact: false }).waitFor();
    const link = pb.getByRole('link', { name: 'https://example.org/agenda' });
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await chat(pb).locator('b').count()).toBe(0);
    expect(await chat(pb).textContent()).toContain('<b>not bold</b>');

    // A private message to the hosts: the host sees it, the other attendees do not; the host replies privately.
    await sendChat(pb, 'Can I get the slides afterwards?', 'Hosts only (private)');
    const privateAtHost = chat(host).getByRole('listitem').filter({ hasText: 'Can I get the slides afterwards?' });
    await privateAtHost.waitFor();
    expect(await privateAtHost.textContent()).toContain('Private · to the hosts');
    await privateAtHost.getByRole('button', { name: /Actions for the message of Ben/ }).click();
    await host.getByRole('menuitem', { name: 'Reply privately' }).click();
    await host.getByLabel('Message', { exact: true }).fill('Yes, they are in the Files tab.');
    await host.getByRole('button', { name: 'Send', exact: true }).click();
    await chat(pb).getByText('Yes, they are in the Files tab.').waitFor();
    await chat(pa).getByText('Hello everyone!', { exact: false }).waitFor();
    await pa.waitForTimeout(500);
    for (const p of [pa, pc]) {
      expect(await chat(p).getByText('Can I get the slides afterwards?').count()).toBe(0);
      expect(await chat(p).getByText('Yes, they are in the Files tab.').count()).toBe(0);
    }

    // Q&A: Cleo asks, Ada upvotes, the host answers; everyone sees the answer and the vote.
    await tab(pc, 'Q&A').click();
    await pc.getByLabel('Your question').fill('Will there be a recording?');
    await pc.getByRole('button', { name: 'Ask', exact: true }).click();
    await tab(pa, 'Q&A').click();
    const qAtAda = pa.locator('.rm-q-item').filter({ hasText: 'Will there be a recording?' });
    await qAtAda.getByRole('button', { name: /^Upvote/ }).click();
    await qAtAda.getByRole('button', { name: /^Take your vote back \(1 votes\)/ }).waitFor();
    await tab(host, 'Q&A').click();
    const qAtHost = host.locator('.rm-q-item').filter({ hasText: 'Will there be a recording?' });
    await qAtHost.locator('.rm-vote-count', { hasText: '1' }).waitFor();
    await qAtHost.getByRole('button', { name: 'Answer', exact: true }).click();
    await qAtHost.getByLabel('Your answer').fill('Yes, within a day.');
    await qAtHost.getByRole('button', { name: 'Publish answer' }).click();
    for (const p of [pa, pc]) await p.locator('.rm-q-item').filter({ hasText: 'Yes, within a day.' }).waitFor();

    // The prepared poll: the host launches it, the attendees vote once, the host shares the results with everyone.
    await tab(host, 'Polls').click();
    await host.locator('.rm-poll').filter({ hasText: 'Which feature first?' }).getByRole('button', { name: 'Launch' }).click();
    for (const [p, choice] of [[pa, 'Offline mode'], [pb, 'Offline mode'], [pc, 'Dark theme']] as const) {
      await tab(p, 'Polls').click();
      await p.getByRole('radio', { name: choice }).check();
      await p.getByRole('button', { name: 'Vote', exact: true }).click();
      await p.getByText('Thanks — your vote is in.').waitFor();
      expect(await p.getByRole('button', { name: 'Vote', exact: true }).count()).toBe(0);
    }
    await host.getByText('3 voted').waitFor();
    await host.getByRole('button', { name: 'Show results to everyone' }).click();
    await pc.getByText('3 voted').waitFor();
    const bars = await pc.getByRole('list', { name: 'Results' }).innerText();
    expect(bars).toMatch(/Offline mode[\s\S]*67 ?%/);
    expect(bars).toMatch(/Dark theme[\s\S]*33 ?%/);

    // A raised hand (by keyboard, with a visible focus ring): the host sees the queue and invites
    // Ada to speak; her camera reaches the others.
    await tabTo(pa, pa.getByRole('button', { name: 'Raise your hand' }), 60);
    expect(await showsFocusRing(pa)).toBe(true);
    await pa.keyboard.press('Enter');
    await pa.getByRole('button', { name: 'Lower your hand' }).waitFor();
    // Menus open from the keyboard and Escape closes them, giving the focus back.
    await pa.keyboard.press('Tab');
    const reactButton = pa.getByRole('button', { name: 'Send a reaction' });
    expect(await reactButton.evaluate((el) => el === document.activeElement)).toBe(true);
    await pa.keyboard.press('Enter');
    await pa.getByRole('dialog', { name: 'Send a reaction' }).waitFor();
    await pa.keyboard.press('Escape');
    await pa.getByRole('dialog', { name: 'Send a reaction' }).waitFor({ state: 'detached' });
    expect(await reactButton.evaluate((el) => el === document.activeElement)).toBe(true);
    await tab(host, 'People').click();
    await host.getByRole('region', { name: 'Raised hands' }).getByText(ada.name).waitFor();
    await host.getByRole('button', { name: `Invite ${ada.name} to speak` }).click();
    await pa.getByRole('button', { name: 'Turn on the camera' }).click();
    await pa.getByRole('button', { name: 'Turn off the camera' }).waitFor();
    const adaId = await pa.evaluate(() => (window as unknown as { podiumDiagnostics: { participantId(): string } }).podiumDiagnostics.participantId());
    const adaCam = (r: { participantId?: string; publishedKind?: string }) => r.participantId === adaId && r.publishedKind === 'video';
    for (const p of [pb, host]) {
      await waitForReceived(p, "Ada's camera", (r) => r.some((x) => adaCam(x) && (x.framesDecoded ?? 0) > 0));
      await expectRising(p, "Ada's camera frames", adaCam, 'framesDecoded');
    }

    // Moderation: the host stops Ada's camera (she is told, and her camera is off), then sends her
    // back to the audience (her publishing controls go away).
    await tab(host, 'People').click();
    const adaRow = host.locator(`li.rm-person[data-participant-id="${adaId}"]`);
    await adaRow.getByRole('button', { name: `Actions for ${ada.name}` }).click();
    await host.getByRole('menuitem', { name: 'Stop camera' }).click();
    await pa.getByText('Owner Tester turned off your camera.').waitFor();
    await pa.getByRole('button', { name: 'Turn on the camera' }).waitFor();
    // (Stopping her camera closed a track of hers; her connection stays as it was.)
    const diag = () => pa.evaluate(() => {
      const d = (window as unknown as { podiumDiagnostics: { participantId(): string; tracks(): { offerErrors: string[] } } }).podiumDiagnostics;
      return { id: d.participantId(), errors: d.tracks().offerErrors };
    });
    await pa.waitForTimeout(1500);
    const afterStop = await diag();
    expect(afterStop.id, JSON.stringify(afterStop.errors)).toBe(adaId);
    await adaRow.getByRole('button', { name: `Actions for ${ada.name}` }).click();
    await host.getByRole('menuitem', { name: 'Back to the audience' }).click();
    await pa.getByText('You are back in the audience.').waitFor();
    await pa.getByRole('button', { name: 'Turn on the camera' }).waitFor({ state: 'detached' });

    // Slides: the host puts the deck on stage and turns the page; everyone follows.
    await pres.getByRole('button', { name: 'Stop sharing your screen' }).click();
    await host.getByRole('button', { name: 'What the stage shows' }).click();
    await host.getByRole('menuitemcheckbox', { name: 'Slides: Spring update.pdf' }).click();
    for (const p of [host, pa, pb, pc]) await p.locator(`[data-stage-content="slides"][data-slide-page="1"]`).waitFor();
    await host.getByRole('button', { name: 'Next page' }).click();
    for (const p of [pa, pb, pc, pres]) await p.locator('[data-slide-page="2"]').waitFor();

    // An annotation drawn by the presenter shows for everyone.
    await draw(pres);
    for (const p of [host, pa, pb, pc]) await p.locator('.bd-layer svg path').first().waitFor();
    await screenshot(host, 'room-stage-host', { fullPage: false });
    await screenshot(pb, 'room-stage-attendee', { fullPage: false });
    await pc.setViewportSize({ width: 390, height: 844 });
    await pc.getByRole('button', { name: 'Hide the side panel' }).click().catch(() => undefined);
    await pc.waitForTimeout(800);
    await screenshot(pc, 'room-stage-phone', { fullPage: false });

    // Ben reloads: he comes straight back with the chat history, the slide page and the drawing.
    await pb.reload();
    await pb.getByRole('toolbar', { name: 'Room controls' }).waitFor();
    await chat(pb).getByText('Hello everyone!', { exact: false }).waitFor();
    await chat(pb).getByText('Yes, they are in the Files tab.').waitFor();
    await pb.locator('[data-slide-page="2"]').waitFor();
    await pb.locator('.bd-layer svg path').first().waitFor();

    // Handouts download through a signed link.
    await tab(pb, 'Files').click();
    const [download] = await Promise.all([
      pb.waitForEvent('download'),
      pb.getByRole('button', { name: 'Download Price list.pdf' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/Price list\.pdf$/);

    // The host removes Cleo (after confirming): she sees why she is out.
    await tab(host, 'People').click();
    await host.locator(`li.rm-person`).filter({ hasText: cleo.name }).getByRole('button', { name: `Actions for ${cleo.name}` }).click();
    await host.getByRole('menuitem', { name: 'Remove from the room…' }).click();
    await host.getByRole('alertdialog', { name: `Remove ${cleo.name}?` }).getByRole('button', { name: 'Yes, remove' }).click();
    await pc.getByRole('heading', { name: 'A host removed you from the room' }).waitFor();

    // The host ends the event for everyone.
    await host.getByRole('button', { name: 'Leave, or end the event' }).click();
    await host.getByRole('button', { name: 'End the event for everyone' }).click();
    await host.getByRole('button', { name: 'Yes, end it for everyone' }).click();
    for (const p of [pa, pb]) await p.getByRole('heading', { name: 'The event has ended' }).waitFor();

    // The report: attendance with time attended, chat, questions and poll answers; poll results; audit trail.
    await host.goto(`${podium.url}/o/${w.instance.orgId}/events/${w.event.id}/report`);
    await host.getByRole('heading', { name: 'Attendance report', level: 1 }).waitFor();
    const adaReportRow = host.getByRole('row').filter({ hasText: ada.name });
    await adaReportRow.waitFor();
    const cells = await adaReportRow.getByRole('cell').allInnerTexts();
    expect(cells[6]).toBe('1'); // chat messages
    expect(cells[8]).toBe('1'); // poll answers
    expect(await host.getByRole('row').filter({ hasText: cleo.name }).getByRole('cell').nth(7).innerText()).toBe('1'); // questions
    await host.getByText('Which feature first?').waitFor();
    await host.getByText(/started the event/).waitFor();
    await screenshot(host, 'room-report');
  }, 300_000);
});
