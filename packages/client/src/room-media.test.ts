import { describe, expect, it } from 'vitest';
import { RoomConnection } from './room-connection';
import { RoomMedia } from './room-media';
import { defaultRoom, FakePeer, FakeServer, until, type FakeSocket, type Received } from './testing/fake-server';

const OTHER = 'prt_oooooooooooooooooooo';

/** A fake SFU on the fake server: publish answers and announces, subscribe answers and offers. */
function sfu(server: FakeServer) {
  let n = 0;
  const producers = new Map<string, { socket: FakeSocket; kind: string }>();
  server.reply = (socket: FakeSocket, msg: Received) => {
    switch (msg.type) {
      case 'publish': {
        n += 1;
        const producerId = `prd_${n}`;
        producers.set(producerId, { socket, kind: String(msg.kind) });
        queueMicrotask(() => socket.push({ type: 'producer-added', producerId, participantId: socket.participantId, kind: msg.kind, simulcast: !!msg.encodings, paused: !!msg.paused }));
        return { type: 'published', requestId: msg.requestId, producerId, transportId: 'trp_send', sdp: 'v=0 answer', mid: String(n) };
      }
      case 'subscribe': {
        n += 1;
        const mid = String(n);
        setTimeout(() => socket.push({ type: 'sdp-offer', transportId: 'trp_recv', sdp: `v=0 mids:${mid}` }), 1);
        return { type: 'subscribed', requestId: msg.requestId, producerId: msg.producerId, consumerId: `csm_${n}`, transportId: 'trp_recv', mid, kind: 'video' };
      }
      case 'sdp-offer':
        return { type: 'sdp-answer', requestId: msg.requestId, transportId: msg.transportId, sdp: 'v=0 answer' };
      case 'ice-restart':
        return { type: 'ice-restarted', requestId: msg.requestId, transportId: msg.transportId, iceParameters: { usernameFragment: 'u', password: 'p' } };
      default:
        return { type: 'ack', requestId: msg.requestId };
    }
  };
  return { producers };
}

function setup(role: 'host' | 'attendee' = 'host', watchMs = 0) {
  const server = new FakeServer();
  server.snapshot = (socket) => ({
    ...defaultRoom(socket.participantId, {}, role),
    producers: [{ producerId: 'prd_othercam', participantId: OTHER, kind: 'video', simulcast: true, paused: false }],
  });
  sfu(server);
  const conn = new RoomConnection({ url: 'http://podium.test', token: 't', signaling: { WebSocket: server.WebSocket, requestTimeoutMs: 500 }, baseDelayMs: 5, pingMs: 0 });
  const peers: FakePeer[] = [];
  const ended: string[] = [];
  const media = new RoomMedia(conn, {
    makePeer: () => {
      const p = new FakePeer();
      peers.push(p);
      return p;
    },
    watchMs,
    onLocalEnded: (e) => ended.push(e.kind),
  });
  return { server, conn, media, peers, ended };
}

const track = (name: string) => ({ name, enabled: true, stopped: false, stop() { this.stopped = true; } });

describe('RoomMedia', () => {
  it('subscribes to the producers of others and resolves their tracks', async () => {
    const { conn, media, server } = setup();
    await conn.start();
    await until(() => media.snapshot().remote[0]?.track != null, 'remote track');
    expect(media.snapshot().remote[0]).toMatchObject({ producerId: 'prd_othercam', participantId: OTHER, consumerId: 'csm_1' });
    // A producer removed from the room is forgotten.
    server.last.push({ type: 'producer-removed', producerId: 'prd_othercam', participantId: OTHER });
    expect(media.snapshot().remote).toHaveLength(0);
  });

  it('publishes the camera with three simulcast layers and mutes by pausing the producer', async () => {
    const { conn, media, server, peers } = setup();
    await conn.start();
    const cam = track('cam');
    await media.publish('video', cam);
    const pub = server.last.received.find((m) => m.type === 'publish');
    expect((pub?.encodings as { rid: string }[]).map((e) => e.rid)).toEqual(['l', 'm', 'h']);
    expect(media.snapshot().local.video?.producerId).toMatch(/^prd_/);
    await media.setPaused('video', true);
    expect(cam.enabled).toBe(false);
    expect(server.last.received.at(-1)).toMatchObject({ type: 'pause', target: 'producer' });
    expect(media.snapshot().local.video?.paused).toBe(true);
    // A second camera replaces the track on the same producer.
    const cam2 = track('cam2');
    await media.publish('video', cam2);
    expect(peers[peers.length - 1].sent.some((s) => s.replaced.includes(cam2)) || peers.some((p) => p.sent.some((s) => s.replaced.includes(cam2)))).toBe(true);
    expect(cam.stopped).toBe(true);
  });

  it('a refused publish is not kept and reports the server error', async () => {
    const { conn, media, server } = setup('attendee');
    await conn.start();
    const reply = server.reply;
    server.reply = (s, m) => (m.type === 'publish' ? { type: 'error', requestId: m.requestId, code: 'FORBIDDEN', message: 'no' } : reply(s, m));
    await expect(media.publish('audio', track('mic'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(media.snapshot().local.audio).toBeUndefined();
    expect(media.snapshot().lastError?.code).toBe('FORBIDDEN');
  });

  it('stops a local track the server removed (grant taken away) and follows a host mute', async () => {
    const { conn, media, server, ended } = setup();
    await conn.start();
    const mic = track('mic');
    const cam = track('cam');
    await media.publish('audio', mic);
    await media.publish('video', cam);
    await until(() => (conn.snapshot().model?.producers.filter((p) => p.participantId === conn.snapshot().model?.self.id).length ?? 0) === 2, 'own producers announced');
    const micId = media.snapshot().local.audio!.producerId!;
    const camId = media.snapshot().local.video!.producerId!;
    server.last.push({ type: 'producer-paused', producerId: micId, paused: true });
    expect(media.snapshot().local.audio).toMatchObject({ paused: true, pausedByHost: true });
    expect(mic.enabled).toBe(false);
    server.last.push({ type: 'producer-removed', producerId: camId, participantId: conn.snapshot().model!.self.id });
    expect(media.snapshot().local.video).toBeUndefined();
    expect(cam.stopped).toBe(true);
    expect(ended).toEqual(['video']);
    // Unmuting after a host mute resumes the producer.
    await media.setPaused('audio', false);
    expect(mic.enabled).toBe(true);
    expect(server.last.received.some((m) => m.type === 'resume' && m.id === micId)).toBe(true);
    // The stopped camera's m-section was renegotiated away.
    expect(server.last.received.some((m) => m.type === 'sdp-offer')).toBe(true);
  });

  it('after a reconnect publishes its tracks again and subscribes anew', async () => {
    const { conn, media, server } = setup();
    await conn.start();
    const mic = track('mic');
    await media.publish('audio', mic);
    await until(() => media.snapshot().remote[0]?.track != null, 'remote track');
    server.last.serverClose(1006);
    await until(() => server.sockets.length === 2 && conn.snapshot().phase === 'joined', 'reconnected');
    await until(() => server.last.received.some((m) => m.type === 'publish') && media.snapshot().local.audio?.producerId != null, 'republished');
    expect(server.last.received.filter((m) => m.type === 'subscribe')).toHaveLength(1);
    expect(mic.stopped).toBe(false);
    await until(() => media.snapshot().remote[0]?.track != null, 'remote track again');
  });

  it('restarts ICE when a peer connection fails while signaling holds', async () => {
    const { conn, media, peers, server } = setup('host', 10);
    await conn.start();
    await media.publish('audio', track('mic'));
    await until(() => peers.length >= 1, 'peer');
    for (const p of peers) p.state = 'failed';
    await until(() => media.snapshot().iceRestarts >= 1, 'ICE restart', 3000);
    expect(server.last.received.some((m) => m.type === 'ice-restart')).toBe(true);
    await media.close();
  });
});

describe('RoomMedia layer preferences', () => {
  it('a layer preference asked for before the subscription exists is sent once it does', async () => {
    const { conn, media, server } = setup();
    const started = conn.start();
    // The tile measures itself as soon as the producer shows up, before `subscribed` arrives.
    void media.setLayerPreference('prd_othercam', { maxWidth: 150, maxHeight: 84 });
    await started;
    await until(() => server.last.received.some((m) => m.type === 'set-layer-preference'), 'layer preference');
    expect(server.last.received.find((m) => m.type === 'set-layer-preference')).toMatchObject({ consumerId: 'csm_1', maxWidth: 150, maxHeight: 84 });
  });
});

describe('RoomMedia recovery', () => {
  it('a server offer the browser cannot apply leads to a fresh connection (join again)', async () => {
    const { conn, server, peers } = setup('attendee', 10);
    await conn.start();
    await until(() => peers.length >= 1, 'receiving peer');
    // The next offer fails in the browser (e.g. max-bundle without a BUNDLE group).
    for (const p of peers) p.answer = async () => { throw new Error('max-bundle is used but no bundle group found'); };
    server.last.push({ type: 'sdp-offer', transportId: 'trp_recv', sdp: 'v=0 everything rejected' });
    await until(() => server.sockets.length === 2 && conn.snapshot().phase === 'joined', 'joined again', 3000);
  });
});
