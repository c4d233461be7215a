import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { isFocused, showsFocusRing, tabTo } from './lib/keyboard';
import { linkIn, waitForMail } from './lib/mail';
import { person, setUpInstance, type Person, type SetUpInstance } from './lib/podium';
import { screenshot, useE2E } from './lib/suite';

/** Fills and sends the sign-in form the way a mouse user does. */
async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

describe('accounts in the browser', () => {
  const e2e = useE2E();
  let instance: SetUpInstance;

  beforeAll(async () => {
    // The instance already has its owner; these stories are about other people's accounts.
    instance = await setUpInstance(e2e.podium);
  });

  it('sign in, sign out, wrong password, and password reset by email', async () => {
    const { podium } = e2e;
    const me: Person = person('member');
    const newPassword = 'a brand new passphrase 42';
    const page = await e2e.newPage();

    // Sign up: a person without an organization is asked to create one.
    await page.goto(`${podium.url}/sign-up`);
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await page.getByLabel('Your name').fill(me.name);
    await page.getByLabel('Email').fill(me.email);
    await page.getByLabel('Password').fill(me.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL('**/orgs/new');
    await page.getByRole('heading', { name: 'New organization' }).waitFor();
    await page.getByText(me.email).waitFor();

    // Sign out.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    // A plain sign-in page: nothing sends the next person who signs in here to this person's page.
    const signedOutAt = new URL(page.url());
    expect(signedOutAt.pathname + signedOutAt.search).toBe('/sign-in');
    // Signed-in pages are closed now.
    await page.goto(`${podium.url}/orgs/new`);
    await page.waitForURL(/\/sign-in\?next=/);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    // A wrong password is refused with a message, and nothing else happens.
    await signIn(page, me.email, 'not my password at all');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('The email or password is wrong.');
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await screenshot(page, 'sign-in-wrong-password', { fullPage: false });

    // Forgot password: the link arrives by email.
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.waitForURL('**/forgot-password');
    await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await page.getByLabel('Email').fill(me.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await page.getByText(`If an account exists for ${me.email}`).waitFor();
    const mail = await waitForMail(podium.smtp, me.email, /reset/i);
    const resetLink = linkIn(mail, `${podium.url}/reset-password?token=`);

    // Choosing the new password through the emailed link.
    await page.goto(resetLink);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.getByLabel(/^New password/).fill(newPassword);
    await page.getByLabel(/^Repeat the new password/).fill(newPassword);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByText('Your password has been changed.').waitFor();
    // The link works once.
    const again = await e2e.newPage();
    await again.goto(resetLink);
    await again.getByLabel(/^New password/).fill('yet another passphrase 7');
    await again.getByLabel(/^Repeat the new password/).fill('yet another passphrase 7');
    await again.getByRole('button', { name: 'Set new password' }).click();
    await again.getByRole('alert').waitFor();

    // The old password no longer works; the new one does.
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL('**/sign-in');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await signIn(page, me.email, me.password);
    await page.getByRole('alert').getByText('The email or password is wrong.').waitFor();
    await page.getByLabel('Password', { exact: true }).fill(newPassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL('**/orgs/new');
    await page.getByText(me.email).waitFor();
  });

  it('keyboard only: sign in with Tab, typing and Enter, then reach "New event"', async () => {
    const { podium } = e2e;
    const { owner } = instance;
    const page = await e2e.newPage();
    await page.goto(`${podium.url}/sign-in`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();

    const email = page.getByLabel('Email');
    if (!(await isFocused(email))) await tabTo(page, email);
    await page.keyboard.type(owner.email);
    await tabTo(page, page.getByLabel('Password', { exact: true }));
    expect(await showsFocusRing(page)).toBe(true);
    await page.keyboard.type(owner.password);
    await page.keyboard.press('Enter');

    await page.waitForURL(/\/o\/org_[^/]+$/);
    await page.getByRole('heading', { name: 'Events', level: 1 }).waitFor();
    const newEvent = page.getByRole('link', { name: 'New event', exact: true });
    await tabTo(page, newEvent);
    // Where the focus is can be seen.
    expect(await showsFocusRing(page)).toBe(true);
    await screenshot(page, 'keyboard-focus-new-event', { fullPage: false });
    await page.keyboard.press('Enter');
    await page.waitForURL('**/events/new');
    await page.getByRole('heading', { name: 'New event', level: 1 }).waitFor();
    // The form is usable from the keyboard too: the first stop in the form is the event type.
    await tabTo(page, page.getByRole('textbox', { name: /^Title/ }));
    await page.keyboard.type('Typed without a mouse');
    expect(await page.getByRole('textbox', { name: /^Title/ }).inputValue()).toBe('Typed without a mouse');
  });
});
