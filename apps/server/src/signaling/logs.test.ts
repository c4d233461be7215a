import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server';
import { eventually, roomFixture, SignalTestClient, type RoomFixture } from './testing';

describe('signaling logs hold no personal data', () => {
  let t: TestServer;
  let room: RoomFixture;
  const lines: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    t = await startTestServer({ config: { signalHeartbeatMs: 100, signalMessagesPerSecond: 5 }, log: pino({ level: 'trace' }, sink) });
    room = await roomFixture(t);
    await room.setStatus('live');
  });
  afterAll(async () => t.close());

  it('joining, leaving, timing out, flooding and bad frames log participant and event ids only', async () => {
    const zofia = await room.person('Zofia Kowalska');
    const a = await SignalTestClient.open(t);
    const joined = await a.helloAndJoin(zofia.token);
    if (joined.type !== 'joined') throw new Error('join failed');
    a.sendRaw('{not json');
    expect((await a.request({ type: 'leave' })).type).toBe('left');
    await a.close();
    const silent = await SignalTestClient.open(t, { autoPong: false });
    await silent.helloAndJoin(zofia.token);
    await silent.closed;
    const flooder = await SignalTestClient.open(t);
    await flooder.helloAndJoin(zofia.token);
    for (let i = 0; i < 100; i++) flooder.sendRaw('{"type":"ping","requestId":"x"}');
    await flooder.closed;
    await eventually(() => t.server.signaling.stats(), (s) => s.connections === 0);

    const log = lines.filter((l) => !l.includes('Server listening at')).join('').toLowerCase();
    expect(log).toContain(joined.room.self.id);
    for (const secret of ['Zofia', 'Kowalska', zofia.registrationId, zofia.token.slice(0, 30), '127.0.0.1', '@example.test']) {
      expect(log, `logs contain "${secret}"`).not.toContain(secret.toLowerCase());
    }
  });
});
