import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { Recording, RecordingPage, RecordingTimeline } from '@podium/protocol';
import { makePdf } from '../apps/server/src/files/testing/make-pdf';
import * as Y from 'yjs';
import { BoardModel } from '../apps/web/src/room/board/board-model';
import { slidePageKey } from '../apps/web/src/room/board/strokes';
import { Bot, encodeTestMedia } from '../tools/bot/src/index';
import type { Podium } from './lib/podium';
import { setUpWebinar, uploadFile, useMediaE2E, type Webinar } from './lib/room';
import { SCREENSHOT_DIR, screenshot } from './lib/suite';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FIRST = 'Welcome everyone, slide one is up';
const LATER = 'Now we are on the second slide';
const POLL = 'Shall we take a break?';

/** Signs the organization's owner in through the sign-in page. */
async function signIn(page: Page, url: string, w: Webinar): Promise<void> {
  await page.goto(`${url}/sign-in`);
  await page.getByLabel('Email').fill(w.instance.owner.email);
  await page.getByLabel('Password', { exact: true }).fill(w.instance.owner.password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
}

/** The main video element's playback position (seconds), or -1 when none is shown. */
function mainVideoTime(page: Page): Promise<number> {
  return page.evaluate(() => {
    const v = document.querySelector<HTMLVideoElement>('video.is-main');
    return v ? v.currentTime : -1;
  });
}

/** Seeks the player by clicking the scrubber at `ms` of `durationMs`. */
async function clickScrubberAt(page: Page, ms: number, durationMs: number): Promise<void> {
  const slider = page.getByRole('slider', { name: 'Position in the recording' });
  const box = (await slider.boundingBox())!;
  await page.mouse.click(box.x + (box.width * ms) / durationMs, box.y + box.height / 2);
}

/** A pen stroke across slide `page` of the deck, as a Yjs update of the board (what a presenter's pen sends). */
function strokeUpdate(deckId: string, page: number): string {
  const doc = new Y.Doc();
  const model = new BoardModel(doc, 'e2e-host');
  const key = slidePageKey(deckId, page);
  model.ensurePage(key);
  const s = model.begin(key, { tool: 'pen', color: '#e03131', width: 6, x: 0.2, y: 0.6 });
  model.extend(s, [0.35, 0.7, 0.5, 0.62, 0.7, 0.72]);
  model.end(s);
  const update = Y.encodeStateAsUpdate(doc);
  model.destroy();
  return Buffer.from(update).toString('base64');
}

/** How many annotation strokes the slides show. */
function strokesShown(page: Page): Promise<number> {
  return page.getByRole('region', { name: 'Slides' }).locator('.bd-svg path').count();
}

/** Opens a side tab when the layout has it (on phones the slides are a tab too). */
async function showTab(page: Page, name: RegExp): Promise<void> {
  const tab = page.getByRole('tab', { name });
  if ((await tab.count()) > 0 && (await tab.getAttribute('aria-selected')) !== 'true') await tab.click();
}

/** Checks what the player shows around the slide change: page 1 and only the first message before, page 2 and both after. */
async function checkSeeks(page: Page, changeAt: number, drawnAt: number, durationMs: number): Promise<void> {
  const slides = page.getByRole('region', { name: 'Slides' });
  const chat = page.getByRole('list', { name: 'Chat' });
  // After the change (and after the later message).
  await clickScrubberAt(page, Math.min(durationMs - 300, changeAt + 2500), durationMs);
  await showTab(page, /^Slides/);
  await expect.poll(() => slides.getAttribute('data-slide-page')).toBe('2');
  await expect.poll(() => strokesShown(page)).toBe(1);
  await showTab(page, /^Chat/);
  await expect.poll(() => chat.getByText(LATER).count()).toBe(1);
  await expect.poll(() => chat.getByText(FIRST).count()).toBe(1);
  // Back to page 2 before the presenter drew on it: the board is replayed without the stroke.
  await clickScrubberAt(page, (changeAt + drawnAt) / 2, durationMs);
  await showTab(page, /^Slides/);
  await expect.poll(() => slides.getAttribute('data-slide-page')).toBe('2');
  await expect.poll(() => strokesShown(page)).toBe(0);
  // Back before it: page 1 again, the later message gone.
  await clickScrubberAt(page, Math.max(200, changeAt - 1500), durationMs);
  await showTab(page, /^Slides/);
  await expect.poll(() => slides.getAttribute('data-slide-page')).toBe('1');
  await showTab(page, /^Chat/);
  await expect.poll(() => chat.getByText(LATER).count()).toBe(0);
  // No poll yet there; near the end the poll shows, closed, with its results.
  await showTab(page, /^Polls/);
  await page.getByText('No polls yet at this point.').waitFor();
  await clickScrubberAt(page, durationMs - 300, durationMs);
  const polls = page.getByRole('list', { name: 'Polls' });
  await polls.getByText(POLL).waitFor();
  await polls.getByText('Closed').waitFor();
  await polls.getByRole('list', { name: 'Results' }).getByText('Not yet').waitFor();
  await screenshot(page, `recording-playback-polls-${page.viewportSize()?.width ?? 0}`, { fullPage: false });
  await showTab(page, /^Chat/);
  // The keyboard moves 5 s at a time.
  const slider = page.getByRole('slider', { name: 'Position in the recording' });
  await slider.focus();
  const before = Number(await slider.getAttribute('aria-valuenow'));
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => Number(await slider.getAttribute('aria-valuenow'))).toBe(Math.min(Math.round(durationMs / 1000), before + 5));
}

/** Plays and checks that the main video's clock advances. */
async function checkPlays(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Play' }).first().click();
  await expect.poll(() => page.locator('.pb-player').getAttribute('data-playing')).toBe('true');
  await expect.poll(() => mainVideoTime(page), { timeout: 15_000 }).toBeGreaterThan(0.5);
  const t1 = await mainVideoTime(page);
  await sleep(1200);
  expect(await mainVideoTime(page)).toBeGreaterThan(t1 + 0.4);
  // The microphone's track plays along on the same clock.
  const audio = await page.evaluate(() => [...document.querySelectorAll('audio')].map((a) => ({ t: a.currentTime, paused: a.paused })));
  expect(audio.length).toBe(1);
  expect(audio[0]!.paused).toBe(false);
  expect(Math.abs(audio[0]!.t - (await mainVideoTime(page)))).toBeLessThan(1);
  await page.keyboard.press(' ');
  await expect.poll(() => page.locator('.pb-player').getAttribute('data-playing')).toBe('false');
}

/** What recordEvent() made: the webinar, its deck, the finished recording and its timeline. */
interface Recorded {
  w: Webinar;
  deckId: string;
  rec: Recording;
  /** When the slide changed to page 2, and when the stroke was drawn on it (ms). */
  changeAt: number;
  drawnAt: number;
  durationMs: number;
}

/**
 * Records about ten seconds of a webinar for real: a bot host publishes VP8 and Opus (encoded by
 * ffmpeg), puts the deck on stage, starts recording, chats, moves to slide 2, draws on it, chats
 * again and stops; then waits until the recording is no longer being processed.
 */
async function recordEvent(podium: Podium, dir: string): Promise<Recorded> {
  const w = await setUpWebinar(podium, { title: 'Recorded product update' });
  const deckId = await uploadFile(podium, w, 'slides', 'Product deck.pdf', makePdf({ pages: 3, width: 960, height: 540 }));
  const media = await encodeTestMedia('/usr/bin/ffmpeg', dir, 4);

  const host = await Bot.join({ url: podium.url, token: w.host.token, name: 'recording-host' });
  try {
    await host.signal.request({ type: 'room-start' });
    await host.publish({ audio: true, video: true });
    await host.sendingConnected();
    host.startSendingEncoded(media);
    await host.signal.request({ type: 'stage-set', content: 'slides', fileId: deckId as never, page: 1 });
    await sleep(800);
    await host.signal.request({ type: 'recording-start' });
    await sleep(1500);
    await host.signal.request({ type: 'chat-send', text: FIRST, to: 'everyone' });
    await sleep(3000);
    await host.signal.request({ type: 'stage-set', page: 2 });
    await sleep(1200);
    await host.signal.request({ type: 'doc-update', doc: 'board', update: strokeUpdate(deckId, 2) });
    await sleep(800);
    await host.signal.request({ type: 'chat-send', text: LATER, to: 'everyone' });
    await sleep(500);
    const created = await host.signal.request({ type: 'poll-create', poll: { question: POLL, options: ['Yes', 'Not yet'], multiple: false }, launch: true });
    if (created.type !== 'poll-created') throw new Error(`poll not created: ${JSON.stringify(created)}`);
    await sleep(1500);
    await host.signal.request({ type: 'poll-close', pollId: created.poll.id });
    await host.signal.request({ type: 'poll-share', pollId: created.poll.id, shared: true });
    await sleep(2000);
    await host.signal.request({ type: 'recording-stop' });
  } finally {
    await host.leave().catch(() => undefined);
  }

  const client = w.instance.client;
  const base = `/api/v1/orgs/${w.instance.orgId}`;
  let recording: Recording | undefined;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const page = await client.get<RecordingPage>(`${base}/events/${w.event.id}/recordings`);
    recording = page.body.items[0];
    if (recording && recording.status !== 'recording' && recording.status !== 'processing') break;
    await sleep(500);
  }
  expect(recording?.status).toBe('ready');
  const rec = recording!;
  expect(rec.tracks.map((t) => t.kind).sort()).toEqual(['audio', 'video']);
  const timeline = (await client.get<RecordingTimeline>(`${base}/recordings/${rec.id}/timeline`)).body;
  const change = timeline.entries.find((e) => e.type === 'stage' && e.stage.slides?.page === 2);
  expect(change).toBeDefined();
  const changeAt = change!.at;
  const drawn = timeline.entries.find((e) => e.type === 'doc-update' && e.doc === 'board');
  expect(drawn, 'the stroke is on the timeline').toBeDefined();
  const drawnAt = drawn!.at;
  expect(drawnAt - changeAt).toBeGreaterThan(600);
  const durationMs = Math.max(rec.durationMs ?? 0, timeline.durationMs, ...rec.tracks.map((t) => t.offsetMs + t.durationMs));

  return { w, deckId, rec, changeAt, drawnAt, durationMs };
}

// A real recording: a bot host publishes VP8 and Opus (encoded by ffmpeg) for about ten seconds
// while the slide changes and chat messages come at known moments; the recording pipeline writes
// the WebM tracks and the timeline; the playback page then plays it for the host and, through a
// published link, for a visitor without an account.
describe('recording playback in the browser', () => {
  const e2e = useMediaE2E();
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('plays a recorded event for the host and through a published link; seeking moves slides and chat', async () => {
    const { podium } = e2e;
    dir = await mkdtemp(join(tmpdir(), 'podium-rec-e2e-'));
    const { w, rec, changeAt, drawnAt, durationMs } = await recordEvent(podium, dir);
    const client = w.instance.client;
    const base = `/api/v1/orgs/${w.instance.orgId}`;
    // The host: the event page lists the recording; Play opens the player.
    const hostPage = await e2e.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(hostPage, podium.url, w);
    await hostPage.goto(`${podium.url}/o/${w.instance.orgId}/events/${w.event.id}`);
    const section = hostPage.locator(`[data-recording-id="${rec.id}"]`);
    await expect.poll(() => section.getAttribute('data-status')).toBe('ready');
    await section.scrollIntoViewIfNeeded();
    await screenshot(hostPage, 'recordings-event-section');
    // Published from the event page: the link is shown to copy.
    await section.getByRole('button', { name: 'Publish…' }).click();
    await section.getByRole('button', { name: 'Publish and get the link' }).click();
    const link = section.getByRole('textbox', { name: 'Link to the recording' });
    await link.waitFor();
    const publicUrl = await link.inputValue();
    expect(publicUrl).toContain(`/recordings/${rec.id}?token=`);
    await section.screenshot({ path: join(SCREENSHOT_DIR, 'recordings-event-section-published.png') });
    await section.getByRole('link', { name: /Play/ }).click();
    await hostPage.waitForURL(/\/recordings\/.+\/play$/);
    await hostPage.getByRole('slider', { name: 'Position in the recording' }).waitFor();
    await checkPlays(hostPage);
    // Twice as fast: every element follows the clock's speed.
    await hostPage.getByLabel('Playback speed').selectOption('2');
    await clickScrubberAt(hostPage, 500, durationMs);
    await hostPage.getByRole('button', { name: 'Play' }).first().click();
    await expect.poll(() => hostPage.evaluate(() => [...document.querySelectorAll<HTMLMediaElement>('video.is-main, audio')].map((m) => m.playbackRate))).toEqual([2, 2]);
    await hostPage.getByRole('button', { name: 'Pause' }).click();
    await hostPage.getByLabel('Playback speed').selectOption('1');
    await checkSeeks(hostPage, changeAt, drawnAt, durationMs);
    await clickScrubberAt(hostPage, changeAt + 2500, durationMs);
    await expect.poll(() => hostPage.getByRole('region', { name: 'Slides' }).getAttribute('data-slide-page')).toBe('2');
    await sleep(800);
    await screenshot(hostPage, 'recording-playback-desktop', { fullPage: false });

    // The organization's list, from the sidebar, has it too.
    await hostPage.goto(`${podium.url}/o/${w.instance.orgId}`);
    await hostPage.getByRole('navigation', { name: 'Organization' }).getByRole('link', { name: 'Recordings' }).click();
    await hostPage.locator(`[data-recording-id="${rec.id}"]`).getByRole('link', { name: 'Recorded product update' }).waitFor();
    await screenshot(hostPage, 'recordings-org-page');

    // Published: a visitor without an account plays it through the link, on a phone.
    const visitor = await e2e.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const url = new URL(publicUrl);
    await visitor.goto(`${podium.url}${url.pathname}${url.search}`);
    await visitor.getByRole('slider', { name: 'Position in the recording' }).waitFor();
    await checkPlays(visitor);
    await checkSeeks(visitor, changeAt, drawnAt, durationMs);
    await clickScrubberAt(visitor, changeAt + 2500, durationMs);
    await screenshot(visitor, 'recording-playback-phone-chat');
    await showTab(visitor, /^Slides/);
    await expect.poll(() => visitor.getByRole('region', { name: 'Slides' }).getAttribute('data-slide-page')).toBe('2');
    await sleep(800);
    await screenshot(visitor, 'recording-playback-phone-slides');

    // Unpublished, the link says so plainly.
    await client.delete(`${base}/recordings/${rec.id}/publish`);
    await visitor.reload();
    await visitor.getByRole('heading', { name: 'This link does not work (any more)' }).waitFor();

    // Retention: kept until deleted by hand, then back to the organization's default; then deleted after a confirmation.
    await hostPage.goto(`${podium.url}/o/${w.instance.orgId}/events/${w.event.id}`);
    const item = hostPage.locator(`[data-recording-id="${rec.id}"]`);
    await item.getByRole('button', { name: 'Retention…' }).click();
    await item.getByRole('button', { name: 'Keep until deleted by hand' }).click();
    await expect.poll(() => item.locator('.rc-meta').textContent()).toContain('Kept until deleted');
    await item.getByRole('button', { name: 'Use the organization’s default' }).click();
    await expect.poll(() => item.locator('.rc-meta').textContent()).toContain('Deleted on');
    // Each action says which recording it acts on (its title as the description, for screen readers).
    const description = (button: ReturnType<typeof item.getByRole>) => button.evaluate((el) => (document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent ?? '').trim());
    expect(await description(item.getByRole('button', { name: 'Delete', exact: true }))).toMatch(/^Recording of \S.*\d/);
    expect(await description(item.getByRole('button', { name: 'Retention…' }))).toMatch(/^Recording of \S.*\d/);
    await item.getByRole('button', { name: 'Delete', exact: true }).click();
    await item.getByRole('button', { name: 'Yes, delete the recording' }).click();
    await hostPage.getByText('No recordings yet').waitFor();
    expect((await client.get(`${base}/recordings/${rec.id}`)).status).toBe(404);
  });
});

// Without ffmpeg the platform still records and plays; the MP4 says plainly what is missing.
describe('recordings without ffmpeg', () => {
  const e2e = useMediaE2E({ PODIUM_FFMPEG_PATH: '/nonexistent/ffmpeg' });
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('the event page says the MP4 needs ffmpeg and offers to try again; the recording still plays', async () => {
    const { podium } = e2e;
    dir = await mkdtemp(join(tmpdir(), 'podium-rec-e2e-'));
    const { w, rec } = await recordEvent(podium, dir);
    const page = await e2e.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, podium.url, w);
    await page.goto(`${podium.url}/o/${w.instance.orgId}/events/${w.event.id}`);
    const item = page.locator(`[data-recording-id="${rec.id}"]`);
    await expect.poll(() => item.getAttribute('data-mp4-status'), { timeout: 30_000 }).toBe('failed');
    await item.getByText('MP4 needs ffmpeg, which is not installed').waitFor();
    await item.scrollIntoViewIfNeeded();
    await item.screenshot({ path: join(SCREENSHOT_DIR, 'recordings-mp4-failed.png') });
    await item.getByRole('button', { name: 'Try making the MP4 again' }).click();
    // Tried again, and again it says why.
    await expect.poll(() => item.getAttribute('data-mp4-status'), { timeout: 30_000 }).toBe('failed');
    await item.getByText('MP4 needs ffmpeg, which is not installed').waitFor();
    await item.getByRole('link', { name: /Play/ }).click();
    await page.getByRole('slider', { name: 'Position in the recording' }).waitFor();
    await checkPlays(page);
  });
});
