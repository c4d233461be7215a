import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_SIGNAL_PROTOCOL_VERSION, PROTOCOL_VERSION, SIGNAL_CLOSE_CODES, type ServerMessage } from '@podium/protocol';
import { STORE_KINDS } from '../testing/sql';
import { startTestServer, type TestServer } from '../testing/server';
import { eventually, roomFixture, SignalTestClient, type RoomFixture } from './testing';

function expectError(m: ServerMessage, code: string): void {
  expect(m.type === 'error' ? m.code : m.type).toBe(code);
}

describe.each(STORE_KINDS)('signaling endpoint (%s)', (store) => {
  let t: TestServer;
  let room: RoomFixture;
  const open: SignalTestClient[] = [];
  const client = async (opts?: Parameters<typeof SignalTestClient.open>[1]) => {
    const c = await SignalTestClient.open(t, opts);
    open.push(c);
    return c;
  };

  beforeAll(async () => {
    t = await startTestServer({ store, config: { signalHeartbeatMs: 1_000 } });
    room = await roomFixture(t);
    await room.setStatus('live');
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close()));
    await t.close();
  });

  it('hello is answered with welcome: protocol version, participant id, capabilities, heartbeat and limits', async () => {
    const c = await client();
    const w = await c.hello();
    expect(w).toMatchObject({
      type: 'welcome', protocolVersion: PROTOCOL_VERSION, capabilities: ['presence'], heartbeatMs: 1_000,
      limits: { maxFrameBytes: 65_536, messagesPerSecond: 50, burst: 100 },
    });
    expect(w.type === 'welcome' && w.participantId).toMatch(/^prt_[0-9a-z]{20}$/);
  });

  it('a newer client is answered in the server\'s version; an unsupported old version gets PROTOCOL_VERSION_UNSUPPORTED and the socket closes', async () => {
    const newer = await client();
    expect(await newer.hello({ protocolVersion: PROTOCOL_VERSION + 5 })).toMatchObject({ type: 'welcome', protocolVersion: PROTOCOL_VERSION });
    const old = await client();
    const reply = await old.hello({ protocolVersion: MIN_SIGNAL_PROTOCOL_VERSION - 1 });
    expect(reply).toMatchObject({ type: 'error', code: 'PROTOCOL_VERSION_UNSUPPORTED', details: { min: MIN_SIGNAL_PROTOCOL_VERSION, max: PROTOCOL_VERSION } });
    expect(await old.closed).toEqual({ code: SIGNAL_CLOSE_CODES.protocolVersion, reason: 'PROTOCOL_VERSION_UNSUPPORTED' });
  });

  it('join with a valid attendee token on a live event answers joined with the room snapshot', async () => {
    const { token } = await room.person('Ada Attendee');
    const c = await client();
    const joined = await c.helloAndJoin(token);
    expect(joined.type).toBe('joined');
    if (joined.type !== 'joined') return;
    expect(joined.role).toBe('attendee');
    expect(joined.room.event).toMatchObject({ id: room.eventId, title: 'Quarterly results', type: 'webinar', status: 'live', orgName: room.org.orgName });
    expect(joined.room.self).toMatchObject({ displayName: 'Ada Attendee', role: 'attendee' });
    expect(joined.room.participants.at(-1)).toEqual(joined.room.self);
    expect(new Date(joined.room.self.joinedAt).getTime()).not.toBeNaN();
    await c.close();
  });

  it('a second participant sees participant-joined, then participant-left when the first closes cleanly', async () => {
    const a = await client();
    const b = await client();
    // Staff hear of every attendee; attendees of a webinar hear of staff (and speakers) only.
    const ja = await a.helloAndJoin((await room.person('Anna A', 'presenter')).token);
    const jb = await b.helloAndJoin((await room.person('Bob B')).token);
    if (ja.type !== 'joined' || jb.type !== 'joined') throw new Error('join failed');
    // b's snapshot already holds a, in join order; a hears about b as an event.
    const ids = jb.room.participants.map((p) => p.id);
    expect(ids.indexOf(ja.room.self.id)).toBeLessThan(ids.indexOf(jb.room.self.id));
    const seen = await a.waitFor((m) => m.type === 'participant-joined' && m.participant.id === jb.room.self.id);
    expect(seen).toMatchObject({ participant: { displayName: 'Bob B', role: 'attendee' } });
    expect(b.ofType('participant-joined').some((m) => m.participant.id === jb.room.self.id)).toBe(false);
    await a.close();
    const left = await b.waitFor((m) => m.type === 'participant-left' && m.participantId === ja.room.self.id);
    expect(left).toMatchObject({ reason: 'left' });
    await b.close();
  });

  it('leave answers left, the others see participant-left, and the connection may join again', async () => {
    const a = await client();
    const b = await client();
    const { token } = await room.person('Lea Leaver');
    const ja = await a.helloAndJoin(token);
    await b.helloAndJoin((await room.person('Watcher', 'presenter')).token);
    if (ja.type !== 'joined') throw new Error('join failed');
    expect(await a.request({ type: 'leave' })).toMatchObject({ type: 'left' });
    expect(await b.waitFor((m) => m.type === 'participant-left' && m.participantId === ja.room.self.id)).toMatchObject({ reason: 'left' });
    expectError(await a.request({ type: 'leave' }), 'NOT_JOINED');
    const again = await a.request({ type: 'join', token });
    expect(again.type).toBe('joined');
    await b.waitFor((m) => m.type === 'participant-joined' && m.participant.id === ja.room.self.id && m.seq > 0, 10_000, 0);
  });

  it('out-of-order messages get typed errors and change nothing', async () => {
    const c = await client();
    const { token } = await room.person('Olga Order');
    expectError(await c.request({ type: 'join', token }), 'SIGNAL_OUT_OF_ORDER');
    expectError(await c.request({ type: 'publish', kind: 'video' }), 'SIGNAL_OUT_OF_ORDER');
    await c.hello();
    expectError(await c.hello(), 'SIGNAL_OUT_OF_ORDER');
    expectError(await c.request({ type: 'publish', kind: 'video' }), 'NOT_JOINED');
    expect((await c.request({ type: 'join', token })).type).toBe('joined');
    expectError(await c.request({ type: 'join', token }), 'ALREADY_JOINED');
    expect(await c.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
  });

  it('media messages of a joined participant answer MEDIA_UNAVAILABLE until the media plane is connected', async () => {
    const c = await client();
    await c.helloAndJoin((await room.person('Mia Media')).token);
    const producerId = 'prd_0123456789abcdef0123';
    const requests: Record<string, unknown>[] = [
      { type: 'publish', kind: 'video', encodings: [{ rid: 'l', scaleResolutionDownBy: 4 }, { rid: 'm', scaleResolutionDownBy: 2 }, { rid: 'h' }] },
      { type: 'unpublish', producerId },
      { type: 'subscribe', producerId },
      { type: 'unsubscribe', producerId },
      { type: 'set-layer-preference', consumerId: 'csm_0123456789abcdef0123', maxWidth: 640, maxHeight: 360 },
      { type: 'sdp-offer', transportId: 'trp_0123456789abcdef0123', sdp: 'v=0' },
      { type: 'sdp-answer', transportId: 'trp_0123456789abcdef0123', sdp: 'v=0' },
      { type: 'ice-candidate', transportId: 'trp_0123456789abcdef0123', candidate: null },
      { type: 'ice-restart', transportId: 'trp_0123456789abcdef0123' },
      { type: 'pause', target: 'producer', id: producerId },
      { type: 'resume', target: 'consumer', id: 'csm_0123456789abcdef0123' },
    ];
    for (const r of requests) {
      expect(await c.request(r), String(r.type)).toMatchObject({ type: 'error', code: 'MEDIA_UNAVAILABLE', message: 'The media plane is not connected.' });
    }
    expect(await c.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
  });

  describe('join tokens and event status', () => {
    it('a garbled, tampered or foreign token is TOKEN_INVALID', async () => {
      const { token } = await room.person('Tina Token');
      const [payload, sig] = token.split('.');
      const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'host' })).toString('base64url');
      const c = await client();
      await c.hello();
      for (const bad of ['garbage', `${payload}.${sig.slice(0, -2)}AA`, `${forged}.${sig}`, `${payload}x.${sig}`]) {
        expectError(await c.request({ type: 'join', token: bad }), 'TOKEN_INVALID');
      }
      expect((await c.request({ type: 'join', token })).type).toBe('joined');
    });

    it('a removed registration is TOKEN_INVALID', async () => {
      const p = await room.person('Rita Removed');
      const del = await room.org.member.delete(`/api/v1/orgs/${room.org.orgId}/events/${room.eventId}/registrations/${p.registrationId}`);
      expect(del.status).toBe(200);
      const c = await client();
      await c.hello();
      expectError(await c.request({ type: 'join', token: p.token }), 'TOKEN_INVALID');
    });

    it('before the start an attendee waits in the lobby, seeing only itself, while a presenter and a host enter', async () => {
      const scheduled = await roomFixture(t, room.org);
      const early = await client();
      const waiting = await early.helloAndJoin((await scheduled.person('Early Bird')).token);
      expect(waiting).toMatchObject({ type: 'joined', role: 'attendee', room: { admission: 'waiting', participants: [{ displayName: 'Early Bird' }], state: { status: 'scheduled', chat: [] } } });
      const c = await client();
      await c.hello();
      const joined = await c.request({ type: 'join', token: (await scheduled.person('Pia Presenter', 'presenter')).token });
      expect(joined).toMatchObject({ type: 'joined', role: 'presenter', room: { admission: 'admitted', event: { status: 'scheduled' } } });
      expect(joined.type === 'joined' && joined.room.participants.map((p) => p.displayName)).toEqual(['Pia Presenter']);
      const h = await client();
      expect(await h.helloAndJoin(scheduled.hostToken())).toMatchObject({ type: 'joined', role: 'host', room: { self: { displayName: 'Hanna Host' } } });
    });

    it('a cancelled event is EVENT_CANCELLED and an ended one EVENT_ENDED, for every role', async () => {
      const cancelled = await roomFixture(t, room.org);
      const cancelledToken = (await cancelled.person('Carl')).token;
      await cancelled.setStatus('cancelled');
      const ended = await roomFixture(t, room.org);
      const endedToken = (await ended.person('Erin', 'presenter')).token;
      await ended.setStatus('live');
      await ended.setStatus('ended');
      const c = await client();
      await c.hello();
      expectError(await c.request({ type: 'join', token: cancelledToken }), 'EVENT_CANCELLED');
      expectError(await c.request({ type: 'join', token: cancelled.hostToken() }), 'EVENT_CANCELLED');
      expectError(await c.request({ type: 'join', token: endedToken }), 'EVENT_ENDED');
      expectError(await c.request({ type: 'join', token: ended.hostToken() }), 'EVENT_ENDED');
    });

    it('an expired token is TOKEN_INVALID', async () => {
      const { token } = await room.person('Old Timer');
      const c = await client();
      await c.hello();
      t.advance(30 * 86_400_000);
      try {
        expectError(await c.request({ type: 'join', token }), 'TOKEN_INVALID');
      } finally {
        t.advance(-30 * 86_400_000);
      }
      expect((await c.request({ type: 'join', token })).type).toBe('joined');
    });
  });

  it('closing the clients leaves no room, participant or subscription behind', async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
    const s = await eventually(() => t.server.signaling.stats(), (s) => s.connections === 0 && s.rooms === 0);
    expect(s).toMatchObject({ connections: 0, joined: 0, rooms: 0, participants: 0, addresses: 0, timers: 0, busSubscriptions: 0 });
  });
});
