import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { RoomDocName } from '@podium/protocol';
import { base64Length, base64ToBytes, bytesToBase64 } from './base64';
import { REMOTE_ORIGIN, RoomDocSync, type DocSyncError } from './room-doc-sync';
import { SignalingClient } from './signaling-client';
import { FakeServer, type FakeSocket, type Received } from './testing/fake-server';

/**
 * The server's side of the documents in memory, on a fake signaling server: doc-sync answers
 * with the diff, doc-update is applied, acknowledged and relayed to the other connections.
 */
function docServer() {
  const fake = new FakeServer();
  const docs: Record<RoomDocName, Y.Doc> = { board: new Y.Doc(), notes: new Y.Doc() };
  const readOnly = new Set<FakeSocket>();
  /** Refuse the next doc-updates with these codes (each used once). */
  const refusals: string[] = [];
  /** While true, doc-updates are swallowed without reply (a connection about to drop). */
  let blackhole = false;
  const updates: Received[] = [];
  fake.reply = (socket, msg) => {
    const doc = docs[msg.doc as RoomDocName];
    if (msg.type === 'doc-sync') {
      return {
        type: 'doc-state', requestId: msg.requestId, doc: msg.doc,
        update: bytesToBase64(Y.encodeStateAsUpdate(doc, base64ToBytes(msg.stateVector as string))), stateVector: bytesToBase64(Y.encodeStateVector(doc)),
      };
    }
    if (msg.type === 'doc-update') {
      if (blackhole) return null;
      const code = refusals.shift() ?? (readOnly.has(socket) ? 'DOC_READ_ONLY' : null);
      if (code) return { type: 'error', requestId: msg.requestId, code, message: code };
      updates.push(msg);
      Y.applyUpdate(doc, base64ToBytes(msg.update as string));
      for (const other of fake.sockets) if (other !== socket) other.push({ type: 'doc-update', doc: msg.doc, update: msg.update });
      return { type: 'ack', requestId: msg.requestId };
    }
    return { type: 'ack', requestId: msg.requestId };
  };
  return {
    fake, docs, readOnly, refusals, updates,
    setBlackhole(v: boolean) {
      blackhole = v;
    },
    connect: () => SignalingClient.connect('http://podium.test', { WebSocket: fake.WebSocket, requestTimeoutMs: 1_000 }),
  };
}

/** Timers the test fires by hand, so nothing depends on how long anything takes. */
function manualTimers() {
  const due: (() => void)[] = [];
  return {
    setTimeout: (fn: () => void) => due.push(fn),
    clearTimeout: () => {},
    async fireAll() {
      for (const fn of due.splice(0)) fn();
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

const text = (d: Y.Doc) => d.getText('markdown').toString();

describe('RoomDocSync', () => {
  it('start() brings what the server has; local changes go out merged as one doc-update and reach the other client', async () => {
    const s = docServer();
    s.docs.notes.getText('markdown').insert(0, 'Agenda\n');
    const a = new RoomDocSync(new Y.Doc(), 'notes', { flushMs: 60_000 });
    const b = new RoomDocSync(new Y.Doc(), 'notes', { flushMs: 60_000 });
    await a.start(await s.connect());
    await b.start(await s.connect());
    expect(text(a.doc)).toBe('Agenda\n');
    expect(a.synced).toBe(true);

    const t = a.doc.getText('markdown');
    for (const w of ['one ', 'two ', 'three ']) t.insert(t.length, w);
    expect(a.pending).toBe(3);
    await a.flush();
    expect(s.updates).toHaveLength(1);
    expect(a.pending).toBe(0);
    expect(text(s.docs.notes)).toBe('Agenda\none two three ');
    expect(text(b.doc)).toBe('Agenda\none two three ');
    // B applied it as a remote change: nothing to send back.
    expect(b.pending).toBe(0);
  });

  it('applies remote updates with the remote origin, so an undo manager tracking local changes ignores them', async () => {
    const s = docServer();
    const a = new RoomDocSync(new Y.Doc(), 'board', { flushMs: 60_000 });
    const b = new RoomDocSync(new Y.Doc(), 'board', { flushMs: 60_000 });
    await a.start(await s.connect());
    await b.start(await s.connect());
    const origins: unknown[] = [];
    b.doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
    a.doc.getMap('pages').set('whiteboard:1', new Y.Array());
    await a.flush();
    expect(b.doc.getMap('pages').has('whiteboard:1')).toBe(true);
    expect(origins).toEqual([REMOTE_ORIGIN]);
    // Another document's update is not this one's business.
    s.fake.sockets[1].push({ type: 'doc-update', doc: 'notes', update: bytesToBase64(Y.encodeStateAsUpdate(s.docs.board)) });
    expect(origins).toHaveLength(1);
  });

  it('edits made while disconnected reach the server after start() with a new connection, and both sides converge', async () => {
    const s = docServer();
    const a = new RoomDocSync(new Y.Doc(), 'notes', { flushMs: 60_000 });
    const b = new RoomDocSync(new Y.Doc(), 'notes', { flushMs: 60_000 });
    await a.start(await s.connect());
    await b.start(await s.connect());
    a.doc.getText('markdown').insert(0, 'shared ');
    await a.flush();

    s.fake.sockets[0].serverClose(1006);
    await new Promise((r) => setTimeout(r, 0));
    expect(a.synced).toBe(false);
    a.doc.getText('markdown').insert(0, 'offline-A ');
    b.doc.getText('markdown').insert(text(b.doc).length, 'online-B');
    await b.flush();
    expect(a.pending).toBe(1);

    await a.start(await s.connect());
    await a.flush();
    expect(text(a.doc)).toBe(text(s.docs.notes));
    expect(text(b.doc)).toBe(text(s.docs.notes));
    expect(text(a.doc)).toBe('offline-A shared online-B');
  });

  it('a batch cut off by a dropped connection is sent again after the resync', async () => {
    const s = docServer();
    const a = new RoomDocSync(new Y.Doc(), 'board', { flushMs: 60_000 });
    await a.start(await s.connect());
    s.setBlackhole(true);
    a.doc.getMap('pages').set('whiteboard:2', new Y.Array());
    const cut = a.flush();
    await new Promise((r) => setTimeout(r, 0));
    s.fake.sockets[0].serverClose(1006);
    await cut;
    expect(a.pending).toBe(1);
    s.setBlackhole(false);
    await a.start(await s.connect());
    await a.flush();
    expect(s.docs.board.getMap('pages').has('whiteboard:2')).toBe(true);
    expect(a.pending).toBe(0);
  });

  it('splits batches to fit one message, and reports a single change too large to send instead of sending it', async () => {
    const s = docServer();
    const maxUpdateChars = 400;
    const a = new RoomDocSync(new Y.Doc(), 'notes', { flushMs: 60_000, maxUpdateChars });
    const errors: DocSyncError[] = [];
    a.on('error', (e) => errors.push(e));
    await a.start(await s.connect());
    const t = a.doc.getText('markdown');
    for (let i = 0; i < 10; i++) t.insert(t.length, `${i}`.repeat(40));
    await a.flush();
    expect(s.updates.length).toBeGreaterThan(1);
    for (const u of s.updates) expect((u.update as string).length).toBeLessThanOrEqual(maxUpdateChars);
    expect(text(s.docs.notes)).toBe(t.toString());

    t.insert(0, 'x'.repeat(1_000));
    await a.flush();
    expect(errors).toEqual([{ code: 'DOC_UPDATE_TOO_LARGE', message: expect.any(String) }]);
    expect(text(s.docs.notes)).not.toContain('x');
    expect(a.pending).toBe(0);
  });

  it('when what only this client has is too large for one message, sends its queued changes one batch at a time', async () => {
    const s = docServer();
    const a = new RoomDocSync(new Y.Doc(), 'notes', { flushMs: 60_000, maxUpdateChars: 300 });
    await a.start(await s.connect());
    s.fake.sockets[0].serverClose(1006);
    await new Promise((r) => setTimeout(r, 0));
    const t = a.doc.getText('markdown');
    for (let i = 0; i < 6; i++) t.insert(t.length, `line ${i} `.repeat(10));
    expect(base64Length(Y.encodeStateAsUpdate(a.doc).length)).toBeGreaterThan(300);
    await a.start(await s.connect());
    await a.flush();
    expect(text(s.docs.notes)).toBe(t.toString());
    expect(s.updates.length).toBeGreaterThanOrEqual(2);
  });

  it('reports a refused change (DOC_READ_ONLY) and drops it', async () => {
    const s = docServer();
    const timers = manualTimers();
    const a = new RoomDocSync(new Y.Doc(), 'board', { ...timers });
    const errors: DocSyncError[] = [];
    a.on('error', (e) => errors.push(e));
    await a.start(await s.connect());
    s.readOnly.add(s.fake.sockets[0]);
    a.doc.getMap('pages').set('whiteboard:1', new Y.Array());
    await timers.fireAll();
    await a.flush();
    expect(errors.map((e) => e.code)).toEqual(['DOC_READ_ONLY']);
    expect(a.pending).toBe(0);
    expect(s.docs.board.getMap('pages').size).toBe(0);
  });

  it('keeps a rate-limited batch and sends it when its timer fires', async () => {
    const s = docServer();
    const timers = manualTimers();
    const a = new RoomDocSync(new Y.Doc(), 'board', { ...timers });
    const errors: DocSyncError[] = [];
    a.on('error', (e) => errors.push(e));
    await a.start(await s.connect());
    s.refusals.push('SIGNAL_RATE_LIMITED');
    a.doc.getMap('pages').set('whiteboard:3', new Y.Array());
    await timers.fireAll();
    await a.flush();
    expect(a.pending).toBe(1);
    expect(s.docs.board.getMap('pages').has('whiteboard:3')).toBe(false);
    await timers.fireAll();
    await a.flush();
    expect(a.pending).toBe(0);
    expect(s.docs.board.getMap('pages').has('whiteboard:3')).toBe(true);
    expect(errors).toEqual([]);
  });

  it('destroy() stops recording the document\'s changes', async () => {
    const s = docServer();
    const a = new RoomDocSync(new Y.Doc(), 'notes', { flushMs: 60_000 });
    await a.start(await s.connect());
    a.destroy();
    a.doc.getText('markdown').insert(0, 'local only');
    expect(a.pending).toBe(0);
    await expect(a.start(await s.connect())).rejects.toThrow(/destroyed/);
  });
});

describe('base64 helpers', () => {
  it('round-trip any bytes (also past the chunk size) and refuse what is not base64', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 31) % 256);
    expect(Buffer.from(base64ToBytes(bytesToBase64(bytes))).equals(Buffer.from(bytes))).toBe(true);
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(bytesToBase64(new Uint8Array([0, 0]))).toBe('AAA=');
    expect(base64Length(2)).toBe(4);
    for (const bad of ['A', 'AA=A', '****', 'AAA=\n']) expect(() => base64ToBytes(bad)).toThrow(TypeError);
  });
});
