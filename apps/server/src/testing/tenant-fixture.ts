// Two organizations with every kind of caller, built only through the real HTTP API (setup,
// sign-up, org creation, invitations accepted, API keys, events, registrations), so the
// authorization matrix and the fuzz suite exercise the same rows a real installation would have.
import type { TestServer } from './server';
import { httpCall, sessionCredentials, type Credentials, type HttpCall, type HttpResult } from './http-call';
import { makePdf } from '../files/testing/make-pdf';
import { seedRecording } from '../recordings/testing';

/** The callers of the authorization matrix, in the order the matrix prints them. */
export const PRINCIPALS = [
  'anonymous', 'attendee', 'hostOfB', 'ownerOfB', 'apiKeyOfB', 'instanceAdmin', 'host', 'admin', 'owner', 'apiKey',
] as const;
/** One caller of the matrix. */
export type PrincipalName = (typeof PRINCIPALS)[number];

/** A password that passes the strength rule. */
export const FIXTURE_PASSWORD = 'matrix-password-123';

/** A person with an account, and the credentials of one of their sessions. */
export interface Person {
  userId: string;
  email: string;
  name: string;
  credentials: Credentials;
}

/** The objects of one organization the tests address. */
export interface TenantObjects {
  orgId: string;
  orgName: string;
  owner: Person;
  host: Person;
  apiKey: { id: string; secret: string };
  /** A scheduled event with registration, one registrant and one invitee. */
  eventId: string;
  registrationId: string;
  /** The registrant's personal join token, read from the confirmation email. */
  joinToken: string;
  /** A pending invitation. */
  invitationId: string;
  /** An email sent on behalf of the organization. */
  mailId: string;
  /** Slides attached to the event. */
  fileId: string;
  /** A poll prepared for the event. */
  pollId: string;
  /** A finished, published recording of the event, one of its tracks, and its publish token. */
  recordingId: string;
  trackId: string;
  recordingToken: string;
}

/** Everything the matrix and the fuzz suite need. */
export interface TenantFixture {
  t: TestServer;
  /** Org A: the organization every matrix request addresses. */
  a: TenantObjects & { admin: Person };
  /** Org B: another tenant, whose ids must never be reachable through org A's paths. */
  b: TenantObjects;
  /** The person who set the instance up (instance admin, member of neither A nor B). */
  instanceAdmin: Person;
  /** Org C, owned by nobody in the matrix: invitations into it are what `invitations.accept` cells accept. */
  c: { orgId: string; owner: Person };
  /** An account whose password `auth.signIn` requests sign in with. */
  spare: { email: string; password: string };
  /** An account whose password `auth.requestPasswordReset` / `auth.confirmPasswordReset` requests reset. */
  resetTarget: { email: string };
  /** Credentials of each principal. */
  principals: Record<PrincipalName, Credentials>;
  /** The person behind each signed-in principal. */
  people: Partial<Record<PrincipalName, Person>>;
  /** Fixture steps bound to this server (also used to build fresh targets per request). */
  f: FixtureCalls;
}

const ANONYMOUS: Credentials = { headers: {} };

/** Throws with the response when a fixture step did not get the status it needs. */
export function expectStatus(res: HttpResult, status: number, what: string): HttpResult {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status} ${res.text.slice(0, 300)}`);
  return res;
}

/** Helpers bound to one server. */
export function fixtureCalls(t: TestServer) {
  let n = 0;
  const call = (c: HttpCall) => httpCall(t.url, c);
  const unique = () => `${Date.now().toString(36)}${(n++).toString(36)}`;

  /** The newest email to an address. */
  async function lastMailTo(address: string): Promise<{ id: string; text_body: string }> {
    const rows = await t.server.ctx.sql.query<{ id: string; text_body: string }>(
      'select id, text_body from mail_outbox where lower(to_address) = lower($1) order by created_at desc, id desc limit 1',
      [address],
    );
    if (!rows[0]) throw new Error('no email to this address');
    return rows[0];
  }

  /** The token of the `link` (e.g. `/invite?token=`) in the newest email to an address. */
  async function tokenFromMail(address: string, link: RegExp): Promise<string> {
    const mail = await lastMailTo(address);
    const m = link.exec(mail.text_body);
    if (!m) throw new Error(`no ${link} link in the email`);
    return decodeURIComponent(m[1]);
  }

  async function signUp(email: string, name: string): Promise<Person> {
    const res = expectStatus(await call({ method: 'POST', path: '/api/v1/auth/sign-up', body: { email, password: FIXTURE_PASSWORD, name } }), 201, 'sign-up');
    return { userId: res.json.user.id, email, name, credentials: sessionCredentials(res) };
  }

  /** A new session of an existing account, through the sign-in route. */
  async function signIn(email: string, password = FIXTURE_PASSWORD): Promise<Credentials> {
    return sessionCredentials(expectStatus(await call({ method: 'POST', path: '/api/v1/auth/sign-in', body: { email, password } }), 200, 'sign-in'));
  }

  async function createOrg(owner: Person, name: string): Promise<string> {
    const res = await call({ method: 'POST', path: '/api/v1/orgs', credentials: owner.credentials, body: { name, dataRegion: 'eu-central' } });
    return expectStatus(res, 201, 'create org').json.id;
  }

  /** Invites an email into an org; returns the invitation id and the token from the email. */
  async function invite(by: Credentials, orgId: string, email: string, role: 'host' | 'admin' | 'owner'): Promise<{ id: string; token: string }> {
    const res = expectStatus(await call({ method: 'POST', path: `/api/v1/orgs/${orgId}/invitations`, credentials: by, body: { email, role } }), 201, 'invite');
    return { id: res.json.id, token: await tokenFromMail(email, /\/invite\?token=([^\s"<>]+)/) };
  }

  /** Invites a new person and accepts as a new account: a member with `role`. */
  async function addMember(by: Credentials, orgId: string, email: string, role: 'host' | 'admin' | 'owner', name: string): Promise<Person> {
    const { token } = await invite(by, orgId, email, role);
    const res = expectStatus(await call({ method: 'POST', path: '/api/v1/invitations/accept', body: { token, name, password: FIXTURE_PASSWORD } }), 200, 'accept invitation');
    return { userId: res.json.user.id, email, name, credentials: sessionCredentials(res) };
  }

  async function createEvent(by: Credentials, orgId: string, overrides: Record<string, unknown> = {}): Promise<string> {
    const res = await call({ method: 'POST', path: `/api/v1/orgs/${orgId}/events`, credentials: by, body: eventBody(t, overrides) });
    return expectStatus(res, 201, 'create event').json.id;
  }

  /** Registers a person on the public route; returns the registration id and their join token. */
  async function register(eventId: string, email: string, name = 'Ada Attendee'): Promise<{ id: string; joinToken: string }> {
    const ev = expectStatus(await call({ method: 'GET', path: `/api/v1/public/events/${eventId}` }), 200, 'public event');
    const res = await call({
      method: 'POST', path: `/api/v1/public/events/${eventId}/registrations`,
      body: { name, email, consentVersion: ev.json.consentVersion, consentAccepted: true },
    });
    const id = expectStatus(res, 201, 'register').json.registrationId;
    return { id, joinToken: await tokenFromMail(email, /\/join\/([A-Za-z0-9_.-]+)/) };
  }

  async function createApiKey(by: Credentials, orgId: string, name = 'matrix key'): Promise<{ id: string; secret: string }> {
    const res = expectStatus(await call({ method: 'POST', path: `/api/v1/orgs/${orgId}/api-keys`, credentials: by, body: { name } }), 201, 'create API key');
    return { id: res.json.apiKey.id, secret: res.json.secret };
  }

  /** A fresh password-reset token for an account, read from the email. */
  async function resetToken(email: string): Promise<string> {
    expectStatus(await call({ method: 'POST', path: '/api/v1/auth/password-reset', body: { email } }), 202, 'request reset');
    return tokenFromMail(email, /\/reset-password\?token=([^\s"<>]+)/);
  }

  /** Uploads a two-page PDF as slides of an event; returns the file id. */
  async function uploadFile(by: Credentials, orgId: string, eventId: string): Promise<string> {
    const res = await call({
      method: 'POST', path: `/api/v1/orgs/${orgId}/events/${eventId}/files`, query: { purpose: 'slides', name: 'deck.pdf' },
      credentials: by, rawBody: new Uint8Array(makePdf({ pages: 2 })), contentType: 'application/pdf',
    });
    return expectStatus(res, 201, 'upload file').json.id;
  }

  return { call, unique, lastMailTo, tokenFromMail, signUp, signIn, createOrg, invite, addMember, createEvent, register, createApiKey, resetToken, uploadFile, ctx: t.server.ctx };
}

/** Helpers bound to one server, as returned by `fixtureCalls`. */
export type FixtureCalls = ReturnType<typeof fixtureCalls>;

/** A valid event body starting three days from the server's clock. */
export function eventBody(t: TestServer, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'webinar',
    title: 'Quarterly results',
    startsAt: new Date(t.server.ctx.now().getTime() + 72 * 3_600_000).toISOString(),
    durationMinutes: 60,
    timeZone: 'Europe/Warsaw',
    accessMode: 'registration',
    ...overrides,
  };
}

/** Prepares a draft poll for an event through the API; returns its id. */
export async function preparePoll(f: FixtureCalls, credentials: Credentials, orgId: string, eventId: string): Promise<string> {
  const res = await f.call({
    method: 'POST', path: `/api/v1/orgs/${orgId}/events/${eventId}/polls`, credentials,
    body: { question: 'Ready for questions?', options: ['Yes', 'Not yet'], multiple: false },
  });
  expectStatus(res, 201, 'prepare poll');
  return res.json.id;
}

async function buildTenant(f: FixtureCalls, label: string, owner: Person): Promise<TenantObjects> {
  const orgName = `Org ${label} ${f.unique()}`;
  const orgId = await f.createOrg(owner, orgName);
  const host = await f.addMember(owner.credentials, orgId, `host-${label.toLowerCase()}@example.com`, 'host', `Hugo Host ${label}`);
  const apiKey = await f.createApiKey(owner.credentials, orgId);
  const eventId = await f.createEvent(owner.credentials, orgId, { title: `Launch of ${label}` });
  const reg = await f.register(eventId, `ada-${label.toLowerCase()}@example.com`, `Ada ${label}`);
  const mailId = (await f.lastMailTo(`ada-${label.toLowerCase()}@example.com`)).id;
  const inv = await f.invite(owner.credentials, orgId, `pending-${label.toLowerCase()}@example.com`, 'host');
  const invitee = await f.call({ method: 'POST', path: `/api/v1/orgs/${orgId}/events/${eventId}/invitees`, credentials: owner.credentials, body: { emails: [`guest-${label.toLowerCase()}@example.com`] } });
  expectStatus(invitee, 201, 'add invitee');
  const fileId = await f.uploadFile(owner.credentials, orgId, eventId);
  const pollId = await preparePoll(f, owner.credentials, orgId, eventId);
  const rec = await seedRecording(f.ctx, orgId, eventId);
  return {
    orgId, orgName, owner, host, apiKey, eventId, registrationId: reg.id, joinToken: reg.joinToken, invitationId: inv.id, mailId, fileId, pollId,
    recordingId: rec.recordingId, trackId: rec.trackId, recordingToken: rec.token,
  };
}

/** Builds instance admin, org A (owner, admin, host, API key), org B (owner, host, API key) and org C. */
export async function buildTenantFixture(t: TestServer): Promise<TenantFixture> {
  const f = fixtureCalls(t);
  const setup = await f.call({
    method: 'POST', path: '/api/v1/setup',
    body: { email: 'ivy.admin@example.com', password: FIXTURE_PASSWORD, name: 'Ivy Admin', orgName: 'Home', dataRegion: 'eu-central' },
  });
  expectStatus(setup, 201, 'setup');
  const instanceAdmin: Person = { userId: setup.json.user.id, email: 'ivy.admin@example.com', name: 'Ivy Admin', credentials: sessionCredentials(setup) };

  const ownerA = await f.signUp('olga.owner@example.com', 'Olga Owner');
  const a = await buildTenant(f, 'A', ownerA);
  const adminA = await f.addMember(ownerA.credentials, a.orgId, 'adam.admin@example.com', 'admin', 'Adam Admin');

  const ownerB = await f.signUp('bruno.owner@example.com', 'Bruno Owner');
  const b = await buildTenant(f, 'B', ownerB);

  const cora = await f.signUp('cora.owner@example.com', 'Cora Owner');
  const cOrgId = await f.createOrg(cora, `Org C ${f.unique()}`);

  const spare = { email: 'sam.spare@example.com', password: FIXTURE_PASSWORD };
  await f.signUp(spare.email, 'Sam Spare');
  const resetTarget = { email: 'rosa.reset@example.com' };
  await f.signUp(resetTarget.email, 'Rosa Reset');

  const bearer = (secret: string): Credentials => ({ headers: { authorization: `Bearer ${secret}` } });
  const principals: Record<PrincipalName, Credentials> = {
    anonymous: ANONYMOUS,
    // A registrant's join link is not a credential for the API: sent both ways, it must open nothing.
    attendee: { headers: { authorization: `Bearer ${a.joinToken}` }, query: { token: a.joinToken } },
    hostOfB: b.host.credentials,
    ownerOfB: b.owner.credentials,
    apiKeyOfB: bearer(b.apiKey.secret),
    instanceAdmin: instanceAdmin.credentials,
    host: a.host.credentials,
    admin: adminA.credentials,
    owner: a.owner.credentials,
    apiKey: bearer(a.apiKey.secret),
  };
  const people: Partial<Record<PrincipalName, Person>> = {
    hostOfB: b.host, ownerOfB: b.owner, instanceAdmin, host: a.host, admin: adminA, owner: a.owner,
  };
  return {
    t,
    a: { ...a, admin: adminA },
    b,
    instanceAdmin,
    c: { orgId: cOrgId, owner: cora },
    spare,
    resetTarget,
    principals,
    people,
    f,
  };
}
