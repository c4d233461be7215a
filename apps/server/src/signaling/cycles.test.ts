import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../testing/sql';
import { startTestServer, type TestServer } from '../testing/server';
import { eventually, roomFixture, SignalTestClient, type RoomFixture } from './testing';

describe.each(STORE_KINDS)('signaling resource cleanup (%s)', (store) => {
  let t: TestServer;
  let room: RoomFixture;
  beforeAll(async () => {
    t = await startTestServer({ store, config: { signalHeartbeatMs: 200 } });
    room = await roomFixture(t);
    await room.setStatus('live');
  });
  afterAll(async () => t.close());

  const tcpConnections = () => new Promise<number>((resolve, reject) => t.server.app.server.getConnections((err, n) => (err ? reject(err) : resolve(n))));

  it('100 connect / join / leave cycles leave no rooms, timers, subscriptions or sockets behind', async () => {
    const socketsBefore = await tcpConnections();
    const people = await Promise.all(Array.from({ length: 10 }, (_, i) => room.person(`Cycler ${i}`)));
    for (let i = 0; i < 100; i++) {
      const c = await SignalTestClient.open(t);
      const j = await c.helloAndJoin(people[i % people.length].token);
      expect(j.type).toBe('joined');
      // Alternate the ways out: leave then close, close cleanly, or drop the TCP connection.
      if (i % 3 === 0) expect((await c.request({ type: 'leave' })).type).toBe('left');
      if (i % 3 === 2) c.ws.terminate();
      else await c.close();
      await c.closed;
    }
    const s = await eventually(() => t.server.signaling.stats(), (s) => s.connections === 0 && s.rooms === 0 && s.timers === 0);
    expect(s).toEqual({ connections: 0, joined: 0, rooms: 0, participants: 0, addresses: 0, timers: 0, busSubscriptions: 0, busResponders: 1 });
    // The HTTP server holds no more TCP connections than before (HTTP keep-alive ones may have ended).
    for (let n = await tcpConnections(); n > socketsBefore; n = await tcpConnections()) await new Promise((r) => setTimeout(r, 20));
  });

  it('a room is opened by its first participant and closed with its last', async () => {
    const a = await SignalTestClient.open(t);
    const b = await SignalTestClient.open(t);
    await a.helloAndJoin((await room.person('First')).token);
    await b.helloAndJoin((await room.person('Second')).token);
    expect(t.server.signaling.stats()).toMatchObject({ rooms: 1, participants: 2, joined: 2, busSubscriptions: 2 });
    await a.close();
    await eventually(() => t.server.signaling.stats(), (s) => s.participants === 1);
    expect(t.server.signaling.stats().rooms).toBe(1);
    await b.close();
    await eventually(() => t.server.signaling.stats(), (s) => s.rooms === 0 && s.connections === 0);
  });
});
