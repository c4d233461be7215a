// One valid request per API route, addressed at org A's objects of a tenant fixture. Routes that
// destroy or use up their target (delete, remove, revoke, sign-out, accept, reset) build a fresh
// target each time, so every request of a matrix or fuzz run meets the same state.
import type { FileId } from '@podium/protocol';
import type { Credentials } from './http-call';
import { FIXTURE_PASSWORD, eventBody, preparePoll, type PrincipalName, type TenantFixture } from './tenant-fixture';
import { makePdf } from '../files/testing/make-pdf';
import { signFileLink } from '../files/links';
import { hashToken, randomToken } from '../security/secrets';
import { seedRecording } from '../recordings/testing';

/** A valid request: path parameters, query and body, and optionally other credentials of the same caller. */
export interface SampleRequest {
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
  /** A body sent byte for byte instead of `body` (uploads), with its content type. */
  rawBody?: Uint8Array<ArrayBuffer>;
  contentType?: string;
  /**
   * Credentials to send instead of the principal's own: a fresh session of the same person, for
   * routes that end or replace the session they are called with (sign-out, sign-in).
   */
  credentials?: Credentials;
}

/** What a sample builder knows: the fixture, who will call, and with which credentials. */
export interface SampleContext {
  fx: TenantFixture;
  principal: PrincipalName;
  credentials: Credentials;
}

/** How to build a valid request for one route, and where its outcome differs from its access rule. */
export interface RouteSample {
  build(c: SampleContext): Promise<SampleRequest>;
  /** Statuses the handler decides for some principals beyond the route's access rule. */
  except?: Partial<Record<PrincipalName, number>>;
  /** For a public route that cannot succeed on an instance already set up: the status everyone gets. */
  publicStatus?: number;
  /** Why `except` / `publicStatus` hold. */
  why?: string;
}

const ownerOf = (fx: TenantFixture) => fx.a.owner.credentials;
const A = (fx: TenantFixture) => ({ orgId: fx.a.orgId });
const AE = (fx: TenantFixture) => ({ orgId: fx.a.orgId, eventId: fx.a.eventId });

/** A new session of the principal's person (or its own credentials when it is not a person). */
async function freshSession(c: SampleContext): Promise<Credentials> {
  const person = c.fx.people[c.principal];
  return person ? c.fx.f.signIn(person.email) : c.credentials;
}

async function consentVersion(fx: TenantFixture, eventId: string): Promise<number> {
  const res = await fx.f.call({ method: 'GET', path: `/api/v1/public/events/${eventId}` });
  return res.json.consentVersion;
}

/** A valid request for every route of the catalogue, by route id. */
export const ROUTE_SAMPLES: Record<string, RouteSample> = {
  // Privacy (GDPR). Erasures each take a fresh registrant, so every request meets the same state.
  'privacy.requestAccess': { build: async ({ fx }) => ({ body: { email: 'ada-a@example.com' } }) },
  'privacy.downloadAccess': {
    build: async ({ fx }) => {
      const token = randomToken();
      await fx.t.server.ctx.sql.query(
        `insert into privacy_requests (token_hash, subject_ref, email, created_at, expires_at) values ($1, 'sub_matrix', 'ada-a@example.com', now(), now() + interval '1 hour')`,
        [hashToken(token)],
      );
      return { query: { token } };
    },
  },
  'privacy.exportOrgSubject': { build: async ({ fx }) => ({ params: A(fx), body: { email: 'ada-a@example.com' } }) },
  'privacy.exportAnySubject': { build: async () => ({ body: { email: 'ada-a@example.com' } }) },
  'privacy.eraseOrgSubject': { build: async ({ fx }) => ({ params: A(fx), body: { email: await freshRegistrant(fx) } }) },
  'privacy.eraseAnySubject': { build: async ({ fx }) => ({ body: { email: await freshRegistrant(fx) } }) },
  'privacy.orgAuditLog': { build: async ({ fx }) => ({ params: A(fx) }) },
  'privacy.anyAuditLog': { build: async () => ({}) },
  'privacy.getRetention': { build: async ({ fx }) => ({ params: A(fx) }) },
  'privacy.setRetention': { build: async ({ fx }) => ({ params: A(fx), body: { chat: 200 } }) },
  'privacy.dataLocation': { build: async ({ fx }) => ({ params: A(fx) }) },
  'privacy.withdrawConsent': { build: async ({ fx }) => ({ body: { token: fx.a.joinToken, kind: 'marketing' } }) },
  'privacy.acceptConsent': { build: async ({ fx }) => ({ body: { token: fx.a.joinToken, kind: 'marketing', version: 0 } }) },
  'privacy.listRecordingFlags': { build: async ({ fx }) => ({ params: A(fx) }) },
  'privacy.resolveRecordingFlag': { build: async ({ fx }) => ({ params: { ...A(fx), recordingId: fx.a.recordingId }, body: { resolution: 'kept' } }) },
  'system.health': { build: async () => ({}) },
  'admin.mediaStatus': { build: async () => ({}) },
  'setup.status': { build: async () => ({}) },
  'setup.create': {
    build: async ({ fx }) => ({
      body: { email: `second-${fx.f.unique()}@example.com`, password: FIXTURE_PASSWORD, name: 'Second Setup', orgName: 'Second', dataRegion: 'eu-central' },
    }),
    publicStatus: 409,
    why: 'setup runs once per instance: afterwards everyone gets SETUP_ALREADY_DONE',
  },
  'auth.signUp': {
    build: async ({ fx }) => ({ body: { email: `new-${fx.f.unique()}@example.com`, password: FIXTURE_PASSWORD, name: 'Nina New' } }),
  },
  'auth.signIn': {
    build: async (c) => ({ body: { email: c.fx.spare.email, password: c.fx.spare.password }, credentials: await freshSession(c) }),
  },
  'auth.signOut': { build: async (c) => ({ credentials: await freshSession(c) }) },
  'auth.me': { build: async () => ({}) },
  'auth.updateMe': {
    build: async ({ fx, principal }) => ({ body: { name: fx.people[principal]?.name ?? 'Nobody', locale: 'en' } }),
  },
  'auth.requestPasswordReset': { build: async ({ fx }) => ({ body: { email: fx.resetTarget.email } }) },
  'auth.confirmPasswordReset': {
    build: async ({ fx }) => ({ body: { token: await fx.f.resetToken(fx.resetTarget.email), password: FIXTURE_PASSWORD } }),
  },
  'invitations.accept': {
    // A person accepts an invitation to their own email; anyone else creates the invited account.
    build: async ({ fx, principal }) => {
      const person = fx.people[principal];
      const email = person?.email ?? `invitee-${fx.f.unique()}@example.com`;
      const { token } = await fx.f.invite(fx.c.owner.credentials, fx.c.orgId, email, 'host');
      return { body: person ? { token } : { token, name: 'Ines Invitee', password: FIXTURE_PASSWORD } };
    },
    except: { apiKey: 403, apiKeyOfB: 403 },
    why: 'invitations are accepted by people: an API key gets FORBIDDEN',
  },
  'orgs.create': { build: async ({ fx }) => ({ body: { name: `New org ${fx.f.unique()}`, dataRegion: 'eu-west' } }) },
  'orgs.get': { build: async ({ fx }) => ({ params: A(fx) }) },
  'orgs.update': { build: async ({ fx }) => ({ params: A(fx), body: { name: fx.a.orgName } }) },
  'members.list': { build: async ({ fx }) => ({ params: A(fx), query: { limit: '10' } }) },
  'members.update': {
    build: async ({ fx }) => {
      const m = await fx.f.addMember(ownerOf(fx), fx.a.orgId, `promote-${fx.f.unique()}@example.com`, 'host', 'Pia Promoted');
      return { params: { ...A(fx), userId: m.userId }, body: { role: 'admin' } };
    },
  },
  'members.remove': {
    build: async ({ fx }) => {
      const m = await fx.f.addMember(ownerOf(fx), fx.a.orgId, `leaving-${fx.f.unique()}@example.com`, 'host', 'Lea Leaving');
      return { params: { ...A(fx), userId: m.userId } };
    },
  },
  'invitations.list': { build: async ({ fx }) => ({ params: A(fx), query: { limit: '10' } }) },
  'invitations.create': {
    build: async ({ fx }) => ({ params: A(fx), body: { email: `invited-${fx.f.unique()}@example.com`, role: 'host' } }),
  },
  'invitations.revoke': {
    build: async ({ fx }) => {
      const inv = await fx.f.invite(ownerOf(fx), fx.a.orgId, `revoked-${fx.f.unique()}@example.com`, 'host');
      return { params: { ...A(fx), invitationId: inv.id } };
    },
  },
  'invitations.preview': {
    build: async ({ fx }) => ({ query: { token: (await fx.f.invite(fx.c.owner.credentials, fx.c.orgId, `preview-${fx.f.unique()}@example.com`, 'host')).token } }),
  },
  'apiKeys.list': { build: async ({ fx }) => ({ params: A(fx), query: { limit: '10' } }) },
  'apiKeys.create': { build: async ({ fx }) => ({ params: A(fx), body: { name: 'CI key', expiresInDays: 30 } }) },
  'apiKeys.revoke': {
    build: async ({ fx }) => ({ params: { ...A(fx), apiKeyId: (await fx.f.createApiKey(ownerOf(fx), fx.a.orgId, 'doomed key')).id } }),
  },
  'events.list': { build: async ({ fx }) => ({ params: A(fx), query: { limit: '10', when: 'upcoming' } }) },
  'events.create': {
    // Every optional field filled, so the fuzz suite mutates all of them.
    build: async ({ fx }) => ({
      params: A(fx),
      body: eventBody(fx.t, {
        title: 'Town hall', description: 'All hands', capacity: 500, consentText: 'We store your name and email for this event.',
        agenda: [{ title: 'Welcome', durationMinutes: 10, description: 'Intro' }],
        registrationFields: [{ key: 'company', label: 'Company', type: 'select', required: false, options: ['Acme', 'Other'] }],
        presenters: ['pat.presenter@example.com'],
      }),
    }),
  },
  'events.get': { build: async ({ fx }) => ({ params: AE(fx) }) },
  'events.update': {
    build: async ({ fx }) => ({ params: AE(fx), body: { title: 'Launch of A', durationMinutes: 60, capacity: null, agenda: [{ title: 'Demo' }] } }),
  },
  'events.delete': {
    build: async ({ fx }) => ({ params: { ...A(fx), eventId: await fx.f.createEvent(ownerOf(fx), fx.a.orgId, { title: 'Doomed' }) } }),
  },
  'events.changeStatus': {
    build: async ({ fx }) => ({
      params: { ...A(fx), eventId: await fx.f.createEvent(ownerOf(fx), fx.a.orgId, { title: 'Going live' }) },
      body: { status: 'live' },
    }),
  },
  'events.listInvitees': { build: async ({ fx }) => ({ params: AE(fx), query: { limit: '10' } }) },
  'events.addInvitees': {
    build: async ({ fx }) => ({ params: AE(fx), body: { emails: [`guest-${fx.f.unique()}@example.com`] } }),
  },
  'public.event': { build: async ({ fx }) => ({ params: { eventId: fx.a.eventId } }) },
  'public.register': {
    build: async ({ fx }) => ({
      params: { eventId: fx.a.eventId },
      body: { name: 'Rita Registrant', email: `rita-${fx.f.unique()}@example.com`, consentVersion: await consentVersion(fx, fx.a.eventId), consentAccepted: true },
    }),
  },
  'registrations.list': { build: async ({ fx }) => ({ params: AE(fx), query: { limit: '10' } }) },
  'registrations.export': { build: async ({ fx }) => ({ params: AE(fx) }) },
  'notes.markdown': { build: async ({ fx }) => ({ params: AE(fx) }) },
  'polls.list': { build: async ({ fx }) => ({ params: AE(fx) }) },
  'polls.create': { build: async ({ fx }) => ({ params: AE(fx), body: { question: 'Which city next?', options: ['Warsaw', 'Lyon'], multiple: false } }) },
  'polls.update': {
    build: async ({ fx }) => ({ params: { ...AE(fx), pollId: fx.a.pollId }, body: { question: 'Ready for questions?', options: ['Yes', 'Not yet', 'Later'], multiple: false } }),
  },
  'polls.delete': {
    build: async ({ fx }) => ({ params: { ...AE(fx), pollId: await preparePoll(fx.f, ownerOf(fx), fx.a.orgId, fx.a.eventId) } }),
  },
  'rooms.settings.get': { build: async ({ fx }) => ({ params: AE(fx) }) },
  'rooms.settings.update': { build: async ({ fx }) => ({ params: AE(fx), body: { waitingRoom: true } }) },
  'rooms.report': { build: async ({ fx }) => ({ params: AE(fx) }) },
  'rooms.report.csv': { build: async ({ fx }) => ({ params: AE(fx) }) },
  'registrations.remove': {
    build: async ({ fx }) => {
      const reg = await fx.f.register(fx.a.eventId, `removed-${fx.f.unique()}@example.com`, 'Rob Removed');
      return { params: { ...AE(fx), registrationId: reg.id } };
    },
  },
  'events.hostJoinLink': {
    build: async ({ fx }) => ({ params: AE(fx) }),
    except: { apiKey: 403 },
    why: 'a host join link is personal: an API key gets FORBIDDEN',
  },
  'join.info': { build: async ({ fx }) => ({ query: { token: fx.a.joinToken } }) },
  'outbox.listOrg': { build: async ({ fx }) => ({ params: A(fx), query: { limit: '10' } }) },
  'outbox.getOrg': { build: async ({ fx }) => ({ params: { ...A(fx), mailId: fx.a.mailId } }) },
  'outbox.listAll': { build: async () => ({ query: { limit: '10' } }) },
  'outbox.getAny': { build: async ({ fx }) => ({ params: { mailId: fx.a.mailId } }) },
  'files.upload': {
    build: async ({ fx }) => ({
      params: AE(fx), query: { purpose: 'slides', name: 'Quarterly deck.pdf' },
      rawBody: new Uint8Array(makePdf({ pages: 3 })), contentType: 'application/pdf',
    }),
  },
  'files.list': { build: async ({ fx }) => ({ params: AE(fx), query: { limit: '10' } }) },
  'files.delete': {
    build: async ({ fx }) => ({ params: { ...AE(fx), fileId: await fx.f.uploadFile(ownerOf(fx), fx.a.orgId, fx.a.eventId) } }),
  },
  'files.link': { build: async ({ fx }) => ({ params: { ...AE(fx), fileId: fx.a.fileId } }) },
  'files.content': {
    build: async ({ fx }) => {
      const link = new URL(signFileLink(fx.t.server.ctx, fx.a.fileId as FileId, 600).url);
      return { params: { fileId: fx.a.fileId }, query: { exp: link.searchParams.get('exp')!, sig: link.searchParams.get('sig')! } };
    },
  },
  'recordings.list': { build: async ({ fx }) => ({ params: A(fx), query: { limit: '10' } }) },
  'recordings.listEvent': { build: async ({ fx }) => ({ params: AE(fx), query: { limit: '10' } }) },
  'recordings.get': { build: async ({ fx }) => ({ params: { ...A(fx), recordingId: fx.a.recordingId } }) },
  'recordings.timeline': { build: async ({ fx }) => ({ params: { ...A(fx), recordingId: fx.a.recordingId } }) },
  'recordings.track': { build: async ({ fx }) => ({ params: { ...A(fx), recordingId: fx.a.recordingId, trackId: fx.a.trackId } }) },
  'recordings.mp4': { build: async ({ fx }) => ({ params: { ...A(fx), recordingId: fx.a.recordingId } }) },
  // These change or use up their recording: each request gets a fresh one.
  'recordings.compose': { build: async ({ fx }) => ({ params: { ...A(fx), recordingId: (await freshRecording(fx)).recordingId } }) },
  'recordings.delete': { build: async ({ fx }) => ({ params: { ...A(fx), recordingId: (await freshRecording(fx)).recordingId } }) },
  'recordings.retention': { build: async ({ fx }) => ({ params: { ...A(fx), recordingId: (await freshRecording(fx)).recordingId }, body: { expiresAt: '2031-01-01T00:00:00.000Z' } }) },
  'recordings.publish': { build: async ({ fx }) => ({ params: { ...A(fx), recordingId: (await freshRecording(fx)).recordingId }, body: { expiresAt: '2031-01-01T00:00:00.000Z' } }) },
  'recordings.unpublish': { build: async ({ fx }) => ({ params: { ...A(fx), recordingId: (await freshRecording(fx)).recordingId } }) },
  'recordings.public.get': { build: async ({ fx }) => ({ params: { recordingId: fx.a.recordingId }, query: { token: fx.a.recordingToken } }) },
  'recordings.public.timeline': { build: async ({ fx }) => ({ params: { recordingId: fx.a.recordingId }, query: { token: fx.a.recordingToken } }) },
  'recordings.public.track': { build: async ({ fx }) => ({ params: { recordingId: fx.a.recordingId, trackId: fx.a.trackId }, query: { token: fx.a.recordingToken } }) },
  'recordings.public.mp4': { build: async ({ fx }) => ({ params: { recordingId: fx.a.recordingId }, query: { token: fx.a.recordingToken } }) },
  'recordings.public.slideLink': {
    why: 'the seeded recording put no slides on stage, so the token opens no file (FILE_NOT_FOUND for everyone)',
    publicStatus: 404,
    build: async ({ fx }) => ({ params: { recordingId: fx.a.recordingId, fileId: 'fil_00000000000000000000' }, query: { token: fx.a.recordingToken } }),
  },
};

/** A new finished recording of org A's event. */
function freshRecording(fx: TenantFixture) {
  return seedRecording(fx.t.server.ctx, fx.a.orgId, fx.a.eventId);
}

/** A new registrant of org A's event, to be erased by a privacy sample. */
async function freshRegistrant(fx: TenantFixture): Promise<string> {
  const email = `erase-${fx.f.unique()}@example.com`;
  await fx.f.register(fx.a.eventId, email, 'Erin Erase');
  return email;
}

/** The id of org B's object each path parameter names, with the not-found code org A's path must answer. */
export function foreignIds(fx: TenantFixture): Record<string, { a: string; b: string; code: string }> {
  return {
    eventId: { a: fx.a.eventId, b: fx.b.eventId, code: 'EVENT_NOT_FOUND' },
    registrationId: { a: fx.a.registrationId, b: fx.b.registrationId, code: 'REGISTRATION_NOT_FOUND' },
    userId: { a: fx.a.host.userId, b: fx.b.host.userId, code: 'MEMBER_NOT_FOUND' },
    invitationId: { a: fx.a.invitationId, b: fx.b.invitationId, code: 'INVITATION_NOT_FOUND' },
    apiKeyId: { a: fx.a.apiKey.id, b: fx.b.apiKey.id, code: 'API_KEY_NOT_FOUND' },
    mailId: { a: fx.a.mailId, b: fx.b.mailId, code: 'OUTBOX_MESSAGE_NOT_FOUND' },
    fileId: { a: fx.a.fileId, b: fx.b.fileId, code: 'FILE_NOT_FOUND' },
    pollId: { a: fx.a.pollId, b: fx.b.pollId, code: 'POLL_NOT_FOUND' },
    recordingId: { a: fx.a.recordingId, b: fx.b.recordingId, code: 'RECORDING_NOT_FOUND' },
    trackId: { a: fx.a.trackId, b: fx.b.trackId, code: 'RECORDING_NOT_FOUND' },
  };
}
