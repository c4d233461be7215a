import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNAL_CLOSE_CODES } from '@podium/protocol';
import { startTestServer, type TestServer } from '../testing/server';
import { SIGNAL_PATH } from './endpoint';
import { eventually, roomFixture, SignalTestClient, type RoomFixture } from './testing';

const MAX_FRAME = 4_096;

describe('signaling limits and bad input', () => {
  let t: TestServer;
  let room: RoomFixture;
  let bystander: SignalTestClient;
  let bystanderId: string;
  beforeAll(async () => {
    t = await startTestServer({ config: { signalMaxFrameBytes: MAX_FRAME, signalMessagesPerSecond: 20, signalMaxConnectionsPerIp: 8 } });
    room = await roomFixture(t);
    await room.setStatus('live');
    // A well-behaved participant in the same room: it must keep working through every test here.
    bystander = await SignalTestClient.open(t);
    const j = await bystander.helloAndJoin((await room.person('Betty Bystander', 'presenter')).token);
    if (j.type !== 'joined') throw new Error('join failed');
    bystanderId = j.room.self.id;
  });
  afterAll(async () => {
    await bystander.close();
    await t.close();
  });

  async function bystanderStillServed(): Promise<void> {
    expect(await bystander.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
    expect(t.server.signaling.stats().participants).toBeGreaterThanOrEqual(1);
  }

  it('JSON garbage, non-objects, unknown types and schema failures get typed errors and the connection keeps working', async () => {
    const c = await SignalTestClient.open(t);
    await c.hello();
    const before = c.received.length;
    c.sendRaw('{"type": "ping", ');
    c.sendRaw('[1,2,3]');
    c.sendRaw('"hello"');
    c.sendRaw('{"requestId": "x1"}');
    c.sendRaw('{"type": "teleport", "requestId": "x2"}');
    c.sendRaw('{"type": "join", "requestId": "x3", "token": 42}');
    c.sendRaw('{"type": "publish", "requestId": "x4", "kind": "hologram"}');
    c.sendRaw('{"type": "ping"}');
    c.sendRaw(Buffer.from('{"type":"ping","requestId":"x5"}'), true);
    await c.waitFor(() => c.received.length >= before + 9);
    const errors = c.received.slice(before).map((m) => (m.type === 'error' ? [m.code, m.requestId ?? null] : [m.type]));
    expect(errors).toEqual([
      ['BAD_JSON', null],
      ['VALIDATION_FAILED', null],
      ['VALIDATION_FAILED', null],
      ['VALIDATION_FAILED', 'x1'],
      ['SIGNAL_UNKNOWN_TYPE', 'x2'],
      ['VALIDATION_FAILED', 'x3'],
      ['VALIDATION_FAILED', 'x4'],
      ['VALIDATION_FAILED', null],
      ['BAD_JSON', null],
    ]);
    const invalid = c.received[before + 5];
    expect(invalid.type === 'error' && invalid.details).toMatchObject({ issues: [expect.objectContaining({ path: '/token' })] });
    expect(await c.request({ type: 'ping', extra: 'ignored', nested: { deep: [1] } })).toMatchObject({ type: 'pong' });
    await c.close();
    await bystanderStillServed();
  });

  it('a frame over the size limit gets SIGNAL_TOO_LARGE and the connection closes (1009)', async () => {
    const c = await SignalTestClient.open(t);
    await c.hello();
    c.send({ type: 'ping', pad: 'x'.repeat(MAX_FRAME) });
    expect(await c.waitFor((m) => m.type === 'error')).toMatchObject({ code: 'SIGNAL_TOO_LARGE', details: { maxFrameBytes: MAX_FRAME } });
    expect(await c.closed).toEqual({ code: SIGNAL_CLOSE_CODES.tooLarge, reason: 'SIGNAL_TOO_LARGE' });
    // Far larger frames are cut off by the WebSocket layer before they are buffered whole.
    const huge = await SignalTestClient.open(t);
    huge.sendRaw('x'.repeat(MAX_FRAME * 10));
    expect((await huge.closed).code).toBe(1009);
    await bystanderStillServed();
  });

  it('a flood of frames is refused with SIGNAL_RATE_LIMITED, the flooder is closed (1008) and leaves the room', async () => {
    const flooder = await SignalTestClient.open(t);
    const j = await flooder.helloAndJoin((await room.person('Fred Flood')).token);
    if (j.type !== 'joined') throw new Error('join failed');
    for (let i = 0; i < 500; i++) flooder.sendRaw(`{"type":"ping","requestId":"f${i}"}`);
    expect(await flooder.closed).toEqual({ code: SIGNAL_CLOSE_CODES.policy, reason: 'SIGNAL_RATE_LIMITED' });
    const limited = flooder.received.filter((m) => m.type === 'error' && m.code === 'SIGNAL_RATE_LIMITED');
    const pongs = flooder.ofType('pong');
    expect(limited.length).toBeGreaterThan(0);
    // The burst allowance was served (hello and join took two of it), nothing beyond.
    expect(pongs.length).toBeLessThanOrEqual(40);
    expect(pongs.length).toBeGreaterThan(0);
    expect(await bystander.waitFor((m) => m.type === 'participant-left' && m.participantId === j.room.self.id)).toMatchObject({ reason: 'dropped' });
    await bystanderStillServed();
  });

  it('a cross-origin browser upgrade is refused with 403; same-origin and origin-less (bot) upgrades are accepted', async () => {
    await expect(SignalTestClient.open(t, { origin: 'https://evil.example' })).rejects.toMatchObject({ status: 403 });
    await expect(SignalTestClient.open(t, { origin: 'null' })).rejects.toMatchObject({ status: 403 });
    const same = await SignalTestClient.open(t);
    const bot = await SignalTestClient.open(t, { origin: null });
    expect((await same.hello()).type).toBe('welcome');
    expect((await bot.hello()).type).toBe('welcome');
    await same.close();
    await bot.close();
    await bystanderStillServed();
  });

  it('refused upgrades answer with a typed JSON body', async () => {
    const { request } = await import('node:http');
    const refusal = (path: string, origin?: string) =>
      new Promise<{ status: number; body: unknown }>((resolve, reject) => {
        const req = request(`${t.url}${path}`, {
          headers: {
            connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13',
            ...(origin ? { origin } : {}),
          },
        });
        req.on('response', (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        });
        req.on('upgrade', () => reject(new Error('upgraded')));
        req.on('error', reject);
        req.end();
      });
    expect(await refusal(SIGNAL_PATH, 'https://evil.example')).toEqual({ status: 403, body: { code: 'ORIGIN_NOT_ALLOWED', message: 'Connections from this origin are not allowed.' } });
    expect(await refusal('/api/v1/nope')).toMatchObject({ status: 404, body: { code: 'ROUTE_NOT_FOUND' } });
  });

  it('one address may hold only signalMaxConnectionsPerIp connections; a seat frees up when one closes', async () => {
    await eventually(() => t.server.signaling.stats().connections, (n) => n === 1);
    const held: SignalTestClient[] = [];
    for (let i = 0; i < 7; i++) held.push(await SignalTestClient.open(t));
    await expect(SignalTestClient.open(t)).rejects.toMatchObject({ status: 429 });
    await held.pop()!.close();
    await eventually(() => t.server.signaling.stats().connections, (n) => n === 7);
    const again = await SignalTestClient.open(t);
    expect((await again.hello()).type).toBe('welcome');
    await Promise.all([...held, again].map((c) => c.close()));
    await bystanderStillServed();
  });

  it('after all this, only the bystander is left', async () => {
    const s = await eventually(() => t.server.signaling.stats(), (s) => s.connections === 1);
    expect(s).toMatchObject({ connections: 1, joined: 1, rooms: 1, participants: 1, addresses: 1, busSubscriptions: 1 });
    expect(bystander.ofType('participant-left').every((m) => m.participantId !== bystanderId)).toBe(true);
  });
});
