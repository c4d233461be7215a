/**
 * A process of signaling-only attendees for bench:room: it opens one WebSocket per join token
 * (from several loopback source addresses, as many machines would), says hello and joins, then
 * timestamps every chat message it receives. To leave the server the CPU, it reads a frame's
 * type from the first bytes and parses only chat messages in full.
 */
import WebSocket from 'ws';
import { PROTOCOL_VERSION } from '@podium/protocol';

/** Parent → attendee process. */
export type ToAttendees =
  | { kind: 'join'; url: string; tokens: string[]; concurrency: number; addresses: string[] }
  | { kind: 'send'; index: number; text: string }
  | { kind: 'report' }
  | { kind: 'close' };

/** Attendee process → parent. */
export type FromAttendees =
  | { kind: 'joined'; joinMs: number[]; failed: number; errors: string[] }
  | { kind: 'sent'; index: number; ok: boolean }
  | { kind: 'report'; latencies: number[]; messages: number[]; chatsPerClient: number[]; frames: number; closed: number }
  | { kind: 'closed' };

const send = (m: FromAttendees) => process.send!(m);
/** Milliseconds on a clock shared by the processes of this machine. */
const now = () => performance.timeOrigin + performance.now();

interface Attendee {
  ws: WebSocket;
  chats: number;
  pending: Map<string, (m: Record<string, unknown>) => void>;
}

const attendees: Attendee[] = [];
const latencies: number[] = [];
// The bench's message number of each latency (to find when the last attendee had each message).
const messages: number[] = [];
let frames = 0;
let closed = 0;
let nextRequest = 1;

function request(a: Attendee, msg: Record<string, unknown>): Promise<Record<string, unknown>> {
  const requestId = `b${nextRequest++}`;
  return new Promise((resolve) => {
    a.pending.set(requestId, resolve);
    a.ws.send(JSON.stringify({ ...msg, requestId }));
  });
}

function onFrame(a: Attendee, data: WebSocket.RawData): void {
  frames++;
  const text = data.toString();
  // Replies carry a requestId; chat events are the only pushes this bench looks at.
  if (text.startsWith('{"type":"chat"')) {
    const at = now();
    const m = JSON.parse(text) as { message: { text: string } };
    const parts = /^bench (\d+(?:\.\d+)?) message (\d+)/.exec(m.message.text);
    if (parts) {
      latencies.push(at - Number(parts[1]));
      messages.push(Number(parts[2]));
    }
    a.chats++;
    return;
  }
  if (text.includes('"requestId"')) {
    const m = JSON.parse(text) as Record<string, unknown>;
    const r = a.pending.get(m.requestId as string);
    if (r) {
      a.pending.delete(m.requestId as string);
      r(m);
    }
  }
}

async function joinOne(url: string, token: string, localAddress: string): Promise<number> {
  const started = now();
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/signal`, { localAddress, perMessageDeflate: false });
  const a: Attendee = { ws, chats: 0, pending: new Map() };
  ws.on('message', (d) => onFrame(a, d));
  ws.on('close', () => closed++);
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_q, res) => reject(new Error(`upgrade ${res.statusCode}`)));
  });
  const hello = await request(a, { type: 'hello', protocolVersion: PROTOCOL_VERSION, capabilities: ['presence', 'room'] });
  if (hello.type !== 'welcome') throw new Error(`hello: ${JSON.stringify(hello)}`);
  const joined = await request(a, { type: 'join', token });
  if (joined.type !== 'joined') throw new Error(`join: ${String(joined.code)}`);
  attendees.push(a);
  return now() - started;
}

async function join(m: Extract<ToAttendees, { kind: 'join' }>): Promise<void> {
  const joinMs: number[] = [];
  const errors: string[] = [];
  let failed = 0;
  let next = 0;
  const worker = async () => {
    while (next < m.tokens.length) {
      const i = next++;
      try {
        joinMs.push(await joinOne(m.url, m.tokens[i], m.addresses[i % m.addresses.length]));
      } catch (err) {
        failed++;
        if (errors.length < 5) errors.push((err as Error).message);
      }
    }
  };
  await Promise.all(Array.from({ length: m.concurrency }, worker));
  send({ kind: 'joined', joinMs, failed, errors });
}

process.on('message', (m: ToAttendees) => {
  switch (m.kind) {
    case 'join':
      void join(m);
      return;
    case 'send': {
      const a = attendees[m.index];
      if (!a) return send({ kind: 'sent', index: m.index, ok: false });
      void request(a, { type: 'chat-send', text: m.text.replace('{at}', now().toFixed(3)), to: 'everyone' }).then((r) => send({ kind: 'sent', index: m.index, ok: r.type === 'chat-sent' }));
      return;
    }
    case 'report':
      send({ kind: 'report', latencies: latencies.splice(0), messages: messages.splice(0), chatsPerClient: attendees.map((a) => a.chats), frames, closed });
      return;
    case 'close':
      for (const a of attendees) a.ws.close(1000);
      setTimeout(() => {
        send({ kind: 'closed' });
        process.exit(0);
      }, 500);
  }
});
