// Test helpers for the live room: an event of any type and access mode, and people who enter it
// as real WebSocket clients of the real server.
import { newId, type CreateEventBody, type EventId, type JoinedMessage, type JoinRole, type ServerMessage } from '@podium/protocol';
import type { TestServer } from '../testing/server';
import { eventBody, seedOrg, type SeededOrg } from '../events/testing';
import { joinTokenExpiry, signJoinToken } from '../registrations/join-token';
import { SignalTestClient } from '../signaling/testing';

/** Someone in the room through a real connection. */
export interface InRoom {
  client: SignalTestClient;
  joined: JoinedMessage;
  participantId: string;
  /** Sends a room message and resolves with the reply (or the error). */
  ask(msg: Record<string, unknown>): Promise<ServerMessage>;
}

/** An event with helpers to add people and let them in. */
export interface LiveRoomFixture {
  org: SeededOrg;
  eventId: EventId;
  /** A registration (attendee or presenter) and its join token. */
  register(name: string, role?: Exclude<JoinRole, 'host'>, email?: string): Promise<{ registrationId: string; token: string; email: string }>;
  /** The host's join token. */
  hostToken(): string;
  /** Connects, says hello and joins with `token` (and `password`); fails unless joined. */
  enter(token: string, password?: string): Promise<InRoom>;
  /** Registers `name` and enters (having agreed to be recorded first with `agreeToRecording`). */
  attendee(name: string, role?: Exclude<JoinRole, 'host'>, opts?: { agreeToRecording?: boolean }): Promise<InRoom>;
  /** Agrees to the event's recording with a join token, through the public consent route. */
  agreeToRecording(token: string): Promise<void>;
  /** The host enters. */
  host(): Promise<InRoom>;
  /** Moves the event's status through the REST API. */
  setStatus(status: 'live' | 'ended' | 'cancelled'): Promise<void>;
  /** Closes every connection opened through the fixture. */
  closeAll(): Promise<void>;
}

/** Creates an organization and an event (scheduled; `live: true` starts it through the API). */
export async function liveRoomFixture(t: TestServer, opts: { event?: Partial<CreateEventBody>; live?: boolean; org?: SeededOrg } = {}): Promise<LiveRoomFixture> {
  const org = opts.org ?? (await seedOrg(t));
  const body = eventBody(t, opts.event ?? {}, 1);
  const res = await org.member.post(`/api/v1/orgs/${org.orgId}/events`, body);
  if (res.status !== 201) throw new Error(`event not created: ${res.status} ${res.text}`);
  const eventId = res.body.id as EventId;
  const exp = Math.floor(joinTokenExpiry(new Date(body.startsAt), body.durationMinutes).getTime() / 1000);
  const secrets = t.server.ctx.secrets;
  const clients: SignalTestClient[] = [];
  const fixture: LiveRoomFixture = {
    org,
    eventId,
    async register(name, role = 'attendee', email) {
      const registrationId = newId('registration');
      const address = email ?? `${registrationId}@example.test`;
      await t.server.ctx.sql.query(
        `insert into registrations (id, event_id, org_id, email, email_lower, name, role, consent_version, consent_at)
         values ($1, $2, $3, $4, $5, $6, $7, 1, now())`,
        [registrationId, eventId, org.orgId, address, address.toLowerCase(), name, role],
      );
      return { registrationId, token: signJoinToken(secrets, { e: eventId, r: registrationId, role, exp }), email: address };
    },
    hostToken() {
      return signJoinToken(secrets, { e: eventId, r: org.userId, role: 'host', exp });
    },
    async enter(token, password) {
      const client = await SignalTestClient.open(t, { origin: null });
      clients.push(client);
      await client.hello();
      const joined = await client.request({ type: 'join', token, ...(password ? { password } : {}) });
      if (joined.type !== 'joined') throw Object.assign(new Error(`join failed: ${JSON.stringify(joined)}`), { reply: joined });
      return { client, joined, participantId: joined.room.self.id, ask: (msg) => client.request(msg) };
    },
    async attendee(name, role = 'attendee', opts = {}) {
      const { token } = await fixture.register(name, role);
      if (opts.agreeToRecording) await fixture.agreeToRecording(token);
      return fixture.enter(token);
    },
    async agreeToRecording(token) {
      const info = await fetch(`${t.url}/api/v1/join?token=${encodeURIComponent(token)}`);
      const body = (await info.json()) as { recording?: { consentVersion: number } };
      if (info.status !== 200 || !body.recording) throw new Error(`join info failed: ${info.status}`);
      const res = await fetch(`${t.url}/api/v1/public/consent/accept`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, kind: 'recording', version: body.recording.consentVersion }),
      });
      if (res.status >= 300) throw new Error(`consent not stored: ${res.status} ${await res.text()}`);
    },
    async host() {
      return fixture.enter(fixture.hostToken());
    },
    async setStatus(status) {
      const r = await org.member.post(`/api/v1/orgs/${org.orgId}/events/${eventId}/status`, { status });
      if (r.status !== 200) throw new Error(`status not changed: ${r.status} ${r.text}`);
    },
    async closeAll() {
      await Promise.all(clients.map((c) => c.close()));
    },
  };
  if (opts.live) await fixture.setStatus('live');
  return fixture;
}

/** The error code of a reply, or its type when it is not an error. */
export function codeOf(m: ServerMessage): string {
  return m.type === 'error' ? m.code : m.type;
}

/** Lets queued events arrive (the bus delivers asynchronously; a round trip through the server settles them). */
export async function settle(...people: InRoom[]): Promise<void> {
  await Promise.all(people.map((p) => p.client.request({ type: 'ping' })));
}
