import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../errors';
import { newId } from '../ids';
import { PROTOCOL_VERSION } from '../index';
import { commonCapabilities, hasCapability, MIN_SIGNAL_PROTOCOL_VERSION } from './common';
import { CLIENT_MESSAGE_TYPES, MEDIA_CLIENT_MESSAGE_TYPES, SERVER_MESSAGE_TYPES, isMediaClientMessage, type ClientMessageType, type ServerMessageType } from './messages';
import { parseClientMessage, parseServerMessage } from './parse';
import { DEFAULT_ROOM_SETTINGS, emptyRoomState } from './room-state';
import { ROOM_CLIENT_MESSAGE_TYPES, ROOM_MESSAGE_RULES } from './room-messages';

const prd = 'prd_0123456789abcdef0123';
const csm = 'csm_0123456789abcdef0123';
const trp = 'trp_0123456789abcdef0123';
const prt = newId('participant');
const fil = newId('file');
const msg = newId('chatMessage');
const qst = newId('question');
const pol = newId('poll');
const at = '2026-03-01T10:00:00.000Z';

/** One valid example of every client message. */
const CLIENT_SAMPLES: Record<ClientMessageType, Record<string, unknown>> = {
  hello: { protocolVersion: PROTOCOL_VERSION, capabilities: ['presence', 'media', 'future-thing'] },
  join: { token: 'abc.def' },
  leave: {},
  ping: {},
  publish: { kind: 'video', encodings: [{ rid: 'l', scaleResolutionDownBy: 4, maxBitrate: 150_000 }, { rid: 'm', scaleResolutionDownBy: 2 }, { rid: 'h' }] },
  unpublish: { producerId: prd },
  subscribe: { producerId: prd },
  unsubscribe: { producerId: prd },
  'set-layer-preference': { consumerId: csm, maxWidth: 640, maxHeight: 360 },
  'sdp-offer': { transportId: trp, sdp: 'v=0\r\n' },
  'sdp-answer': { transportId: trp, sdp: 'v=0\r\n' },
  'ice-candidate': { transportId: trp, candidate: { candidate: 'candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 } },
  'ice-restart': { transportId: trp },
  pause: { target: 'producer', id: prd },
  resume: { target: 'consumer', id: csm },
  'lobby-admit': { participantIds: [prt] },
  'recording-start': {},
  'recording-stop': {},
  'lobby-deny': { participantId: prt },
  'room-start': {},
  'room-end': {},
  'room-settings': { settings: { chatEnabled: false, layout: 'gallery' } },
  'stage-set': { content: 'slides', fileId: fil, page: 3 },
  pointer: { x: 0.5, y: 0.25, visible: true },
  'hand-raise': { raised: true },
  'hand-lower': { participantId: prt },
  'stage-grant': { participantId: prt, grant: 'speaker' },
  'quality-report': { quality: 'fair' },
  'chat-send': { text: 'Hello https://example.org', to: 'hosts' },
  'chat-delete': { messageId: msg },
  'chat-mute': { participantId: prt, muted: true },
  'question-ask': { text: 'Why?', anonymous: true },
  'question-vote': { questionId: qst, up: true },
  'question-answer': { questionId: qst, text: 'Because.' },
  'question-status': { questionId: qst, status: 'answered-live' },
  'poll-create': { poll: { question: 'Tea or coffee?', options: ['Tea', 'Coffee'], multiple: false }, launch: true },
  'poll-launch': { pollId: pol },
  'poll-close': { pollId: pol },
  'poll-share': { pollId: pol, shared: true },
  'poll-delete': { pollId: pol },
  'poll-vote': { pollId: pol, choice: [1] },
  react: { emoji: '👏' },
  'doc-sync': { doc: 'board', stateVector: 'AA==' },
  'doc-update': { doc: 'notes', update: 'AQIDBA==' },
  'file-link': { fileId: fil },
  moderate: { participantId: prt, action: 'mute-audio' },
};

const participant = { id: prt, displayName: 'Ada', role: 'attendee', joinedAt: '2026-03-01T10:00:00.000Z' };
const joinedRoom = {
  event: { id: newId('event'), title: 'T', type: 'webinar', status: 'live', startsAt: '2026-03-01T10:00:00.000Z', durationMinutes: 60, orgName: 'O' },
  self: participant, participants: [participant], seq: 3,
};
const chatMessage = { id: msg, from: { participantId: prt, displayName: 'Ada', role: 'attendee' }, to: 'everyone', text: 'Hi', sentAt: at };
const question = { id: qst, text: 'Why?', anonymous: true, author: null, askedAt: at, votes: 2, status: 'open' };
const poll = { id: pol, question: 'Q', options: ['a', 'b'], multiple: false, status: 'live', resultsShared: false, createdAt: at, results: { counts: [1, 2], voters: 3 } };
/** One valid example of every server message. */
const SERVER_SAMPLES: Record<ServerMessageType, Record<string, unknown>> = {
  welcome: { requestId: 'r', protocolVersion: 1, participantId: prt, capabilities: ['presence'], heartbeatMs: 10_000, limits: { maxFrameBytes: 65_536, messagesPerSecond: 20, burst: 40 } },
  joined: {
    requestId: 'r', role: 'attendee',
    room: joinedRoom,
  },
  left: { requestId: 'r' },
  pong: { requestId: 'r', serverTime: '2026-03-01T10:00:00.000Z' },
  'participant-joined': { participant, seq: 4 },
  'participant-left': { participantId: prt, reason: 'timeout', seq: 5 },
  error: { requestId: 'r', code: 'NOT_JOINED', message: 'Join the room first.' },
  published: { requestId: 'r', producerId: prd, transportId: trp },
  subscribed: { requestId: 'r', producerId: prd, consumerId: csm, transportId: trp },
  ack: { requestId: 'r' },
  'sdp-offer': { transportId: trp, sdp: 'v=0\r\n' },
  'sdp-answer': { requestId: 'r', transportId: trp, sdp: 'v=0\r\n' },
  'ice-candidate': { transportId: trp, candidate: null },
  'ice-restarted': { requestId: 'r', transportId: trp, iceParameters: { usernameFragment: 'u', password: 'p' } },
  'producer-added': { producerId: prd, participantId: prt, kind: 'screen', simulcast: false, paused: false },
  'producer-removed': { producerId: prd, participantId: prt },
  'producer-paused': { producerId: prd, paused: true },
  'chat-sent': { requestId: 'r', message: chatMessage },
  'question-asked': { requestId: 'r', question },
  'poll-created': { requestId: 'r', poll },
  'doc-state': { requestId: 'r', doc: 'board', update: 'AAA=', stateVector: 'AA==' },
  'file-link': { requestId: 'r', fileId: fil, url: '/api/v1/files/x', expiresAt: at },
  'participant-updated': { participant: { ...participant, grant: 'speaker', quality: 'good', chatMuted: false } },
  'room-status': { status: 'live', startedAt: at },
  recording: { active: true, startedAt: at },
  settings: { settings: DEFAULT_ROOM_SETTINGS },
  hands: { hands: [{ participantId: prt, raisedAt: at }] },
  lobby: { waiting: [{ participantId: prt, displayName: 'Ada', role: 'attendee', since: at }] },
  admitted: { room: { ...joinedRoom, admission: 'admitted', state: emptyRoomState('live') } },
  removed: { reason: 'banned' },
  moderated: { action: 'stop-video', by: 'Host' },
  chat: { message: chatMessage },
  'chat-deleted': { messageId: msg },
  question: { question },
  poll: { poll },
  'poll-removed': { pollId: pol },
  reactions: { counts: [{ emoji: '🎉', count: 3 }] },
  stage: { stage: { content: 'slides', slides: { fileId: fil, name: 'deck.pdf', page: 2, pageCount: 10 }, whiteboardPage: 1 } },
  pointer: { participantId: prt, x: 0, y: 1, visible: false },
  'doc-update': { doc: 'board', update: 'AQ==' },
  files: { files: [{ id: fil, name: 'deck.pdf', contentType: 'application/pdf', size: 1000, purpose: 'slides', pageCount: 10, uploadedAt: at }] },
  'active-speaker': { participantId: null },
  'attendee-count': { count: 1999 },
};

describe('signaling messages', () => {
  it('parseClientMessage() accepts a valid example of every client message, from text or bytes', () => {
    for (const type of CLIENT_MESSAGE_TYPES) {
      const frame = JSON.stringify({ type, requestId: `req-${type}`, ...CLIENT_SAMPLES[type] });
      const r = parseClientMessage(frame);
      expect(r, type).toMatchObject({ ok: true, message: { type, requestId: `req-${type}` } });
      expect(parseClientMessage(Buffer.from(frame)).ok, type).toBe(true);
    }
  });

  it('parseServerMessage() accepts a valid example of every server message', () => {
    for (const type of SERVER_MESSAGE_TYPES) {
      expect(parseServerMessage(JSON.stringify({ type, ...SERVER_SAMPLES[type] })), type).toMatchObject({ ok: true });
    }
  });

  it('every client message needs a requestId', () => {
    for (const type of CLIENT_MESSAGE_TYPES) {
      expect(parseClientMessage(JSON.stringify({ type, ...CLIENT_SAMPLES[type] })), type).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    }
  });

  it('unknown fields are ignored', () => {
    expect(parseClientMessage('{"type":"ping","requestId":"a","newField":{"x":[1]}}')).toMatchObject({ ok: true, message: { type: 'ping' } });
  });

  it('bad frames become typed errors: BAD_JSON, VALIDATION_FAILED with issues, SIGNAL_UNKNOWN_TYPE with the request id', () => {
    expect(parseClientMessage('{nope')).toEqual({ ok: false, error: { type: 'error', code: 'BAD_JSON', message: 'The message is not valid JSON.' } });
    expect(parseClientMessage('null')).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(parseClientMessage('[{"type":"ping"}]')).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(parseClientMessage('{"type":7,"requestId":"q"}')).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', requestId: 'q' } });
    expect(parseClientMessage('{"type":"welcome","requestId":"q"}')).toMatchObject({ ok: false, error: { code: 'SIGNAL_UNKNOWN_TYPE', requestId: 'q', details: { type: 'welcome' } } });
    expect(parseClientMessage('{"type":"__proto__","requestId":"q"}')).toMatchObject({ ok: false, error: { code: 'SIGNAL_UNKNOWN_TYPE' } });
    const bad = parseClientMessage('{"type":"publish","requestId":"q","kind":"video","encodings":[{"rid":"a"},{"rid":"b"},{"rid":"c"},{"rid":"d"}]}');
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', requestId: 'q', details: { issues: [expect.objectContaining({ path: '/encodings' })] } } });
    // A malformed request id is not echoed.
    expect(parseClientMessage('{"type":"nope","requestId":"has space"}')).toMatchObject({ ok: false, error: { code: 'SIGNAL_UNKNOWN_TYPE' } });
    expect((parseClientMessage('{"type":"nope","requestId":"has space"}') as { error: object }).error).not.toHaveProperty('requestId');
  });

  it('every error code a parse can produce is in the registry', () => {
    for (const code of ['BAD_JSON', 'VALIDATION_FAILED', 'SIGNAL_UNKNOWN_TYPE']) expect(code in ERRORS).toBe(true);
  });

  it('media messages are told apart from session messages', () => {
    const media = CLIENT_MESSAGE_TYPES.filter((type) => {
      const r = parseClientMessage(JSON.stringify({ type, requestId: 'x', ...CLIENT_SAMPLES[type] }));
      return r.ok && isMediaClientMessage(r.message);
    });
    expect(media).toEqual(MEDIA_CLIENT_MESSAGE_TYPES);
    expect(CLIENT_MESSAGE_TYPES.filter((t) => !media.includes(t as never) && !ROOM_CLIENT_MESSAGE_TYPES.includes(t as never))).toEqual(['hello', 'join', 'leave', 'ping']);
  });

  it('every room message has a rule saying who may send it', () => {
    expect(Object.keys(ROOM_MESSAGE_RULES).sort()).toEqual([...ROOM_CLIENT_MESSAGE_TYPES].sort());
  });

  it('room messages refuse what their schemas forbid: empty chat, unknown emoji, a vote for an option out of range, a huge document update', () => {
    const bad = (m: object) => parseClientMessage(JSON.stringify({ requestId: 'q', ...m }));
    expect(bad({ type: 'chat-send', text: '', to: 'everyone' })).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(bad({ type: 'chat-send', text: 'x'.repeat(2001), to: 'everyone' })).toMatchObject({ ok: false });
    expect(bad({ type: 'chat-send', text: 'hi', to: 'usr_0123456789abcdefghij' })).toMatchObject({ ok: false });
    expect(bad({ type: 'react', emoji: '💩' })).toMatchObject({ ok: false });
    expect(bad({ type: 'poll-vote', pollId: pol, choice: [10] })).toMatchObject({ ok: false });
    expect(bad({ type: 'poll-vote', pollId: pol, choice: [1, 1] })).toMatchObject({ ok: false });
    expect(bad({ type: 'poll-create', poll: { question: 'Q', options: ['only one'], multiple: false } })).toMatchObject({ ok: false });
    expect(bad({ type: 'doc-update', doc: 'notes', update: 'A'.repeat(48_004) })).toMatchObject({ ok: false });
    expect(bad({ type: 'doc-update', doc: 'secret', update: 'AA==' })).toMatchObject({ ok: false });
    expect(bad({ type: 'room-settings', settings: {} })).toMatchObject({ ok: false });
    expect(bad({ type: 'pointer', x: 1.5, y: 0, visible: true })).toMatchObject({ ok: false });
  });

  it('capabilities are checked by name; unknown names drop out of the common set', () => {
    expect(hasCapability(['presence', 'media'], 'media')).toBe(true);
    expect(hasCapability(['presence'], 'media')).toBe(false);
    expect(commonCapabilities(['presence', 'media'], ['media', 'teleport'])).toEqual(['media']);
    expect(MIN_SIGNAL_PROTOCOL_VERSION).toBeLessThanOrEqual(PROTOCOL_VERSION);
  });

  it('docs/signaling.md lists exactly the message types of each direction', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../../docs/signaling.md', import.meta.url)), 'utf8');
    const section = (title: string) => {
      const start = doc.indexOf(`### ${title}`);
      const end = doc.indexOf('\n#', start + 1);
      return [...doc.slice(start, end === -1 ? undefined : end).matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1]);
    };
    expect(section('Client → server')).toEqual(CLIENT_MESSAGE_TYPES);
    expect(section('Server → client')).toEqual(SERVER_MESSAGE_TYPES);
  });
});
