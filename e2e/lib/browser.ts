import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** The Debian chromium the suite drives (playwright-core ships no browser of its own). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for a quiet, headless Chromium in a container: no sandbox, no GPU, no background traffic. */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium; fails with a clear message when the system browser is missing. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} is missing: install Debian's chromium package (scripts/ensure-system-deps.sh does) before the e2e suite.`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}
