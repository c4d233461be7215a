import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { launchBrowser } from './browser';
import { REPO_ROOT, startPodium, type Podium } from './podium';

/** Where screenshots of the run go (CI keeps test-results/). */
export const SCREENSHOT_DIR = join(REPO_ROOT, 'test-results/screenshots');

/**
 * Saves a screenshot of the page as test-results/screenshots/<name>.png. The whole page is captured
 * by making the window as tall as the document (then restoring it), because Chromium's own full-page
 * capture paints sticky sidebars and save bars wherever the page happened to be scrolled.
 */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  const viewport = page.viewportSize();
  const fullPage = opts.fullPage ?? true;
  if (fullPage && viewport) {
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    if (height > viewport.height) {
      await page.setViewportSize({ width: viewport.width, height: Math.min(height, 8000) });
      try {
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
      } finally {
        await page.setViewportSize(viewport);
      }
      return path;
    }
  }
  await page.screenshot({ path, animations: 'disabled', caret: 'hide' });
  return path;
}

/** What every browser context starts with unless a test says otherwise: a laptop screen, English, a fixed zone. */
export const DEFAULT_CONTEXT: BrowserContextOptions = {
  viewport: { width: 1280, height: 800 },
  locale: 'en-GB',
  timezoneId: 'Europe/London',
};

/** One test file's world: its own Podium, one Chromium, and fresh browser contexts per test. */
export interface E2E {
  podium: Podium;
  browser: Browser;
  /** A new browser profile (another person: no cookies, own storage), closed after the test. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A page in a new browser context. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
}

/**
 * Registers the hooks of an e2e file: starts Podium (fresh data folder, SMTP capture) and Chromium
 * before the tests, closes each test's browser contexts after it (screenshotting them first when the
 * test failed), and stops everything after the file — also when a test or the start itself failed.
 */
export function useE2E(extraEnv: Record<string, string> = {}): E2E {
  let podium: Podium | undefined;
  let browser: Browser | undefined;
  let contexts: BrowserContext[] = [];

  const newContext = async (options: BrowserContextOptions = {}) => {
    if (!browser) throw new Error('the browser did not start');
    const context = await browser.newContext({ ...DEFAULT_CONTEXT, ...options });
    context.setDefaultTimeout(15_000);
    context.setDefaultNavigationTimeout(30_000);
    contexts.push(context);
    return context;
  };

  const e2e: E2E = {
    get podium() {
      if (!podium) throw new Error('Podium did not start');
      return podium;
    },
    get browser() {
      if (!browser) throw new Error('the browser did not start');
      return browser;
    },
    newContext,
    async newPage(options) {
      return (await newContext(options)).newPage();
    },
  };

  beforeAll(async () => {
    const [p, b] = await Promise.allSettled([startPodium(extraEnv), launchBrowser()]);
    if (p.status === 'fulfilled') podium = p.value;
    if (b.status === 'fulfilled') browser = b.value;
    if (p.status === 'rejected') throw p.reason;
    if (b.status === 'rejected') throw b.reason;
  });

  afterEach(async (ctx) => {
    const open = contexts;
    contexts = [];
    if (ctx.task.result?.state === 'fail') {
      const slug = ctx.task.name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 60).toLowerCase();
      let n = 0;
      for (const c of open) {
        for (const page of c.pages()) {
          n += 1;
          await screenshot(page, `FAILED-${slug}-${n}`).catch(() => undefined);
        }
      }
      if (podium) console.error(`--- Podium output (last lines) ---\n${podium.server.output().split('\n').slice(-40).join('\n')}`);
    }
    await Promise.allSettled(open.map((c) => c.close()));
  });

  afterAll(async () => {
    await Promise.allSettled(contexts.map((c) => c.close()));
    await Promise.allSettled([browser?.close(), podium?.stop()]);
  });

  return e2e;
}
