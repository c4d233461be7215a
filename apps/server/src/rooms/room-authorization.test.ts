import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOM_CLIENT_MESSAGE_TYPES, ROOM_MESSAGE_RULES, type RoomClientMessageType } from '@podium/protocol';
import { startTestServer, type TestServer } from '../testing/server';
import { snapshotDatabase } from '../testing/db-snapshot';
import { codeOf, liveRoomFixture, settle, type InRoom, type LiveRoomFixture } from './testing';

// Protocol-level authorization (issue: an attendee cannot launch polls, change slides, moderate,
// publish in a webinar before promotion, or read private messages meant for hosts): every room
// message a role may not send is refused with FORBIDDEN, and nothing changes — not one row, not
// one event to anyone.
describe('who may do what in the room, at the protocol level', () => {
  let t: TestServer;
  let room: LiveRoomFixture;
  let host: InRoom;
  let presenter: InRoom;
  let ada: InRoom;
  let bob: InRoom;
  let samples: Record<RoomClientMessageType, Record<string, unknown>>;

  beforeAll(async () => {
    t = await startTestServer({ config: { signalHeartbeatMs: 1_000, signalMessagesPerSecond: 1_000 } });
    room = await liveRoomFixture(t, { live: true });
    host = await room.host();
    presenter = await room.attendee('Pia', 'presenter');
    ada = await room.attendee('Ada');
    bob = await room.attendee('Bob');
    const poll = await host.ask({ type: 'poll-create', poll: { question: 'Ready?', options: ['Yes', 'No'], multiple: false } });
    const question = await bob.ask({ type: 'question-ask', text: 'A question' });
    const chat = await bob.ask({ type: 'chat-send', text: 'hello', to: 'everyone' });
    if (poll.type !== 'poll-created' || question.type !== 'question-asked' || chat.type !== 'chat-sent') throw new Error('setup failed');
    const fileId = 'fil_00000000000000000001';
    const target = bob.participantId;
    samples = {
      'lobby-admit': { all: true },
      'lobby-deny': { participantId: target },
      'room-start': {},
      'room-end': {},
      'room-settings': { settings: { locked: true } },
      'recording-start': {},
      'recording-stop': {},
      'stage-set': { content: 'whiteboard', fileId, page: 2 },
      pointer: { x: 0.5, y: 0.5, visible: true },
      'hand-raise': { raised: true },
      'hand-lower': { participantId: target },
      'stage-grant': { participantId: target, grant: 'speaker' },
      'quality-report': { quality: 'good' },
      'chat-send': { text: 'hi', to: 'everyone' },
      'chat-delete': { messageId: chat.message.id },
      'chat-mute': { participantId: target, muted: true },
      'question-ask': { text: 'Q' },
      'question-vote': { questionId: question.question.id, up: true },
      'question-answer': { questionId: question.question.id, text: 'A' },
      'question-status': { questionId: question.question.id, status: 'dismissed' },
      'poll-create': { poll: { question: 'Q', options: ['a', 'b'], multiple: false } },
      'poll-launch': { pollId: poll.poll.id },
      'poll-close': { pollId: poll.poll.id },
      'poll-share': { pollId: poll.poll.id, shared: true },
      'poll-delete': { pollId: poll.poll.id },
      'poll-vote': { pollId: poll.poll.id, choice: [0] },
      react: { emoji: '👍' },
      'doc-sync': { doc: 'board', stateVector: 'AA==' },
      'doc-update': { doc: 'board', update: 'AAA=' },
      'file-link': { fileId },
      moderate: { participantId: target, action: 'remove' },
    };
    await settle(host, presenter, ada, bob);
  });
  afterAll(async () => {
    await room.closeAll();
    await t.close();
  });

  async function refusedWithoutEffect(sender: InRoom, types: RoomClientMessageType[]): Promise<void> {
    const before = await snapshotDatabase(t.server.ctx.sql);
    const seen = [host, presenter, ada, bob].map((p) => p.client.received.length);
    for (const type of types) {
      expect(codeOf(await sender.ask({ type, ...samples[type] })), type).toBe('FORBIDDEN');
    }
    await settle(host, presenter, ada, bob);
    // Replies to the sender are the only new messages anyone got.
    const after = [host, presenter, ada, bob].map((p) => p.client.received.length);
    expect(after.map((n, i) => n - seen[i])).toEqual([host, presenter, ada, bob].map((p) => (p === sender ? types.length + 1 : 1)));
    expect(await snapshotDatabase(t.server.ctx.sql)).toEqual(before);
  }

  it('an attendee may not run the event, the stage, polls, answers or moderation', async () => {
    const forbidden = ROOM_CLIENT_MESSAGE_TYPES.filter((type) => ROOM_MESSAGE_RULES[type] !== 'everyone');
    expect(forbidden).toEqual(expect.arrayContaining(['poll-launch', 'poll-create', 'stage-set', 'moderate', 'room-end', 'question-answer', 'chat-delete', 'stage-grant']));
    await refusedWithoutEffect(ada, forbidden);
  });

  it('a presenter may run the stage and polls but not moderate or run the lobby and lifecycle', async () => {
    const forbidden = ROOM_CLIENT_MESSAGE_TYPES.filter((type) => ROOM_MESSAGE_RULES[type] === 'hosts');
    expect(forbidden).toEqual(expect.arrayContaining(['moderate', 'room-end', 'lobby-admit', 'chat-mute', 'stage-grant']));
    await refusedWithoutEffect(presenter, forbidden);
  });

  it('an attendee never receives the private messages, the lobby, poll drafts or a dismissed question\'s text meant for staff', async () => {
    const cleo = await room.attendee('Cleo');
    await cleo.ask({ type: 'chat-send', text: 'Cleo privately to the hosts', to: 'hosts' });
    await host.ask({ type: 'chat-send', text: 'Host privately to Cleo', to: cleo.participantId });
    await host.ask({ type: 'poll-create', poll: { question: 'Secret draft', options: ['a', 'b'], multiple: false } });
    const q = await cleo.ask({ type: 'question-ask', text: 'Embarrassing question' });
    if (q.type !== 'question-asked') throw new Error('not asked');
    await host.ask({ type: 'question-status', questionId: q.question.id, status: 'dismissed' });
    await host.ask({ type: 'room-settings', settings: { waitingRoom: true } });
    await room.attendee('Wanda');
    await settle(host, ada, cleo);
    const adaText = JSON.stringify(ada.client.received);
    for (const secret of ['Cleo privately to the hosts', 'Host privately to Cleo', 'Secret draft', 'Wanda']) {
      expect(adaText, secret).not.toContain(secret);
    }
    // The question was public while open; once dismissed, attendees get it without its text, and newcomers not at all.
    const dismissed = ada.client.ofType('question').filter((m) => m.question.id === q.question.id).at(-1);
    expect(dismissed?.question).toMatchObject({ status: 'dismissed', text: '', author: null });
    await host.ask({ type: 'room-settings', settings: { waitingRoom: false } });
    const late = await room.attendee('Late');
    expect(JSON.stringify(late.joined)).not.toContain('Embarrassing question');
    const hostText = JSON.stringify(host.client.received);
    for (const seen of ['Cleo privately to the hosts', 'Host privately to Cleo', 'Secret draft', 'Embarrassing question', 'Wanda']) expect(hostText, seen).toContain(seen);
    expect(JSON.stringify(cleo.client.received)).toContain('Host privately to Cleo');
  });

  it('hosts cannot be moderated, not even by another host', async () => {
    expect(codeOf(await host.ask({ type: 'moderate', participantId: host.participantId, action: 'ban' }))).toBe('FORBIDDEN');
    const second = await room.host();
    expect(codeOf(await second.ask({ type: 'moderate', participantId: host.participantId, action: 'remove' }))).toBe('FORBIDDEN');
  });
});
