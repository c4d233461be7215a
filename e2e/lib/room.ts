/**
 * Helpers of the live-room browser tests: Chromium with fake camera, microphone and screen, a
 * webinar with a host, a presenter and attendees whose join links come from real emails, slide
 * uploads, and reading the page's WebRTC statistics (window.podiumDiagnostics).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Event } from '@podium/protocol';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser';
import { linkIn, waitForMail } from './mail';
import { freePort } from '../../apps/server/src/testing/child-server';
import { createEventViaApi, person, setUpInstance, startPodium, type Podium, type SetUpInstance } from './podium';
import { DEFAULT_CONTEXT, screenshot } from './suite';
import { Bot } from '../../tools/bot/src/index';

/**
 * Chromium flags for media tests: fake devices and permission prompts, fake screen capture picked
 * automatically, WebRTC on loopback (the SFU announces 127.0.0.1), sound without a user gesture,
 * and no throttling of pages in the background (five tabs share one browser).
 */
export const MEDIA_CHROMIUM_ARGS = [
  ...CHROMIUM_ARGS,
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--auto-select-desktop-capture-source=Entire screen',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  '--mute-audio',
];

/** A small window: the fake camera is scaled down to what is shown, which keeps five tabs affordable. */
export const SMALL_CONTEXT: BrowserContextOptions = { ...DEFAULT_CONTEXT, viewport: { width: 1024, height: 640 } };

/** One media test file's world: Podium, one Chromium with fake devices, contexts closed after each test. */
export interface MediaE2E {
  podium: Podium;
  browser: Browser;
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** The flags the browser was started with (for further browsers of the test). */
  chromiumArgs: string[];
}

/** Like useE2E, with the media flags (a browser of its own). */
export function useMediaE2E(extraEnv: Record<string, string> = {}, options: { publicHost?: string; before?: () => Promise<void> | void } = {}): MediaE2E {
  let podium: Podium | undefined;
  let browser: Browser | undefined;
  let contexts: BrowserContext[] = [];
  const chromiumArgs = [...MEDIA_CHROMIUM_ARGS];
  const newContext = async (options: BrowserContextOptions = {}) => {
    if (!browser) throw new Error('the browser did not start');
    const context = await browser.newContext({ ...SMALL_CONTEXT, ...options });
    context.setDefaultTimeout(20_000);
    context.setDefaultNavigationTimeout(30_000);
    contexts.push(context);
    return context;
  };
  const e2e: MediaE2E = {
    get podium() {
      if (!podium) throw new Error('Podium did not start');
      return podium;
    },
    get browser() {
      if (!browser) throw new Error('the browser did not start');
      return browser;
    },
    newContext,
    chromiumArgs,
    async newPage(options) {
      return (await newContext(options)).newPage();
    },
  };
  beforeAll(async () => {
    if (!existsSync(CHROMIUM_PATH)) throw new Error(`${CHROMIUM_PATH} is missing`);
    await options.before?.();
    // At an address other than localhost, the page is not a secure context (no camera) unless
    // Chromium is told to treat Podium's origin as one.
    const port = options.publicHost ? await freePort() : undefined;
    if (options.publicHost) chromiumArgs.push(`--unsafely-treat-insecure-origin-as-secure=http://${options.publicHost}:${port}`);
    const [p, b] = await Promise.allSettled([
      startPodium(extraEnv, { publicHost: options.publicHost, port }),
      chromium.launch({ executablePath: CHROMIUM_PATH, args: chromiumArgs, headless: true }),
    ]);
    if (p.status === 'fulfilled') podium = p.value;
    if (b.status === 'fulfilled') browser = b.value;
    if (p.status === 'rejected') throw p.reason;
    if (b.status === 'rejected') throw b.reason;
  });
  afterEach(async (ctx) => {
    const open = contexts;
    contexts = [];
    if (ctx.task.result?.state === 'fail') {
      const slug = ctx.task.name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 50).toLowerCase();
      let n = 0;
      for (const c of open) for (const page of c.pages()) await screenshot(page, `FAILED-${slug}-${++n}`, { fullPage: false }).catch(() => undefined);
      if (podium) console.error(`--- Podium output (last lines) ---\n${podium.server.output().split('\n').slice(-60).join('\n')}`);
    }
    await Promise.allSettled(open.map((c) => c.close()));
  });
  afterAll(async () => {
    await Promise.allSettled(contexts.map((c) => c.close()));
    await Promise.allSettled([browser?.close(), podium?.stop()]);
  });
  return e2e;
}

/** Someone with a personal join link. */
export interface Guest {
  name: string;
  email: string;
  token: string;
}

/** A webinar ready for a test: the organization, the event, and join links for everyone asked for. */
export interface Webinar {
  instance: SetUpInstance;
  event: Event;
  /** An API key of the organization (for uploads, which need a raw body). */
  apiKey: string;
  host: Guest;
  presenters: Guest[];
  attendees: Guest[];
}

/** The join token of a /join/<token> link. */
export function tokenOf(joinUrl: string): string {
  return decodeURIComponent(new URL(joinUrl).pathname.split('/').pop() ?? '');
}

/** The room page of a join token. */
export function roomUrl(podium: Podium, eventId: string, token: string): string {
  return `${podium.url}/room/${eventId}?token=${encodeURIComponent(token)}`;
}

/**
 * Sets up an organization and a webinar through the API; presenters and attendees register on the
 * public route like visitors do, and their join links are read from the confirmation emails.
 */
export async function setUpWebinar(podium: Podium, opts: {
  title?: string;
  type?: 'webinar' | 'meeting' | 'training';
  presenters?: string[];
  attendees?: string[];
  startsInMinutes?: number;
  agenda?: { title: string; durationMinutes?: number }[];
  description?: string;
  /** Password-protected events: registrations (and attendees entering the room) give this password. */
  password?: string;
  capacity?: number;
} = {}): Promise<Webinar> {
  const instance = await setUpInstance(podium);
  const presenterPeople = (opts.presenters ?? []).map((n) => ({ ...person(n.toLowerCase().replace(/[^a-z0-9]+/g, '-')), name: n }));
  const attendeePeople = (opts.attendees ?? []).map((n) => ({ ...person(n.toLowerCase().replace(/[^a-z0-9]+/g, '-')), name: n }));
  const starts = new Date(Date.now() + (opts.startsInMinutes ?? 30) * 60_000);
  starts.setSeconds(0, 0);
  const event = await createEventViaApi(instance.client, instance.orgId, {
    title: opts.title ?? 'Spring product update',
    type: opts.type ?? 'webinar',
    startsAt: starts.toISOString(),
    accessMode: opts.password ? 'password' : 'registration',
    ...(opts.password ? { password: opts.password } : {}),
    ...(opts.capacity ? { capacity: opts.capacity } : {}),
    presenters: presenterPeople.map((p) => p.email),
    description: opts.description ?? 'What is new this spring: a live demo, then your questions.',
    agenda: opts.agenda ?? [{ title: 'Welcome', durationMinutes: 5 }, { title: 'Live demo', durationMinutes: 30 }, { title: 'Questions and answers', durationMinutes: 15 }],
  });
  const key = await instance.client.post<{ secret: string }>(`/api/v1/orgs/${instance.orgId}/api-keys`, { name: 'e2e uploads' });
  if (key.status !== 201) throw new Error(`creating an API key failed: ${key.status} ${key.text}`);
  const hostLink = await instance.client.post<{ url: string }>(`/api/v1/orgs/${instance.orgId}/events/${event.id}/host-link`);
  if (hostLink.status !== 200 && hostLink.status !== 201) throw new Error(`host link failed: ${hostLink.status} ${hostLink.text}`);
  const register = async (p: { name: string; email: string }): Promise<Guest> => {
    const res = await fetch(`${podium.url}/api/v1/public/events/${event.id}/registrations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: p.name, email: p.email, consentVersion: event.consentVersion, consentAccepted: true, ...(opts.password ? { password: opts.password } : {}) }),
    });
    if (res.status !== 201) throw new Error(`registration of ${p.name} failed: ${res.status} ${await res.text()}`);
    const mail = await waitForMail(podium.smtp, p.email, new RegExp(event.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    return { name: p.name, email: p.email, token: tokenOf(linkIn(mail, `${podium.url}/join/`)) };
  };
  await warmUpMedia(podium, instance);
  const presenters: Guest[] = [];
  for (const p of presenterPeople) presenters.push(await register(p));
  const attendees = await Promise.all(attendeePeople.map(register));
  return {
    instance, event, apiKey: key.body.secret,
    host: { name: instance.owner.name, email: instance.owner.email, token: tokenOf(new URL(hostLink.body.url, podium.url).toString()) },
    presenters, attendees,
  };
}

/**
 * Starts the media plane before the browsers come: a bot host publishes once in a throwaway
 * event and leaves. The SFU worker threads start on first use, which on a loaded 2-core machine
 * can take longer than the first browser's requests wait.
 */
async function warmUpMedia(podium: Podium, instance: SetUpInstance): Promise<void> {
  const event = await createEventViaApi(instance.client, instance.orgId, { title: 'Media warm-up', type: 'meeting' });
  const link = await instance.client.post<{ url: string }>(`/api/v1/orgs/${instance.orgId}/events/${event.id}/host-link`);
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    const bot = await Bot.join({ url: podium.url, token: tokenOf(new URL(link.body.url, podium.url).toString()), name: 'warm-up' });
    try {
      await bot.publish({ audio: true });
      return;
    } catch (err) {
      lastError = err;
      // The pool waits a while before starting workers again after a failed start.
      await new Promise((r) => setTimeout(r, 10_000));
    } finally {
      await bot.leave().catch(() => undefined);
    }
  }
  throw new Error(`the media plane did not start: ${String(lastError)}`);
}

/** Uploads a file to the event (the files REST route, raw body); returns the file's id. */
export async function uploadFile(podium: Podium, w: Webinar, purpose: 'slides' | 'handout', name: string, bytes: Buffer): Promise<string> {
  const res = await fetch(`${podium.url}/api/v1/orgs/${w.instance.orgId}/events/${w.event.id}/files?purpose=${purpose}&name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${w.apiKey}`, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(bytes),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`upload of ${name} failed: ${res.status} ${text}`);
  return (JSON.parse(text) as { id: string }).id;
}

/** A received track's counters as the page's diagnostics report them. */
export interface Received {
  kind: 'audio' | 'video';
  publishedKind?: string;
  producerId?: string;
  participantId?: string;
  packetsReceived: number;
  framesDecoded?: number;
  frameWidth?: number;
  frameHeight?: number;
}

/** Inbound RTP counters of the page's receiving connection. */
export function received(page: Page): Promise<Received[]> {
  return page.evaluate(async () => {
    const d = (window as unknown as { podiumDiagnostics?: { received(): Promise<unknown[]> } }).podiumDiagnostics;
    return (d ? await d.received() : []) as Received[];
  });
}

/** Waits until `check` holds for the page's received tracks (polling getStats). */
export async function waitForReceived(page: Page, what: string, check: (r: Received[]) => boolean, timeoutMs = 30_000): Promise<Received[]> {
  const t0 = Date.now();
  let last: Received[] = [];
  while (Date.now() - t0 < timeoutMs) {
    last = await received(page);
    if (check(last)) return last;
    await page.waitForTimeout(500);
  }
  throw new Error(`timed out waiting for ${what}; received: ${JSON.stringify(last)}`);
}

/** Sums a counter over the received tracks matching `pick`. */
export function total(list: Received[], pick: (r: Received) => boolean, field: 'packetsReceived' | 'framesDecoded'): number {
  return list.filter(pick).reduce((n, r) => n + (r[field] ?? 0), 0);
}

/** Asserts that a counter keeps rising (media really flows, not just arrived once). */
export async function expectRising(page: Page, what: string, pick: (r: Received) => boolean, field: 'packetsReceived' | 'framesDecoded', minDelta = 5, timeoutMs = 20_000): Promise<void> {
  const first = total(await received(page), pick, field);
  await waitForReceived(page, `${what} rising from ${first}`, (r) => total(r, pick, field) >= first + minDelta, timeoutMs);
}
