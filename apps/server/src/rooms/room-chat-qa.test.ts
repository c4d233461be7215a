import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, Question } from '@podium/protocol';
import { STORE_KINDS } from '../testing/sql';
import { startTestServer, type TestServer } from '../testing/server';
import { codeOf, liveRoomFixture, settle, type InRoom } from './testing';

const texts = (p: InRoom) => p.client.ofType('chat').map((m) => m.message.text);

describe.each(STORE_KINDS)('chat and Q&A in the room (%s)', (store) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ store, config: { signalHeartbeatMs: 1_000 } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('public messages reach everyone; a private message reaches the hosts and its sender only, and a host\'s reply only its addressee', async () => {
    const room = await liveRoomFixture(t, { live: true });
    const host = await room.host();
    const presenter = await room.attendee('Pia', 'presenter');
    const ada = await room.attendee('Ada');
    const bob = await room.attendee('Bob');
    const hi = await ada.ask({ type: 'chat-send', text: '  Hello all, see https://example.org  ', to: 'everyone' });
    expect(hi).toMatchObject({ type: 'chat-sent', message: { text: 'Hello all, see https://example.org', to: 'everyone', from: { displayName: 'Ada', role: 'attendee' } } });
    await ada.ask({ type: 'chat-send', text: 'Ada to the hosts', to: 'hosts' });
    await host.ask({ type: 'chat-send', text: 'Host to Ada', to: ada.participantId });
    await settle(host, presenter, ada, bob);
    expect(texts(host)).toEqual(['Hello all, see https://example.org', 'Ada to the hosts', 'Host to Ada']);
    expect(texts(ada)).toEqual(['Hello all, see https://example.org', 'Ada to the hosts', 'Host to Ada']);
    expect(texts(bob)).toEqual(['Hello all, see https://example.org']);
    expect(texts(presenter)).toEqual(['Hello all, see https://example.org']);
    // An attendee cannot write privately to someone; a late joiner gets the history they may read.
    expect(codeOf(await bob.ask({ type: 'chat-send', text: 'psst', to: ada.participantId }))).toBe('FORBIDDEN');
    const late = await room.attendee('Late');
    expect(late.joined.room.state?.chat.map((m: ChatMessage) => m.text)).toEqual(['Hello all, see https://example.org']);
    const hostAgain = await room.host();
    expect(hostAgain.joined.room.state?.chat.map((m: ChatMessage) => m.text)).toEqual(['Hello all, see https://example.org', 'Ada to the hosts', 'Host to Ada']);
    await room.closeAll();
  });

  it('hosts delete messages for everyone, mute a person (kept across reconnects) and turn the chat off; attendees are rate-limited', async () => {
    const room = await liveRoomFixture(t, { live: true });
    const host = await room.host();
    const { token } = await room.register('Cleo');
    const cleo = await room.enter(token);
    const sent = await cleo.ask({ type: 'chat-send', text: 'spam', to: 'everyone' });
    if (sent.type !== 'chat-sent') throw new Error('not sent');
    expect(codeOf(await cleo.ask({ type: 'chat-delete', messageId: sent.message.id }))).toBe('FORBIDDEN');
    expect(codeOf(await host.ask({ type: 'chat-delete', messageId: sent.message.id }))).toBe('ack');
    expect(await cleo.client.waitFor((m) => m.type === 'chat-deleted')).toMatchObject({ messageId: sent.message.id });
    expect(codeOf(await host.ask({ type: 'chat-mute', participantId: cleo.participantId, muted: true }))).toBe('ack');
    expect(codeOf(await cleo.ask({ type: 'chat-send', text: 'more spam', to: 'everyone' }))).toBe('CHAT_MUTED');
    await cleo.client.close();
    const back = await room.enter(token);
    expect(back.joined.room.self.chatMuted).toBe(true);
    expect(codeOf(await back.ask({ type: 'chat-send', text: 'still me', to: 'everyone' }))).toBe('CHAT_MUTED');
    expect(back.joined.room.state?.chat).toEqual([]);
    await host.ask({ type: 'chat-mute', participantId: back.participantId, muted: false });
    await host.ask({ type: 'room-settings', settings: { chatEnabled: false } });
    expect(codeOf(await back.ask({ type: 'chat-send', text: 'hello', to: 'everyone' }))).toBe('CHAT_DISABLED');
    expect(codeOf(await host.ask({ type: 'chat-send', text: 'Hosts still speak', to: 'everyone' }))).toBe('chat-sent');
    await host.ask({ type: 'room-settings', settings: { chatEnabled: true } });
    const replies = [];
    for (let i = 0; i < 7; i++) replies.push(codeOf(await back.ask({ type: 'chat-send', text: `message ${i}`, to: 'everyone' })));
    expect(replies).toEqual(['chat-sent', 'chat-sent', 'chat-sent', 'chat-sent', 'chat-sent', 'SIGNAL_RATE_LIMITED', 'SIGNAL_RATE_LIMITED']);
    const stored = await t.server.ctx.sql.query<{ n: number }>('select count(*)::int as n from room_chat_messages where event_id = $1 and deleted_at is null', [room.eventId]);
    expect(stored[0].n).toBe(6);
    await room.closeAll();
  });

  it('questions: anonymous to other attendees but not to hosts, one upvote per person, answered, dismissed for staff and author only', async () => {
    const room = await liveRoomFixture(t, { live: true });
    const host = await room.host();
    const ada = await room.attendee('Ada');
    const bob = await room.attendee('Bob');
    const asked = await ada.ask({ type: 'question-ask', text: 'Is this recorded?', anonymous: true });
    if (asked.type !== 'question-asked') throw new Error('not asked');
    const id = asked.question.id;
    expect(asked.question).toMatchObject({ anonymous: true, author: { displayName: 'Ada' }, mine: true, votes: 0, status: 'open' });
    await settle(host, bob);
    expect(bob.client.ofType('question')[0].question).toMatchObject({ id, author: null, text: 'Is this recorded?' });
    expect(host.client.ofType('question')[0].question).toMatchObject({ id, author: { displayName: 'Ada' } });
    expect(codeOf(await bob.ask({ type: 'question-vote', questionId: id, up: true }))).toBe('ack');
    expect(codeOf(await bob.ask({ type: 'question-vote', questionId: id, up: true }))).toBe('ack');
    await settle(ada);
    expect(ada.client.ofType('question').at(-1)?.question.votes).toBe(1);
    expect(codeOf(await bob.ask({ type: 'question-answer', questionId: id, text: 'Yes' }))).toBe('FORBIDDEN');
    expect(codeOf(await host.ask({ type: 'question-answer', questionId: id, text: 'Yes, and it will be shared.' }))).toBe('ack');
    const answered = await bob.client.waitFor((m) => m.type === 'question' && m.question.status === 'answered');
    expect(answered.type === 'question' && answered.question).toMatchObject({ answer: { text: 'Yes, and it will be shared.', by: 'Hanna Host' }, author: null, votes: 1 });
    // A late attendee sees the question without its author, with their own flags.
    const late = await room.attendee('Late');
    expect(late.joined.room.state?.questions).toEqual([expect.objectContaining({ id, author: null, mine: false, voted: false, votes: 1 })]);
    const bobAgain = await room.enter((await room.register('Bob 2')).token);
    expect(bobAgain.joined.room.state?.questions[0].voted).toBe(false);

    const other = await bob.ask({ type: 'question-ask', text: 'Off-topic rant' });
    if (other.type !== 'question-asked') throw new Error('not asked');
    expect(codeOf(await host.ask({ type: 'question-status', questionId: other.question.id, status: 'dismissed' }))).toBe('ack');
    const dropped = await ada.client.waitFor((m) => m.type === 'question' && m.question.id === other.question.id && m.question.status === 'dismissed');
    expect(dropped.type === 'question' && dropped.question).toMatchObject({ text: '', author: null });
    const adaAgain = await room.enter((await room.register('Ada 2')).token);
    expect(adaAgain.joined.room.state?.questions.map((q: Question) => q.id)).toEqual([id]);
    const bobView = await bob.client.waitFor((m) => m.type === 'question' && m.question.id === other.question.id && m.question.status === 'dismissed');
    expect(bobView.type === 'question' && bobView.question.text).toBe('Off-topic rant');
    await host.ask({ type: 'room-settings', settings: { qaEnabled: false } });
    expect(codeOf(await ada.ask({ type: 'question-ask', text: 'One more?' }))).toBe('QA_DISABLED');
    await room.closeAll();
  });

  it('reactions are counted into a few events a second for everyone, and turned off by the host', async () => {
    const room = await liveRoomFixture(t, { live: true });
    const host = await room.host();
    const people = [await room.attendee('A'), await room.attendee('B'), await room.attendee('C')];
    for (const p of people) {
      expect(codeOf(await p.ask({ type: 'react', emoji: '👏' }))).toBe('ack');
      expect(codeOf(await p.ask({ type: 'react', emoji: '🎉' }))).toBe('ack');
    }
    const sum = () => host.client.ofType('reactions').flatMap((m) => m.counts).reduce((acc, c) => ({ ...acc, [c.emoji]: (acc[c.emoji] ?? 0) + c.count }), {} as Record<string, number>);
    await host.client.waitFor(() => (sum()['👏'] ?? 0) === 3 && (sum()['🎉'] ?? 0) === 3);
    expect(host.client.ofType('reactions').length).toBeLessThanOrEqual(3);
    await host.ask({ type: 'room-settings', settings: { reactionsEnabled: false } });
    expect(codeOf(await people[0].ask({ type: 'react', emoji: '👍' }))).toBe('REACTIONS_DISABLED');
    await room.closeAll();
  });
});
