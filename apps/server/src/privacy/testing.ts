// A realistic organization for the privacy tests, built through the real HTTP API and real room
// connections: a subject (Marta) with an account, an upload, a registration, chat, Q&A, poll
// answers, attendance and emails; another person (Bob) doing the same in the same event.
import type { EventId } from '@podium/protocol';
import type { TestServer } from '../testing/server';
import { httpCall, sessionCredentials, type Credentials } from '../testing/http-call';
import { makePdf } from '../files/testing/make-pdf';
import { seedOrg } from '../events/testing';
import { liveRoomFixture, settle, type InRoom, type LiveRoomFixture } from '../rooms/testing';

/** One person of the world. */
export interface WorldPerson {
  name: string;
  email: string;
  ip: string;
  registrationId: string;
  inRoom: InRoom;
  chatIds: string[];
  questionId: string;
}

/** What the tests look for. */
export interface PrivacyWorld {
  room: LiveRoomFixture;
  orgId: string;
  eventId: EventId;
  marta: WorldPerson & { userId: string; credentials: Credentials; fileId: string };
  bob: WorldPerson;
  pollId: string;
  host: InRoom;
}

const FOUND = (re: RegExp, text: string, what: string) => {
  const m = re.exec(text);
  if (!m) throw new Error(`no ${what}`);
  return decodeURIComponent(m[1]);
};

async function registerOver(t: TestServer, eventId: string, name: string, email: string, ip: string): Promise<{ id: string; token: string }> {
  const c = t.client();
  const ev = await c.get(`/api/v1/public/events/${eventId}`);
  const res = await c.post(`/api/v1/public/events/${eventId}/registrations`, {
    name, email, consentVersion: ev.body.consentVersion, consentAccepted: true, fields: {},
  }, { 'x-forwarded-for': ip });
  if (res.status !== 201) throw new Error(`registration: ${res.status} ${res.text}`);
  const [mail] = await t.server.ctx.sql.query<{ text_body: string }>(
    'select text_body from mail_outbox where to_address = $1 order by created_at desc, id desc limit 1', [email],
  );
  return { id: res.body.registrationId, token: FOUND(/\/join\/([A-Za-z0-9_.-]+)/, mail.text_body, 'join link') };
}

/** Builds the world on a server started with `trustProxy: true` (the registrants' addresses come from X-Forwarded-For). */
export async function buildPrivacyWorld(t: TestServer): Promise<PrivacyWorld> {
  const org = await seedOrg(t, { role: 'owner', name: 'Acme Webinars' });
  const room = await liveRoomFixture(t, { org, event: { title: 'Data protection day' } });
  const eventId = room.eventId;

  // Marta: an account, a host of the organization who uploads slides, and a registrant.
  const signUp = await httpCall(t.url, { method: 'POST', path: '/api/v1/auth/sign-up', body: { email: 'Marta.Kowalska@example.org', password: 'marta-password-123', name: 'Marta Kowalska' } });
  if (signUp.status !== 201) throw new Error(`sign-up: ${signUp.status} ${signUp.text}`);
  const credentials = sessionCredentials(signUp);
  const userId = signUp.json.user.id as string;
  await t.server.ctx.sql.query(`insert into memberships (org_id, user_id, role) values ($1, $2, 'host')`, [org.orgId, userId]);
  const up = await httpCall(t.url, {
    method: 'POST', path: `/api/v1/orgs/${org.orgId}/events/${eventId}/files`, query: { purpose: 'slides', name: 'marta-kowalska-notes.pdf' },
    credentials, rawBody: new Uint8Array(makePdf({ pages: 2 })), contentType: 'application/pdf',
  });
  if (up.status !== 201) throw new Error(`upload: ${up.status} ${up.text}`);
  const fileId = up.json.id as string;

  const mReg = await registerOver(t, eventId, 'Marta Kowalska', 'marta.kowalska@example.org', '203.0.113.77');
  const bReg = await registerOver(t, eventId, 'Bob Brown', 'bob.brown@example.net', '198.51.100.9');
  await room.setStatus('live');
  const host = await room.host();
  const m = await room.enter(mReg.token);
  const b = await room.enter(bReg.token);

  const chat = async (p: InRoom, text: string, to: string) => {
    const r = await p.ask({ type: 'chat-send', text, to });
    if (r.type !== 'chat-sent') throw new Error(`chat: ${JSON.stringify(r)}`);
    return r.message.id as string;
  };
  const martaChat = [
    await chat(m, 'Hello everyone, Marta Kowalska here, reach me at marta.kowalska@example.org', 'everyone'),
    await chat(m, 'A private word for the hosts', 'hosts'),
  ];
  const bobChat = [await chat(b, 'Welcome Marta Kowalska! Bob here.', 'everyone')];
  await chat(host, 'Thanks Marta, noted.', m.participantId);

  const ask = async (p: InRoom, text: string) => {
    const r = await p.ask({ type: 'question-ask', text });
    if (r.type !== 'question-asked') throw new Error(`question: ${JSON.stringify(r)}`);
    return r.question.id as string;
  };
  const mq = await ask(m, 'Marta asks: how long is my data kept?');
  const bq = await ask(b, 'Bob asks: where are the servers?');
  for (const [p, q] of [[m, bq], [b, mq]] as const) {
    const r = await p.ask({ type: 'question-vote', questionId: q, up: true });
    if (r.type === 'error') throw new Error(`vote: ${JSON.stringify(r)}`);
  }
  const poll = await host.ask({ type: 'poll-create', poll: { question: 'Useful?', options: ['Yes', 'No'], multiple: false } });
  if (poll.type !== 'poll-created') throw new Error(`poll: ${JSON.stringify(poll)}`);
  const pollId = poll.poll.id as string;
  await host.ask({ type: 'poll-launch', pollId });
  for (const [p, c] of [[m, 0], [b, 1]] as const) {
    const r = await p.ask({ type: 'poll-vote', pollId, choice: [c] });
    if (r.type === 'error') throw new Error(`poll vote: ${JSON.stringify(r)}`);
  }
  await settle(host, m, b);
  return {
    room, orgId: org.orgId, eventId, pollId, host,
    marta: { name: 'Marta Kowalska', email: 'marta.kowalska@example.org', ip: '203.0.113.77', registrationId: mReg.id, inRoom: m, chatIds: martaChat, questionId: mq, userId, credentials, fileId },
    bob: { name: 'Bob Brown', email: 'bob.brown@example.net', ip: '198.51.100.9', registrationId: bReg.id, inRoom: b, chatIds: bobChat, questionId: bq },
  };
}
