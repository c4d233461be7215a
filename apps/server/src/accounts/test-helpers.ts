// Shared steps of account and organization tests, done through the real HTTP API.
import { expect } from 'vitest';
import type { Me } from '@podium/protocol';
import type { TestClient } from '../testing/client';
import type { TestServer } from '../testing/server';

/** The owner created by `setUpInstance`. */
export const OWNER = { email: 'Olivia.Owner@Example.com', password: 'owner-password-1', name: 'Olivia Owner' } as const;

/** A password that passes the strength rule. */
export const GOOD_PASSWORD = 'correct horse battery';

/** Runs first-start setup; returns the owner's signed-in client, their `Me` and the first org's id. */
export async function setUpInstance(t: TestServer, orgName = 'Acme Webinars'): Promise<{ owner: TestClient; me: Me; orgId: string }> {
  const owner = t.client();
  const res = await owner.post<Me>('/api/v1/setup', { ...OWNER, orgName, dataRegion: 'eu-central' });
  expect(res.status).toBe(201);
  return { owner, me: res.body, orgId: res.body.memberships[0].orgId };
}

/** Signs up a new account; returns its signed-in client and `Me`. */
export async function signUpAs(t: TestServer, email: string, name = 'Sam Signup'): Promise<{ client: TestClient; me: Me }> {
  const client = t.client();
  const res = await client.post<Me>('/api/v1/auth/sign-up', { email, password: GOOD_PASSWORD, name });
  expect(res.status).toBe(201);
  return { client, me: res.body };
}

/** A row of the mail outbox as tests read it. */
export interface OutboxMail {
  org_id: string | null;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
}

/** Emails written to the outbox for an address (any case), oldest first. */
export async function mailsTo(t: TestServer, address: string): Promise<OutboxMail[]> {
  return t.server.ctx.sql.query<OutboxMail>(
    'select org_id, to_address, subject, text_body, html_body from mail_outbox where lower(to_address) = lower($1) order by created_at, id',
    [address],
  );
}

/** The token of the link to `path` in the newest email to an address. */
export async function tokenFromLastMail(t: TestServer, address: string, path: string): Promise<string> {
  const mails = await mailsTo(t, address);
  expect(mails.length).toBeGreaterThan(0);
  const text = mails[mails.length - 1].text_body;
  const m = new RegExp(`${path.replace(/[/]/g, '\\/')}\\?token=([A-Za-z0-9_-]+)`).exec(text);
  if (!m) throw new Error(`no ${path} link in the email`);
  return m[1];
}

/** Invites `email` into the org as `role` and accepts as a new account; returns the member's client and `Me`. */
export async function addMember(
  t: TestServer, inviter: TestClient, orgId: string, email: string, role: 'host' | 'admin' | 'owner', name = 'Mia Member',
): Promise<{ client: TestClient; me: Me }> {
  const inv = await inviter.post(`/api/v1/orgs/${orgId}/invitations`, { email, role });
  expect(inv.status).toBe(201);
  const token = await tokenFromLastMail(t, email, '/invite');
  const client = t.client();
  const res = await client.post<Me>('/api/v1/invitations/accept', { token, name, password: GOOD_PASSWORD });
  expect(res.status).toBe(200);
  return { client, me: res.body };
}
