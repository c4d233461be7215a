import type { Locator, Page } from 'playwright-core';

/** True when the element of `locator` has the keyboard focus. */
export function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === document.activeElement);
}

/**
 * Presses Tab (like a keyboard user) until `target` has the focus; fails after `maxPresses`, naming
 * what had the focus instead. Returns how many presses it took.
 */
export async function tabTo(page: Page, target: Locator, maxPresses = 30): Promise<number> {
  await target.waitFor({ state: 'visible' });
  const seen: string[] = [];
  for (let i = 1; i <= maxPresses; i += 1) {
    await page.keyboard.press('Tab');
    if (await isFocused(target)) return i;
    seen.push(
      await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el) return '(nothing)';
        const label = el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent ?? '';
        return `${el.tagName.toLowerCase()}"${label.trim().slice(0, 30)}"`;
      }),
    );
  }
  throw new Error(`Tab never reached the target in ${maxPresses} presses; focus went: ${seen.join(' → ')}`);
}

/** True when the focused element shows the keyboard focus ring (matches :focus-visible and draws an outline or shadow). */
export function showsFocusRing(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || !el.matches(':focus-visible')) return false;
    const s = getComputedStyle(el);
    return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || (s.boxShadow !== 'none' && s.boxShadow !== '');
  });
}
