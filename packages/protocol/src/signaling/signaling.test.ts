import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../errors';
import { newId } from '../ids';
import { PROTOCOL_VERSION } from '../index';
import { commonCapabilities, hasCapability, MIN_SIGNAL_PROTOCOL_VERSION } from './common';
import { CLIENT_MESSAGE_TYPES, MEDIA_CLIENT_MESSAGE_TYPES, SERVER_MESSAGE_TYPES, isMediaClientMessage, type ClientMessageType, type ServerMessageType } from './messages';
import { parseClientMessage, parseServerMessage } from './parse';

const prd = 'prd_0123456789abcdef0123';
const csm = 'csm_0123456789abcdef0123';
const trp = 'trp_0123456789abcdef0123';
const prt = newId('participant');

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
};

const participant = { id: prt, displayName: 'Ada', role: 'attendee', joinedAt: '2026-03-01T10:00:00.000Z' };
/** One valid example of every server message. */
const SERVER_SAMPLES: Record<ServerMessageType, Record<string, unknown>> = {
  welcome: { requestId: 'r', protocolVersion: 1, participantId: prt, capabilities: ['presence'], heartbeatMs: 10_000, limits: { maxFrameBytes: 65_536, messagesPerSecond: 20, burst: 40 } },
  joined: {
    requestId: 'r', role: 'attendee',
    room: {
      event: { id: newId('event'), title: 'T', type: 'webinar', status: 'live', startsAt: '2026-03-01T10:00:00.000Z', durationMinutes: 60, orgName: 'O' },
      self: participant, participants: [participant], seq: 3,
    },
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
    expect(CLIENT_MESSAGE_TYPES.filter((t) => !media.includes(t as never))).toEqual(['hello', 'join', 'leave', 'ping']);
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
