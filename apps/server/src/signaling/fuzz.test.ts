import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_MESSAGE_TYPES, PROTOCOL_VERSION, parseServerMessage } from '@podium/protocol';
import { startTestServer, type TestServer } from '../testing/server';
import { eventually, roomFixture, SignalTestClient, type RoomFixture } from './testing';
import { seededRandom as prng } from '../testing/seeded-random';


const SEED = 0x5eed_2026;
const FRAMES = 3_000;
const MAX_FRAME = 8_192;

/** One frame to send; `closes` marks frames after which the server closes the connection. */
type Frame = { data: string | Buffer; binary?: boolean; closes?: boolean };

function fuzzer(rand: () => number, token: string) {
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const randomString = (max: number) => {
    let s = '';
    const n = int(max);
    for (let i = 0; i < n; i++) s += String.fromCodePoint(pick([int(128), 0x80 + int(0x700), 0x4e00 + int(0x5000), 0x1f600 + int(80)]));
    return s;
  };
  const randomValue = (depth = 0): unknown => {
    switch (int(depth > 3 ? 7 : 10)) {
      case 0: return null;
      case 1: return rand() < 0.5;
      case 2: return pick([0, -1, 1e308, -1e308, 2 ** 53, 0.5, Number.MAX_SAFE_INTEGER + 2]);
      case 3: return randomString(40);
      case 4: return pick(['', 'evt_0000', 'prd_x', 'prt_00000000000000000000', '__proto__', 'constructor', '\u0000', 'a'.repeat(3000)]);
      case 5: return pick(CLIENT_MESSAGE_TYPES);
      case 6: return int(1000);
      case 7: return Array.from({ length: int(5) }, () => randomValue(depth + 1));
      case 8: return Object.fromEntries(Array.from({ length: int(5) }, () => [pick(['type', 'requestId', 'kind', 'sdp', 'x', '__proto__']), randomValue(depth + 1)]));
      default: return { type: pick(CLIENT_MESSAGE_TYPES), requestId: randomValue(depth + 1) };
    }
  };
  const id = (p: string) => `${p}_${'0123456789abcdef0123'.slice(0, 1 + int(20))}`;
  const templates = (): Record<string, unknown>[] => [
    { type: 'hello', requestId: 'h', protocolVersion: PROTOCOL_VERSION, capabilities: ['presence', 'media'] },
    { type: 'join', requestId: 'j', token },
    { type: 'leave', requestId: 'l' },
    { type: 'ping', requestId: 'p' },
    { type: 'publish', requestId: 'pub', kind: pick(['audio', 'video', 'screen']), encodings: [{ rid: 'l', maxBitrate: 150_000 }, { rid: 'h' }] },
    { type: 'subscribe', requestId: 's', producerId: id('prd') },
    { type: 'set-layer-preference', requestId: 'lp', consumerId: id('csm'), spatialLayer: int(4) },
    { type: 'sdp-offer', requestId: 'o', transportId: id('trp'), sdp: 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\n' },
    { type: 'ice-candidate', requestId: 'c', transportId: id('trp'), candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', sdpMid: '0' } },
    { type: 'pause', requestId: 'pa', target: 'producer', id: id('prd') },
  ];
  const mutate = (msg: Record<string, unknown>): Record<string, unknown> => {
    const m: Record<string, unknown> = { ...msg };
    for (let k = 1 + int(3); k > 0; k--) {
      const keys = Object.keys(m);
      switch (int(6)) {
        case 0: delete m[pick(keys)]; break;
        case 1: m[pick(keys)] = randomValue(); break;
        case 2: m[pick(['__proto__', 'constructor', 'prototype', 'extra'])] = randomValue(); break;
        case 3: m.type = pick([...CLIENT_MESSAGE_TYPES, 'TYPE', '', 'hello ', 'error', 'welcome']); break;
        case 4: m.requestId = pick(['', 'a'.repeat(65), 'ok-id', 'bad id', 7]); break;
        default: break;
      }
    }
    return m;
  };
  return (): Frame => {
    const r = rand();
    if (r < 0.45) return { data: JSON.stringify(mutate(pick(templates()))) };
    if (r < 0.6) {
      const text = JSON.stringify(pick(templates()));
      return { data: text.slice(0, int(text.length)) };
    }
    if (r < 0.7) return { data: randomString(200) };
    if (r < 0.8) return { data: JSON.stringify(randomValue()) };
    if (r < 0.85) return { data: '['.repeat(1 + int(5000)) };
    if (r < 0.9) return { data: Buffer.from(Array.from({ length: int(300) }, () => int(256))), binary: true };
    if (r < 0.93) return { data: JSON.stringify(pick(templates())) };
    if (r < 0.96) return { data: `{"type":"ping","requestId":"big","pad":"${'x'.repeat(MAX_FRAME + int(MAX_FRAME))}"}`, closes: true };
    // Text frames that are not UTF-8: the WebSocket layer closes with 1007.
    return { data: Buffer.from([0x7b, 0xff, 0xfe, 0x22, 0x7d]), binary: false, closes: true };
  };
}

describe('signaling fuzz', () => {
  let t: TestServer;
  let room: RoomFixture;
  beforeAll(async () => {
    t = await startTestServer({ config: { signalMaxFrameBytes: MAX_FRAME, signalMessagesPerSecond: 100_000, signalHeartbeatMs: 1_000 } });
    room = await roomFixture(t);
    await room.setStatus('live');
  });
  afterAll(async () => t.close());

  it(`${FRAMES} random and mutated frames (seed ${SEED}) never crash the server, and a well-behaved participant keeps working`, async () => {
    const good = await SignalTestClient.open(t);
    const goodJoin = await good.helloAndJoin((await room.person('Gina Good', 'presenter')).token);
    expect(goodJoin.type).toBe('joined');
    const { token } = await room.person('Fuzzy Fuzzer');
    const next = fuzzer(prng(SEED), token);
    const replies: unknown[] = [];
    let reconnects = 0;
    let fz = await SignalTestClient.open(t, { origin: null });
    await fz.helloAndJoin(token);
    for (let sent = 0; sent < FRAMES; ) {
      for (let i = 0; i < 50 && sent < FRAMES; i++) {
        const f = next();
        fz.ws.send(f.data, { binary: f.binary ?? false });
        sent++;
        if (f.closes) break;
      }
      // Synchronise: a ping's pong proves every earlier frame was handled; a close means reconnect.
      const sync = `sync${sent}`;
      const outcome = await Promise.race([
        fz.waitFor((m) => m.type === 'pong' && m.requestId === sync).then(() => 'pong' as const).catch(() => 'closed' as const),
        fz.closed.then(() => 'closed' as const),
        (async () => fz.send({ type: 'ping', requestId: sync }))().then(() => new Promise<never>(() => {})),
      ]);
      if (outcome === 'closed') {
        replies.push(...fz.received);
        await fz.closed;
        reconnects++;
        fz = await SignalTestClient.open(t, { origin: null });
        // Most new connections get into the room first, so the frames also hit the joined state.
        if (reconnects % 5 !== 0) await fz.helloAndJoin(token);
      }
    }
    replies.push(...fz.received);
    await fz.close();

    // Everything the server said is a valid server message.
    const invalid = replies.filter((m) => !parseServerMessage(JSON.stringify(m)).ok);
    expect(invalid).toEqual([]);
    expect(replies.length).toBeGreaterThan(FRAMES / 2);
    expect(reconnects).toBeGreaterThan(0);

    // The well-behaved participant is still in the room and hears newcomers.
    expect(await good.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
    const late = await SignalTestClient.open(t);
    const lateJoin = await late.helloAndJoin((await room.person('Larry Late', 'presenter')).token);
    if (lateJoin.type !== 'joined' || goodJoin.type !== 'joined') throw new Error('join failed');
    expect(lateJoin.room.participants.map((p) => p.id)).toContain(goodJoin.room.self.id);
    await good.waitFor((m) => m.type === 'participant-joined' && m.participant.id === lateJoin.room.self.id);
    await late.close();
    await good.close();
    const s = await eventually(() => t.server.signaling.stats(), (s) => s.connections === 0 && s.rooms === 0);
    expect(s).toMatchObject({ participants: 0, addresses: 0, timers: 0, busSubscriptions: 0 });
  });
});
