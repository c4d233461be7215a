import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PodiumError, type MediaClientMessage, type ServerMessage } from '@podium/protocol';
import { startTestServer, type TestServer } from '../testing/server';
import { installSignaling, type SignalingServer } from './endpoint';
import type { MediaSession, MediaSignalingHandler } from './media-handler';
import { eventually, roomFixture, SignalTestClient, type RoomFixture } from './testing';

/** A media handler test double: hosts and presenters may publish; it remembers what each participant owns. */
class RecordingMediaHandler implements MediaSignalingHandler {
  readonly capabilities = ['media', 'simulcast'] as const;
  readonly handled: string[] = [];
  readonly owned = new Map<string, string[]>();
  readonly released: string[] = [];
  readonly restricted: string[] = [];

  async restrict(session: MediaSession, what: { pause?: readonly string[]; close?: readonly string[] }): Promise<void> {
    this.restricted.push(`${session.participantId}:${[...(what.pause ?? []), ...(what.close ?? [])].join(',')}`);
  }

  async handle(session: MediaSession, msg: MediaClientMessage): Promise<ServerMessage> {
    this.handled.push(msg.type);
    const transportId = 'trp_00000000000000000001';
    switch (msg.type) {
      case 'publish': {
        if (session.role === 'attendee') throw new PodiumError('FORBIDDEN', 'Attendees do not publish in a webinar.');
        const producerId = `prd_${String(this.handled.length).padStart(20, '0')}`;
        this.owned.set(session.participantId, [...(this.owned.get(session.participantId) ?? []), producerId]);
        return { type: 'published', requestId: msg.requestId, producerId, transportId };
      }
      case 'subscribe':
        // A server-initiated offer travels through the session before the reply.
        session.send({ type: 'sdp-offer', transportId, sdp: 'v=0\r\n' });
        return { type: 'subscribed', requestId: msg.requestId, producerId: msg.producerId, consumerId: 'csm_00000000000000000001', transportId };
      default:
        return { type: 'ack', requestId: msg.requestId };
    }
  }

  release(session: MediaSession): void {
    this.released.push(session.participantId);
    this.owned.delete(session.participantId);
  }
}

describe('the media seam', () => {
  let t: TestServer;
  let room: RoomFixture;
  let app: FastifyInstance;
  let signaling: SignalingServer;
  let url: string;
  const media = new RecordingMediaHandler();
  beforeAll(async () => {
    t = await startTestServer();
    room = await roomFixture(t);
    await room.setStatus('live');
    // A second HTTP server over the same context, with a media handler plugged in.
    app = Fastify();
    signaling = installSignaling(app, t.server.ctx, { media });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  it('welcome announces the handler\'s capabilities, and media messages reach it only after join', async () => {
    const c = await SignalTestClient.connect(url, { origin: null });
    expect(await c.hello()).toMatchObject({ type: 'welcome', capabilities: ['presence', 'media', 'simulcast'] });
    expect(await c.request({ type: 'publish', kind: 'video' })).toMatchObject({ type: 'error', code: 'NOT_JOINED' });
    expect(media.handled).toEqual([]);
    await c.close();
  });

  it('a presenter publishes and subscribes through the handler; an attendee gets its typed refusal', async () => {
    const presenter = await SignalTestClient.connect(url, { origin: null });
    const pj = await presenter.helloAndJoin((await room.person('Pia Presenter', 'presenter')).token);
    if (pj.type !== 'joined') throw new Error('join failed');
    const published = await presenter.request({ type: 'publish', kind: 'video', encodings: [{ rid: 'l' }, { rid: 'h' }] });
    expect(published).toMatchObject({ type: 'published', transportId: 'trp_00000000000000000001' });
    const attendee = await SignalTestClient.connect(url, { origin: null });
    await attendee.helloAndJoin((await room.person('Ada Attendee')).token);
    expect(await attendee.request({ type: 'publish', kind: 'audio' })).toMatchObject({ type: 'error', code: 'FORBIDDEN', message: 'Attendees do not publish in a webinar.' });
    const producerId = published.type === 'published' ? published.producerId : '';
    const sub = await attendee.request({ type: 'subscribe', producerId });
    expect(sub).toMatchObject({ type: 'subscribed', producerId });
    expect(attendee.received.findIndex((m) => m.type === 'sdp-offer')).toBeLessThan(attendee.received.indexOf(sub));
    expect(media.owned.get(pj.room.self.id)).toEqual([producerId]);

    await presenter.close();
    await eventually(() => media.released, (r) => r.includes(pj.room.self.id));
    expect(media.owned.has(pj.room.self.id)).toBe(false);
    await attendee.close();
    await eventually(() => signaling.stats(), (s) => s.connections === 0 && s.rooms === 0);
  });
});
