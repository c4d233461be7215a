import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bot, waitUntil } from '@podium/bot';
import { SignalError } from '@podium/client';
import { eventBody, outboxTo } from '../events/testing';
import { roomFixture, type RoomFixture } from '../signaling/testing';
import { startTestServer, type TestServer } from '../testing/server';
import type { SfuMediaHandler } from './sfu-media-handler';

/** True when `seqs` (unwrapped) are exactly first, first+1, … in some order. */
function contiguous(seqs: number[]): boolean {
  const s = [...seqs].sort((a, b) => a - b);
  return s.every((v, i) => i === 0 || v === s[i - 1] + 1);
}

describe('media through the real server\'s signaling, with bots', () => {
  let t: TestServer;
  let room: RoomFixture;
  let media: SfuMediaHandler;
  const bots: Bot[] = [];
  let hostToken = '';
  const attendeeTokens: string[] = [];

  /** Registers a person through the public route; resolves with the join token from their confirmation email. */
  /** A live meeting with two registered attendees joined as bots: a speaker and a listener. */
  async function liveMeeting(title: string, seq: number, speakerName: string, listenerName: string): Promise<{ speaker: Bot; listener: Bot }> {
    const created = await room.org.member.post(`/api/v1/orgs/${room.org.orgId}/events`, eventBody(t, { type: 'meeting', title }, seq));
    expect(created.status).toBe(201);
    const eventId = created.body.id as string;
    const [speakerToken, listenerToken] = [await register(eventId, speakerName), await register(eventId, listenerName)];
    expect((await room.org.member.post(`/api/v1/orgs/${room.org.orgId}/events/${eventId}/status`, { status: 'live' })).status).toBe(200);
    const listener = await Bot.join({ url: t.url, token: listenerToken });
    const speaker = await Bot.join({ url: t.url, token: speakerToken });
    bots.push(listener, speaker);
    return { speaker, listener };
  }

  async function register(eventId: string, name: string): Promise<string> {
    const email = `${name.toLowerCase()}.${eventId.slice(-6)}@example.test`;
    const res = await t.client().post(`/api/v1/public/events/${eventId}/registrations`, { name: `${name} Attendee`, email, consentVersion: 1, consentAccepted: true });
    expect(res.status).toBe(201);
    const [mail] = await outboxTo(t, email);
    return /\/join\/([A-Za-z0-9_.-]+)/.exec(mail.text_body)![1];
  }

  beforeAll(async () => {
    t = await startTestServer({ config: { mediaEnabled: true, mediaWorkers: 2, signalMessagesPerSecond: 200 } });
    media = t.server.media as SfuMediaHandler;
    room = await roomFixture(t);
    // Attendees register through the public route and find their join link in the confirmation email.
    for (const name of ['Ann', 'Ben', 'Cem', 'Dee']) attendeeTokens.push(await register(room.eventId, name));
    const link = await room.org.member.post(`/api/v1/orgs/${room.org.orgId}/events/${room.eventId}/host-link`, {});
    expect(link.status).toBe(200);
    hostToken = /\/join\/([A-Za-z0-9_.-]+)/.exec(link.body.url as string)![1];
    await room.setStatus('live');
  }, 30_000);

  afterAll(async () => {
    await Promise.all(bots.map((b) => b.crash().catch(() => undefined)));
    await t?.close();
  });

  it('a host publishes audio and video; three attendees receive every packet; an attendee may not publish; everything is freed after all leave', async () => {
    const host = await Bot.join({ url: t.url, token: hostToken, name: 'host-bot' });
    bots.push(host);
    expect(host.joined.role).toBe('host');
    const attendees: Bot[] = [];
    for (const token of attendeeTokens.slice(0, 3)) {
      const a = await Bot.join({ url: t.url, token, name: 'attendee-bot' });
      bots.push(a);
      attendees.push(a);
      await a.subscribeAll();
    }

    // A webinar attendee's publish is refused with a typed error, before any SDP is looked at.
    const refused = await attendees[0].signal.request({ type: 'publish', kind: 'video', sdp: 'v=0\r\n' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SignalError);
    expect(refused).toMatchObject({ code: 'FORBIDDEN' });

    const published = await host.publish({ audio: true, video: true });
    expect(published.map((p) => p.kind)).toEqual(['audio', 'video']);
    await host.sendingConnected();

    // Every attendee learns of both producers over the room's events and subscribes through signaling.
    for (const a of attendees) {
      await waitUntil('two subscriptions', () => a.received.size === 2, 20_000);
      await a.receivingConnected(20_000);
    }
    expect(media.stats()).toMatchObject({ peers: 4, producers: 2, consumers: 6, transports: 4 });

    host.startSending(25);
    await new Promise((r) => setTimeout(r, 3_000));
    host.stopSending();
    const sent = host.summary().sent;
    expect(sent.audioPackets).toBeGreaterThan(50);
    expect(sent.videoFrames).toBeGreaterThan(20);

    for (const a of attendees) {
      const tracks = () => [...a.received.values()];
      await waitUntil('every packet at the attendee', () => {
        const audio = tracks().find((x) => x.kind === 'audio');
        const video = tracks().find((x) => x.kind === 'video');
        return audio?.packets === sent.audioPackets && video?.packets === sent.videoPackets;
      }, 15_000).catch(() => undefined);
      const audio = tracks().find((x) => x.kind === 'audio')!;
      const video = tracks().find((x) => x.kind === 'video')!;
      expect({ audio: audio.packets, video: video.packets, frames: video.frames }).toEqual({ audio: sent.audioPackets, video: sent.videoPackets, frames: sent.videoFrames });
      expect(audio.lost + video.lost).toBe(0);
      expect(contiguous(audio.seqs) && contiguous(video.seqs)).toBe(true);
      expect(video.keyframes).toBeGreaterThan(0);
    }

    // A late joiner finds both tracks in its joined snapshot.
    const late = await Bot.join({ url: t.url, token: attendeeTokens[3], name: 'late-bot' });
    bots.push(late);
    expect((late.joined.room.producers ?? []).map((p) => p.kind).sort()).toEqual(['audio', 'video']);
    await late.leave();

    // Layer preference and consumer pause/resume are acknowledged; a publisher's mute reaches everyone.
    const [first] = attendees;
    const videoConsumer = [...first.received.values()].find((x) => x.kind === 'video')!.consumerId;
    expect(await first.signal.request({ type: 'set-layer-preference', consumerId: videoConsumer, maxWidth: 320, maxHeight: 180 })).toMatchObject({ type: 'ack' });
    await first.session.pause('consumer', videoConsumer);
    await first.session.resume('consumer', videoConsumer);
    const notMine = first.signal.request({ type: 'set-layer-preference', consumerId: 'csm_notmine0000000000', maxWidth: 1 }).catch((e: unknown) => e);
    expect(await notMine).toMatchObject({ code: 'NOT_FOUND' });
    const mutedSeen = new Promise((resolve) => first.signal.on('producer-paused', resolve));
    await host.session.pause('producer', published[0].producerId);
    expect(await mutedSeen).toMatchObject({ producerId: published[0].producerId, paused: true });

    // An attendee whose connection drops has its transport and consumers freed.
    const crashed = attendees.pop()!;
    await crashed.crash();
    await waitUntil('crashed attendee released', () => media.stats().peers === 3 && media.stats().consumers === 4, 15_000);

    // Everyone else leaves: no peer, producer, consumer, transport or router is left on any worker.
    await host.leave();
    await waitUntil('host producers gone', () => attendees.every((a) => a.producers().length === 0), 10_000);
    for (const a of attendees) await a.leave();
    await waitUntil('media released', () => {
      const s = media.stats();
      return s.peers === 0 && s.producers === 0 && s.consumers === 0 && s.transports === 0;
    }, 10_000);
    let routers = -1;
    await waitUntil('routers closed', () => {
      void media.placement.stats().then((s) => {
        routers = s.routers + s.events;
      });
      return routers === 0;
    }, 10_000);
    expect((await media.placement.stats()).workers).toBe(2);
  }, 90_000);

  it('in a meeting an attendee publishes and another attendee receives it', async () => {
    const { listener, speaker } = await liveMeeting('Stand-up', 1, 'Eve', 'Fay');
    await listener.subscribeAll();
    await speaker.publish({ audio: true });
    await speaker.sendingConnected();
    await waitUntil('subscription', () => listener.received.size === 1, 20_000);
    await listener.receivingConnected(20_000);
    speaker.startSending();
    const audio = [...listener.received.values()][0];
    await waitUntil('audio at the listener', () => audio.packets >= 25, 15_000);
    await speaker.leave();
    await listener.leave();
    await waitUntil('media released', () => media.stats().peers === 0, 10_000);
  }, 60_000);

  it('ICE restart through signaling: both sides of a meeting restart, the listener from a new local port, and audio keeps flowing', async () => {
    const { listener, speaker } = await liveMeeting('Roaming', 2, 'Gus', 'Hal');
    expect(listener.signal.welcome.capabilities).toContain('ice-restart');
    await listener.subscribeAll();
    await speaker.publish({ audio: true });
    await speaker.sendingConnected();
    await waitUntil('subscription', () => listener.received.size === 1, 20_000);
    await listener.receivingConnected(20_000);
    speaker.startSending();
    const audio = [...listener.received.values()][0];
    await waitUntil('audio before the restart', () => audio.packets >= 10, 15_000);

    // The listener's network changes: its ICE side drops its sockets (werift keeps them on a restart).
    const pc = (listener.session.receiving as unknown as { pc: { iceTransports: Array<{ connection: unknown }> } }).pc;
    const connection = pc.iceTransports[0].connection as { protocols: Array<{ close(): Promise<void> }> };
    for (const p of connection.protocols.splice(0)) await p.close();
    await listener.session.restartIce();
    const atListenerRestart = audio.packets;
    await waitUntil('audio after the listener\'s restart', () => audio.packets >= atListenerRestart + 25, 15_000);
    // The speaker restarts its sending connection (a re-offer with new credentials on both sides).
    await speaker.session.restartIce();
    const atSpeakerRestart = audio.packets;
    await waitUntil('audio after the speaker\'s restart', () => audio.packets >= atSpeakerRestart + 25, 15_000);
    expect(listener.session.errors).toEqual([]);
    await speaker.leave();
    await listener.leave();
    await waitUntil('media released', () => media.stats().peers === 0, 10_000);
  }, 60_000);

  it('bad media requests get typed errors and change nothing; the media plane keeps serving', async () => {
    const host = await Bot.join({ url: t.url, token: hostToken });
    bots.push(host);
    const ask = (msg: Parameters<typeof host.signal.request>[0]) => host.signal.request(msg).then((m) => m.type, (e: { code?: string }) => e.code);
    expect(await ask({ type: 'publish', kind: 'audio' })).toBe('VALIDATION_FAILED');
    expect(await ask({ type: 'publish', kind: 'audio', sdp: 'v=0\r\nthis is not sdp' })).toBe('VALIDATION_FAILED');
    expect(await ask({ type: 'subscribe', producerId: 'prd_0123456789abcdef0123' })).toBe('NOT_FOUND');
    expect(await ask({ type: 'unpublish', producerId: 'prd_0123456789abcdef0123' })).toBe('NOT_FOUND');
    expect(await ask({ type: 'sdp-answer', transportId: 'trp_0123456789abcdef0123', sdp: 'v=0' })).toBe('NOT_FOUND');
    expect(await ask({ type: 'sdp-offer', transportId: 'trp_0123456789abcdef0123', sdp: 'v=0' })).toBe('NOT_FOUND');
    expect(await ask({ type: 'pause', target: 'consumer', id: 'csm_0123456789abcdef0123' })).toBe('NOT_FOUND');
    expect(await ask({ type: 'ice-restart', transportId: 'trp_0123456789abcdef0123' })).toBe('NOT_FOUND');
    // The same connection still publishes for real afterwards.
    const [audio] = await host.publish({ audio: true });
    expect(audio.producerId).toMatch(/^prd_/);
    await host.sendingConnected();
    await host.leave();
    await waitUntil('media released', () => media.stats().peers === 0 && media.stats().producers === 0, 10_000);
  }, 60_000);
});

describe('an event larger than one router', () => {
  let t: TestServer;
  const bots: Bot[] = [];
  beforeAll(async () => {
    t = await startTestServer({ config: { mediaEnabled: true, mediaWorkers: 2, mediaParticipantsPerRouter: 2, signalMessagesPerSecond: 200 } });
  });
  afterAll(async () => {
    await Promise.all(bots.map((b) => b.crash().catch(() => undefined)));
    await t?.close();
  });

  it('spreads over routers on both workers; tracks are piped to the second router and arrive complete', async () => {
    const media = t.server.media as SfuMediaHandler;
    const room = await roomFixture(t);
    await room.setStatus('live');
    const host = await Bot.join({ url: t.url, token: room.hostToken() });
    bots.push(host);
    await host.publish({ audio: true, video: true });
    await host.sendingConnected();
    const attendees: Bot[] = [];
    for (const name of ['Gus', 'Hal', 'Ivy']) {
      const a = await Bot.join({ url: t.url, token: (await room.person(name)).token });
      bots.push(a);
      attendees.push(a);
      await a.subscribeAll();
      await waitUntil('two subscriptions', () => a.received.size === 2, 20_000);
      await a.receivingConnected(20_000);
    }
    // Host + first attendee on one router, the other two on a second router (the other worker).
    expect(await media.placement.stats()).toMatchObject({ workers: 2, routers: 2, events: 1 });

    host.startSending(25);
    await new Promise((r) => setTimeout(r, 2_000));
    host.stopSending();
    const sent = host.summary().sent;
    for (const a of attendees) {
      const get = (kind: string) => [...a.received.values()].find((x) => x.kind === kind)!;
      await waitUntil('every packet', () => get('audio').packets === sent.audioPackets && get('video').packets === sent.videoPackets, 15_000).catch(() => undefined);
      expect({ audio: get('audio').packets, video: get('video').packets }).toEqual({ audio: sent.audioPackets, video: sent.videoPackets });
    }

    await host.leave();
    for (const a of attendees) await a.leave();
    await waitUntil('media released', () => media.stats().peers === 0 && media.stats().transports === 0, 10_000);
    let left = -1;
    await waitUntil('routers closed', () => {
      void media.placement.stats().then((s) => {
        left = s.routers + s.events;
      });
      return left === 0;
    }, 10_000);
  }, 90_000);
});
