import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REACTIONS, ROOM_CLIENT_MESSAGE_TYPES, newId, parseServerMessage, type RoomClientMessageType, type ServerMessage,
} from '@podium/protocol';
import { startTestServer, type TestServer } from '../testing/server';
import { codeOf, liveRoomFixture, settle, type InRoom } from './testing';
import { seededRandom as rng } from '../testing/seeded-random';


const SEED = Number(process.env.ROOM_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const MESSAGES = 1_500;

// Thousands of well-formed room messages with random targets and values, from every role, in any
// order: the room answers each with a reply or a registry error (never INTERNAL), every message it
// sends is valid, and afterwards it still works and a newcomer gets a consistent snapshot.
describe(`room messages in random order from every role (seed ${SEED})`, () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ config: { signalHeartbeatMs: 1_000, signalMessagesPerSecond: 100_000 } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('never fails inside, never sends an invalid message, and keeps working', async () => {
    const random = rng(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const room = await liveRoomFixture(t, { live: true, event: { type: 'training' } });
    const people: InRoom[] = [await room.host(), await room.attendee('Pia', 'presenter'), await room.attendee('Ada'), await room.attendee('Bob')];
    const ids = { participant: people.map((p) => p.participantId), chat: [] as string[], question: [] as string[], poll: [] as string[] };
    const anyId = (kind: 'participant' | 'chat' | 'question' | 'poll') => {
      const known = ids[kind];
      if (known.length && random() < 0.8) return pick(known);
      return newId(kind === 'chat' ? 'chatMessage' : kind);
    };
    const text = () => pick(['hi', '  padded  ', 'x'.repeat(1 + Math.floor(random() * 1999)), '\u0000\u0007', 'a\nb', '<b>html</b>', 'https://example.org']);
    const message = (type: RoomClientMessageType): Record<string, unknown> => {
      switch (type) {
        case 'lobby-admit': return random() < 0.5 ? { all: true } : { participantIds: [anyId('participant')] };
        case 'lobby-deny': case 'hand-lower': return { participantId: anyId('participant') };
        case 'room-start': case 'room-end': case 'recording-start': case 'recording-stop': return {};
        case 'room-settings': return { settings: { [pick(['chatEnabled', 'qaEnabled', 'reactionsEnabled', 'waitingRoom', 'notesEditableByAttendees', 'privateChatEnabled'])]: random() < 0.5 } };
        case 'stage-set': return { content: pick(['none', 'slides', 'whiteboard']), ...(random() < 0.5 ? { fileId: newId('file') } : {}), ...(random() < 0.5 ? { page: 1 + Math.floor(random() * 20) } : {}) };
        case 'pointer': return { x: random(), y: random(), visible: random() < 0.5 };
        case 'hand-raise': return { raised: random() < 0.5 };
        case 'stage-grant': return { participantId: anyId('participant'), grant: pick(['none', 'speaker', 'camera']) };
        case 'quality-report': return { quality: pick(['good', 'fair', 'poor', 'unknown']) };
        case 'chat-send': return { text: text(), to: pick(['everyone', 'hosts', anyId('participant')]) };
        case 'chat-delete': return { messageId: anyId('chat') };
        case 'chat-mute': return { participantId: anyId('participant'), muted: random() < 0.5 };
        case 'question-ask': return { text: text(), anonymous: random() < 0.5 };
        case 'question-vote': return { questionId: anyId('question'), up: random() < 0.7 };
        case 'question-answer': return { questionId: anyId('question'), text: text() };
        case 'question-status': return { questionId: anyId('question'), status: pick(['open', 'answered', 'answered-live', 'dismissed']) };
        case 'poll-create': return { poll: { question: 'Q?', options: pick([['a', 'b'], ['a', 'b', 'c'], ['same', 'Same']]), multiple: random() < 0.5 }, launch: random() < 0.5 };
        case 'poll-launch': case 'poll-close': case 'poll-delete': return { pollId: anyId('poll') };
        case 'poll-share': return { pollId: anyId('poll'), shared: random() < 0.5 };
        case 'poll-vote': return { pollId: anyId('poll'), choice: pick([[0], [1], [0, 1], [2]]) };
        case 'react': return { emoji: pick(REACTIONS) };
        case 'doc-sync': return { doc: pick(['board', 'notes']), stateVector: pick(['AA==', '', 'AQID', Buffer.from([1, 200, 3, 7]).toString('base64')]) };
        case 'doc-update': return { doc: pick(['board', 'notes']), update: pick(['AAA=', 'AQID', Buffer.from(Array.from({ length: 30 }, () => Math.floor(random() * 256))).toString('base64')]) };
        case 'file-link': return { fileId: newId('file') };
        case 'moderate': return { participantId: anyId('participant'), action: pick(['mute-audio', 'stop-video', 'stop-screen']) };
      }
    };
    const codes = new Map<string, number>();
    // room-end and removals would end the run early: the lifecycle and removal paths have their own tests.
    const types = ROOM_CLIENT_MESSAGE_TYPES.filter((x) => x !== 'room-end');
    for (let i = 0; i < MESSAGES; i++) {
      const who = pick(people);
      const type = pick(types);
      const reply = await who.ask({ type, ...message(type) });
      const code = codeOf(reply);
      codes.set(code, (codes.get(code) ?? 0) + 1);
      expect(code, JSON.stringify(reply)).not.toBe('INTERNAL');
      if (reply.type === 'chat-sent') ids.chat.push(reply.message.id);
      if (reply.type === 'question-asked') ids.question.push(reply.question.id);
      if (reply.type === 'poll-created') ids.poll.push(reply.poll.id);
    }
    await settle(...people);
    for (const p of people) {
      const invalid = p.client.received.filter((m: ServerMessage) => !parseServerMessage(JSON.stringify(m)).ok);
      expect(invalid).toEqual([]);
    }
    // The room still works, and a newcomer's snapshot is a valid message.
    await people[0].ask({ type: 'room-settings', settings: { chatEnabled: true, waitingRoom: false } });
    // (Someone new speaks: the fuzzing people have used up their chat rate.)
    // (The fuzz may have started a recording or turned auto-record on: newcomers agree to it.)
    const fresh = await room.attendee('Fred', 'presenter', { agreeToRecording: true });
    expect(codeOf(await fresh.ask({ type: 'chat-send', text: 'still here', to: 'everyone' }))).toBe('chat-sent');
    const late = await room.attendee('Late', 'attendee', { agreeToRecording: true });
    expect(parseServerMessage(JSON.stringify(late.joined)).ok).toBe(true);
    expect(late.joined.room.state?.chat.at(-1)?.text).toBe('still here');
    // The run exercised both outcomes.
    expect([...codes.keys()]).toEqual(expect.arrayContaining(['ack', 'FORBIDDEN', 'VALIDATION_FAILED', 'chat-sent', 'question-asked', 'poll-created', 'doc-state']));
    await room.closeAll();
  }, 120_000);
});
