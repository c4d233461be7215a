import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNAL_CLOSE_CODES } from '@podium/protocol';
import { STORE_KINDS } from '../testing/sql';
import { startTestServer, type TestServer } from '../testing/server';
import { hashPassword } from '../accounts/passwords';
import { codeOf, liveRoomFixture, settle } from './testing';

describe.each(STORE_KINDS)('the lobby and the event lifecycle (%s)', (store) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ store, config: { signalHeartbeatMs: 1_000 } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('attendees wait in the lobby until the host starts; starting lets everyone in and tells them', async () => {
    const room = await liveRoomFixture(t);
    const ada = await room.attendee('Ada');
    expect(ada.joined.room).toMatchObject({ admission: 'waiting', participants: [{ displayName: 'Ada' }], producers: [], state: { status: 'scheduled' } });
    // Nothing of the room reaches the lobby, and room messages are refused there.
    expect(codeOf(await ada.ask({ type: 'chat-send', text: 'hello?', to: 'everyone' }))).toBe('NOT_ADMITTED');
    expect(codeOf(await ada.ask({ type: 'subscribe', producerId: 'prd_0123456789abcdef0123' }))).toBe('NOT_ADMITTED');
    const host = await room.host();
    expect(host.joined.room).toMatchObject({ admission: 'admitted', state: { status: 'scheduled', waiting: [{ displayName: 'Ada' }] } });
    const chat = await host.ask({ type: 'chat-send', text: 'backstage check', to: 'everyone' });
    expect(chat.type).toBe('chat-sent');
    expect(codeOf(await host.ask({ type: 'room-start' }))).toBe('ack');
    const status = await ada.client.waitFor((m) => m.type === 'room-status');
    expect(status).toMatchObject({ status: 'live' });
    const admitted = await ada.client.waitFor((m) => m.type === 'admitted');
    expect(admitted.type === 'admitted' && admitted.room).toMatchObject({
      admission: 'admitted', state: { status: 'live', chat: [{ text: 'backstage check' }] },
    });
    expect(admitted.type === 'admitted' && admitted.room.participants.map((p) => p.displayName)).toEqual(['Hanna Host', 'Ada']);
    expect(ada.client.ofType('chat')).toEqual([]);
    // The event is live in the database too.
    const [row] = await t.server.ctx.sql.query<{ status: string }>('select status from events where id = $1', [room.eventId]);
    expect(row.status).toBe('live');
    await room.closeAll();
  });

  it('with the waiting room on, the host admits one person, then everyone, or refuses someone', async () => {
    const room = await liveRoomFixture(t, { live: true });
    const host = await room.host();
    expect(codeOf(await host.ask({ type: 'room-settings', settings: { waitingRoom: true } }))).toBe('ack');
    const [bea, cem, dan] = [await room.attendee('Bea'), await room.attendee('Cem'), await room.attendee('Dan')];
    for (const p of [bea, cem, dan]) expect(p.joined.room.admission).toBe('waiting');
    await host.client.waitFor((m) => m.type === 'lobby' && m.waiting.length === 3);
    expect(codeOf(await host.ask({ type: 'lobby-admit', participantIds: [bea.participantId] }))).toBe('ack');
    await bea.client.waitFor((m) => m.type === 'admitted');
    expect(codeOf(await host.ask({ type: 'lobby-deny', participantId: dan.participantId }))).toBe('ack');
    expect(await dan.client.waitFor((m) => m.type === 'removed')).toMatchObject({ reason: 'denied' });
    expect((await dan.client.closed).code).toBe(SIGNAL_CLOSE_CODES.removed);
    expect(codeOf(await host.ask({ type: 'lobby-admit', all: true }))).toBe('ack');
    await cem.client.waitFor((m) => m.type === 'admitted');
    await settle(host, bea);
    // In a webinar attendees are not listed to each other: the host hears of both, Bea of nobody but gets the count.
    expect(host.client.ofType('participant-joined').map((m) => m.participant.displayName)).toEqual(['Bea', 'Cem']);
    expect(bea.client.ofType('participant-joined')).toEqual([]);
    expect((await bea.client.waitFor((m) => m.type === 'attendee-count' && m.count === 2)).type).toBe('attendee-count');
    const audit = await t.server.ctx.sql.query<{ action: string }>('select action from event_audit where event_id = $1 order by at, id', [room.eventId]);
    expect(audit.map((a) => a.action)).toEqual(['room.settings', 'lobby.admit', 'lobby.deny', 'lobby.admit-all']);
    await room.closeAll();
  });

  it('a locked room refuses new attendees but not presenters; the capacity counts attendees in the room', async () => {
    const room = await liveRoomFixture(t, { live: true, event: { capacity: 2 } });
    const host = await room.host();
    await room.attendee('One');
    await room.attendee('Two');
    const third = await room.register('Three');
    await expect(room.enter(third.token)).rejects.toMatchObject({ reply: { code: 'ROOM_FULL' } });
    expect(codeOf(await host.ask({ type: 'room-settings', settings: { locked: true } }))).toBe('ack');
    await expect(room.enter(third.token)).rejects.toMatchObject({ reply: { code: 'ROOM_LOCKED' } });
    const presenter = await room.attendee('Pia', 'presenter');
    expect(presenter.joined.room.admission).toBe('admitted');
    await room.closeAll();
  });

  it('a password-protected event asks attendees for the event password; hosts and presenters pass', async () => {
    const room = await liveRoomFixture(t, { live: true });
    await t.server.ctx.sql.query("update events set access_mode = 'password', password_hash = $2 where id = $1", [room.eventId, await hashPassword('open sesame 42')]);
    const ada = await room.register('Ada');
    await expect(room.enter(ada.token)).rejects.toMatchObject({ reply: { code: 'EVENT_PASSWORD_REQUIRED' } });
    await expect(room.enter(ada.token, 'wrong password')).rejects.toMatchObject({ reply: { code: 'EVENT_PASSWORD_WRONG' } });
    expect((await room.enter(ada.token, 'open sesame 42')).joined.room.admission).toBe('admitted');
    expect((await room.attendee('Pia', 'presenter')).joined.role).toBe('presenter');
    expect((await room.host()).joined.role).toBe('host');
    await room.closeAll();
  });

  it('an invitation-only event refuses an attendee whose invitation was withdrawn', async () => {
    const room = await liveRoomFixture(t, { live: true, event: { accessMode: 'invitation' } });
    const kept = await room.register('Kept', 'attendee', 'kept@example.test');
    const gone = await room.register('Gone', 'attendee', 'gone@example.test');
    await t.server.ctx.sql.query("insert into event_invitees (event_id, email, email_lower) values ($1, 'kept@example.test', 'kept@example.test')", [room.eventId]);
    expect((await room.enter(kept.token)).joined.room.admission).toBe('admitted');
    await expect(room.enter(gone.token)).rejects.toMatchObject({ reply: { code: 'NOT_INVITED' } });
    await room.closeAll();
  });

  it('ending the event closes every connection, the lobby included, with 4004; ending through the REST API does the same', async () => {
    const room = await liveRoomFixture(t, { live: true });
    const host = await room.host();
    const ada = await room.attendee('Ada');
    expect(codeOf(await host.ask({ type: 'room-settings', settings: { waitingRoom: true } }))).toBe('ack');
    const waiting = await room.attendee('Wes');
    expect(codeOf(await host.ask({ type: 'room-end' }))).toBe('ack');
    for (const p of [host, ada, waiting]) {
      expect(await p.client.waitFor((m) => m.type === 'room-status')).toMatchObject({ status: 'ended' });
      expect((await p.client.closed).code).toBe(SIGNAL_CLOSE_CODES.ended);
    }
    await expect(room.host()).rejects.toMatchObject({ reply: { code: 'EVENT_ENDED' } });
    const open = await t.server.ctx.sql.query('select 1 from room_attendance where event_id = $1 and left_at is null', [room.eventId]);
    expect(open).toEqual([]);

    const other = await liveRoomFixture(t, { live: true, org: room.org });
    const bo = await other.attendee('Bo');
    await other.setStatus('ended');
    expect(await bo.client.waitFor((m) => m.type === 'room-status')).toMatchObject({ status: 'ended' });
    expect((await bo.client.closed).code).toBe(SIGNAL_CLOSE_CODES.ended);
  });

  it('an event started through the REST API has its start time in the room; ending it closes live polls', async () => {
    const room = await liveRoomFixture(t, { live: true });
    const host = await room.host();
    expect(host.joined.room.state?.startedAt).toEqual(expect.any(String));
    const poll = await host.ask({ type: 'poll-create', poll: { question: 'Still open?', options: ['Yes', 'No'], multiple: false }, launch: true });
    if (poll.type !== 'poll-created') throw new Error('no poll');
    await room.setStatus('ended');
    await host.client.closed;
    const list = await room.org.member.get(`/api/v1/orgs/${room.org.orgId}/events/${room.eventId}/polls`);
    expect(list.body.items[0]).toMatchObject({ id: poll.poll.id, status: 'closed', closedAt: expect.any(String) });
    const report = await room.org.member.get(`/api/v1/orgs/${room.org.orgId}/events/${room.eventId}/report`);
    expect(report.body).toMatchObject({ startedAt: expect.any(String), endedAt: expect.any(String) });
  });

  it('a room reopened after everyone left (or after a restart) has its chat, questions, polls, settings and stage back', async () => {
    const room = await liveRoomFixture(t, { live: true });
    const host = await room.host();
    await host.ask({ type: 'chat-send', text: 'Welcome, everyone', to: 'everyone' });
    await host.ask({ type: 'question-ask', text: 'Will slides be shared?' });
    await host.ask({ type: 'poll-create', poll: { question: 'Tea or coffee?', options: ['Tea', 'Coffee'], multiple: false }, launch: true });
    await host.ask({ type: 'room-settings', settings: { layout: 'gallery', qaEnabled: false } });
    await room.closeAll();
    await new Promise((r) => setTimeout(r, 50));
    const again = await room.host();
    expect(again.joined.room.state).toMatchObject({
      settings: { layout: 'gallery', qaEnabled: false },
      chat: [{ text: 'Welcome, everyone' }],
      questions: [{ text: 'Will slides be shared?', mine: true }],
      polls: [{ question: 'Tea or coffee?', status: 'live', results: { counts: [0, 0], voters: 0 } }],
    });
    await room.closeAll();
  });
});
