import { describe, expect, it } from 'vitest';
import { newId } from '@podium/protocol';
import { RoomConnection } from './room-connection';
import { defaultRoom, FakeServer, until } from './testing/fake-server';

function connection(server: FakeServer, extra: Partial<ConstructorParameters<typeof RoomConnection>[0]> = {}): RoomConnection {
  return new RoomConnection({
    url: 'http://podium.test', token: 'tok', signaling: { WebSocket: server.WebSocket, requestTimeoutMs: 500 }, baseDelayMs: 5, maxDelayMs: 20, pingMs: 0, ...extra,
  });
}

describe('RoomConnection', () => {
  it('joins and keeps the model current from pushed messages', async () => {
    const server = new FakeServer();
    const conn = connection(server);
    await conn.start();
    expect(conn.snapshot().phase).toBe('joined');
    expect(conn.snapshot().model?.participants).toHaveLength(2);
    server.last.push({ type: 'chat', message: { id: newId('chatMessage'), from: { displayName: 'Hanna', role: 'host' }, to: 'everyone', text: 'hi', sentAt: '2026-12-01T10:00:01.000Z' } });
    expect(conn.snapshot().model?.state.chat.map((c) => c.text)).toEqual(['hi']);
    expect(server.last.received.find((m) => m.type === 'hello')?.capabilities).toContain('room');
  });

  it('sends the event password with the join and fails with EVENT_PASSWORD_REQUIRED until then', async () => {
    const server = new FakeServer();
    server.joinErrors.push('EVENT_PASSWORD_REQUIRED', 'EVENT_PASSWORD_WRONG');
    const conn = connection(server);
    await conn.start();
    expect(conn.snapshot()).toMatchObject({ phase: 'failed', failure: { code: 'EVENT_PASSWORD_REQUIRED' } });
    await conn.joinWithPassword('wrong');
    expect(conn.snapshot().failure?.code).toBe('EVENT_PASSWORD_WRONG');
    await conn.joinWithPassword('s3cret');
    expect(conn.snapshot().phase).toBe('joined');
    expect(server.last.received.find((m) => m.type === 'join')?.password).toBe('s3cret');
  });

  it('final join errors (full, locked, banned, bad link) fail without retrying', async () => {
    for (const code of ['ROOM_FULL', 'ROOM_LOCKED', 'BANNED', 'TOKEN_INVALID', 'EVENT_ENDED', 'EVENT_CANCELLED']) {
      const server = new FakeServer();
      server.joinErrors.push(code);
      const conn = connection(server);
      await conn.start();
      expect(conn.snapshot().failure?.code, code).toBe(code);
      await new Promise((r) => setTimeout(r, 30));
      expect(server.sockets, code).toHaveLength(1);
    }
  });

  it('reconnects after a dropped connection, joins again and keeps what it remembered', async () => {
    const server = new FakeServer();
    const conn = connection(server);
    let sessions = 0;
    let reconnects = 0;
    conn.onSession((_s, _j, reconnect) => {
      sessions += 1;
      if (reconnect) reconnects += 1;
    });
    await conn.start();
    const q = { id: newId('question'), text: 'Q', anonymous: false, author: null, askedAt: '2026-12-01T10:00:00.000Z', votes: 0, status: 'open' as const };
    server.reply = (_s, msg) => (msg.type === 'question-ask' ? { type: 'question-asked', requestId: msg.requestId, question: q } : { type: 'ack', requestId: msg.requestId });
    await conn.request({ type: 'question-ask', text: 'Q' });
    expect(conn.snapshot().model?.memory.asked).toEqual([q.id]);
    const phases: string[] = [];
    conn.subscribe(() => phases.push(conn.snapshot().phase));
    // The next snapshot (after reconnecting) carries the question without `mine`.
    server.snapshot = (socket) => defaultRoom(socket.participantId, { questions: [q] });
    server.last.serverClose(1006);
    await until(() => sessions === 2, 'second session');
    expect(phases).toContain('reconnecting');
    expect(conn.snapshot().phase).toBe('joined');
    expect(reconnects).toBe(1);
    expect(server.sockets).toHaveLength(2);
    expect(conn.snapshot().model?.state.questions[0].mine).toBe(true);
  });

  it('keeps trying while the server cannot be reached, with growing delays', async () => {
    const server = new FakeServer();
    const conn = connection(server);
    await conn.start();
    server.refuseConnections = true;
    server.last.serverClose(1006);
    await until(() => conn.snapshot().attempts >= 3, 'three attempts');
    expect(conn.snapshot().phase).toBe('reconnecting');
    server.refuseConnections = false;
    await until(() => conn.snapshot().phase === 'joined', 'joined again');
    expect(conn.snapshot().attempts).toBe(0);
  });

  it('the event ending (4004) or a removal (4003) is final', async () => {
    const server = new FakeServer();
    const conn = connection(server);
    await conn.start();
    server.last.push({ type: 'room-status', status: 'ended' });
    server.last.serverClose(4004, 'EVENT_ENDED');
    await until(() => conn.snapshot().phase === 'failed', 'failed');
    expect(conn.snapshot().failure?.code).toBe('EVENT_ENDED');

    const s2 = new FakeServer();
    const c2 = connection(s2);
    await c2.start();
    s2.last.push({ type: 'removed', reason: 'banned' });
    s2.last.serverClose(4003, 'BANNED');
    await until(() => c2.snapshot().phase === 'failed', 'failed');
    expect(c2.snapshot().failure?.code).toBe('BANNED');
    await new Promise((r) => setTimeout(r, 30));
    expect(s2.sockets).toHaveLength(1);

    const s3 = new FakeServer();
    const c3 = connection(s3);
    await c3.start();
    s3.last.push({ type: 'removed', reason: 'denied' });
    s3.last.serverClose(4003, 'REMOVED');
    await until(() => c3.snapshot().phase === 'failed', 'failed');
    expect(c3.snapshot().failure?.code).toBe('DENIED');
  });

  it('a ping without answer drops the connection and reconnects', async () => {
    const server = new FakeServer();
    const conn = connection(server, { pingMs: 10 });
    await conn.start();
    const first = server.last;
    // This server stops answering pings.
    const handle = server.handle.bind(server);
    server.handle = (socket, msg) => {
      if (msg.type === 'ping' && socket === first) return;
      handle(socket, msg);
    };
    await until(() => server.sockets.length === 2 && conn.snapshot().phase === 'joined', 'reconnected', 3000);
  });

  it('remembers votes once the server confirmed them; leave stops reconnecting', async () => {
    const server = new FakeServer();
    const conn = connection(server);
    await conn.start();
    const pollId = newId('poll');
    await conn.votePoll(pollId, [1]);
    expect(conn.snapshot().model?.memory.choices[pollId]).toEqual([1]);
    server.reply = (_s, msg) => ({ type: 'error', requestId: msg.requestId, code: 'QA_DISABLED', message: 'off' });
    await expect(conn.voteQuestion(newId('question'), true)).rejects.toMatchObject({ code: 'QA_DISABLED' });
    expect(conn.snapshot().model?.memory.voted).toEqual([]);
    await conn.leave();
    expect(conn.snapshot().phase).toBe('left');
    await new Promise((r) => setTimeout(r, 30));
    expect(server.sockets).toHaveLength(1);
  });
});
