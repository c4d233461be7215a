import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server';
import { SIGNAL_PATH } from './endpoint';
import { eventually, roomFixture, SignalTestClient, type RoomFixture } from './testing';

/** A TCP client that completes the WebSocket handshake and then never reads or writes again. */
async function silentUpgrade(t: TestServer): Promise<Socket> {
  const { hostname, port } = new URL(t.url);
  const socket = connect(Number(port), hostname);
  socket.on('error', () => {});
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(
    `GET ${SIGNAL_PATH} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  const head = await new Promise<string>((resolve) => socket.once('data', (d) => resolve(d.toString())));
  expect(head).toMatch(/^HTTP\/1\.1 101 /);
  socket.pause();
  return socket;
}

describe('signaling heartbeat', () => {
  let t: TestServer;
  let room: RoomFixture;
  beforeAll(async () => {
    t = await startTestServer({ config: { signalHeartbeatMs: 100 } });
    room = await roomFixture(t);
    await room.setStatus('live');
  });
  afterAll(async () => t.close());

  it('a participant that stops answering pings is dropped and the others see participant-left (timeout)', async () => {
    const watcher = await SignalTestClient.open(t);
    await watcher.helloAndJoin((await room.person('Wanda Watcher', 'presenter')).token);
    const dead = await SignalTestClient.open(t, { autoPong: false, origin: null });
    const joined = await dead.helloAndJoin((await room.person('Dan Dead')).token);
    if (joined.type !== 'joined') throw new Error('join failed');
    await watcher.waitFor((m) => m.type === 'participant-joined' && m.participant.id === joined.room.self.id);
    const left = await watcher.waitFor((m) => m.type === 'participant-left' && m.participantId === joined.room.self.id);
    expect(left).toMatchObject({ reason: 'timeout' });
    expect((await dead.closed).code).toBe(1006);
    // The watcher answers pings, so it stays, across many heartbeat intervals.
    expect(await watcher.request({ type: 'ping' })).toMatchObject({ type: 'pong' });
    expect(t.server.signaling.stats()).toMatchObject({ joined: 1, participants: 1 });
    await watcher.close();
    await eventually(() => t.server.signaling.stats(), (s) => s.connections === 0 && s.rooms === 0 && s.timers === 0);
  });

  it('a socket that upgraded and went silent without a word is dropped too', async () => {
    const socket = await silentUpgrade(t);
    expect(t.server.signaling.stats().connections).toBe(1);
    try {
      const s = await eventually(() => t.server.signaling.stats(), (s) => s.connections === 0);
      expect(s).toMatchObject({ connections: 0, addresses: 0, timers: 0 });
    } finally {
      socket.destroy();
    }
  });
});
