import { newId, type CreateEventBody, type OrgId, type OrgRole, type UserId } from '@podium/protocol';
import { hashToken, randomToken } from '../security/secrets';
import type { TestClient } from '../testing/client';
import type { TestServer } from '../testing/server';

/** An organization seeded straight into the store, with a signed-in host and an API key. */
export interface SeededOrg {
  orgId: OrgId;
  orgName: string;
  userId: UserId;
  /** A browser-like client signed in as the member (session cookie + CSRF header). */
  member: TestClient;
  /** A client using the organization's API key. */
  api: TestClient;
}

/**
 * Creates an organization, a member with `role` (session cookie) and an API key by SQL, so event
 * tests do not depend on the sign-up routes.
 */
export async function seedOrg(t: TestServer, opts: { role?: OrgRole; name?: string } = {}): Promise<SeededOrg> {
  const sql = t.server.ctx.sql;
  const orgId = newId('org');
  const userId = newId('user');
  const orgName = opts.name ?? `Org ${orgId.slice(-6)}`;
  const email = `host-${userId.slice(-8)}@example.test`;
  await sql.query('insert into organizations (id, name, slug, data_region) values ($1, $2, $3, $4)', [orgId, orgName, `o-${orgId.slice(-12)}`, 'eu-central']);
  await sql.query('insert into users (id, email, email_lower, name, password_hash) values ($1, $2, $2, $3, $4)', [userId, email, 'Hanna Host', 'not-a-hash']);
  await sql.query('insert into memberships (org_id, user_id, role) values ($1, $2, $3)', [orgId, userId, opts.role ?? 'host']);
  const session = randomToken();
  const csrf = randomToken();
  await sql.query(
    'insert into sessions (token_hash, user_id, csrf_token, expires_at) values ($1, $2, $3, $4)',
    [hashToken(session), userId, csrf, new Date(Date.now() + 365 * 86_400_000)],
  );
  const keySecret = `pdm_${randomToken(24)}`;
  await sql.query(
    'insert into api_keys (id, org_id, name, prefix, key_hash) values ($1, $2, $3, $4, $5)',
    [newId('apiKey'), orgId, 'test key', keySecret.slice(0, 8), hashToken(keySecret)],
  );
  const member = t.client();
  member.headers.cookie = `podium_session=${session}`;
  member.csrfToken = csrf;
  return { orgId, orgName, userId, member, api: t.client().withApiKey(keySecret) };
}

/** A valid event body starting `inHours` from the server's clock. */
export function eventBody(t: TestServer, overrides: Partial<CreateEventBody> = {}, inHours = 72): CreateEventBody {
  return {
    type: 'webinar',
    title: 'Quarterly results',
    startsAt: new Date(t.server.ctx.now().getTime() + inHours * 3_600_000).toISOString(),
    durationMinutes: 60,
    timeZone: 'Europe/Warsaw',
    accessMode: 'registration',
    ...overrides,
  };
}

/** Latest mail_outbox rows to an address, newest first. */
export async function outboxTo(t: TestServer, to: string): Promise<{ subject: string; text_body: string; html_body: string | null; attachments: { filename: string; contentType: string; content: string }[] }[]> {
  return t.server.ctx.sql.query(
    'select subject, text_body, html_body, attachments from mail_outbox where to_address = $1 order by created_at desc, id',
    [to],
  );
}
