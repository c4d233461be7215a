import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { RoomDocSync, SignalingClient, type DocSyncError, type WebSocketConstructor } from '@podium/client';
import { eventually } from '../../signaling/testing';
import { startTestServer, type TestServer } from '../../testing/server';
import { liveRoomFixture, type LiveRoomFixture } from '../testing';
import { RoomDocs } from './room-docs';

/** Someone in the room with the client library, keeping one of the room's documents in step. */
interface Person {
  signal: SignalingClient;
  sync: RoomDocSync;
  errors: DocSyncError[];
}

/** A page's strokes as plain data. */
const page = (doc: Y.Doc, key: string) => ((doc.getMap('pages').get(key) as Y.Array<Y.Map<unknown>> | undefined)?.toJSON() ?? []) as { id: string }[];

/** Draws a stroke the way the web app's board model does: a map with a growing points array. */
function draw(doc: Y.Doc, key: string, id: string, points: number[]): void {
  const pages = doc.getMap<Y.Array<Y.Map<unknown>>>('pages');
  doc.transact(() => {
    if (!pages.get(key)) pages.set(key, new Y.Array<Y.Map<unknown>>());
  });
  doc.transact(() => {
    const stroke = new Y.Map<unknown>();
    stroke.set('id', id);
    stroke.set('tool', 'pen');
    stroke.set('color', '#e03131');
    stroke.set('width', 4);
    stroke.set('by', 'test');
    stroke.set('points', Y.Array.from(points));
    pages.get(key)!.push([stroke]);
  });
}

describe('room documents through the real server, with the client library', () => {
  let t: TestServer;
  let room: LiveRoomFixture;
  const open: SignalingClient[] = [];

  async function connect(token: string): Promise<SignalingClient> {
    const signal = await SignalingClient.connect(t.url, { WebSocket: WebSocket as unknown as WebSocketConstructor });
    open.push(signal);
    const joined = await signal.join(token);
    expect(joined.room.admission).toBe('admitted');
    return signal;
  }

  async function enter(token: string, doc: 'board' | 'notes', ydoc = new Y.Doc()): Promise<Person> {
    const signal = await connect(token);
    const sync = new RoomDocSync(ydoc, doc, { flushMs: 20 });
    const errors: DocSyncError[] = [];
    sync.on('error', (e) => errors.push(e));
    await sync.start(signal);
    return { signal, sync, errors };
  }

  beforeAll(async () => {
    t = await startTestServer({ config: { signalMessagesPerSecond: 200 } });
    room = await liveRoomFixture(t, { live: true });
  });
  afterAll(async () => {
    await Promise.all(open.map((s) => s.close().catch(() => undefined)));
    await t?.close();
  });

  it('a stroke drawn by the host appears on the presenter\'s board, stroke by stroke as it grows', async () => {
    const host = await enter(room.hostToken(), 'board');
    const presenter = await enter((await room.register('Pat Presenter', 'presenter')).token, 'board');
    draw(host.sync.doc, 'slide:fil_deck:1', 's1', [0.1, 0.1]);
    await host.sync.flush();
    await eventually(() => page(presenter.sync.doc, 'slide:fil_deck:1').length, (n) => n === 1);

    const points = (host.sync.doc.getMap('pages').get('slide:fil_deck:1') as Y.Array<Y.Map<unknown>>).get(0).get('points') as Y.Array<number>;
    points.push([0.2, 0.25]);
    points.push([0.3, 0.35]);
    await host.sync.flush();
    await eventually(() => JSON.stringify(page(presenter.sync.doc, 'slide:fil_deck:1')), (s) => s.includes('0.35'));
    expect(page(presenter.sync.doc, 'slide:fil_deck:1')).toEqual(page(host.sync.doc, 'slide:fil_deck:1'));
    expect(host.errors).toEqual([]);
  });

  it('one side disconnects and both edit; after the reconnect both converge with the server\'s copy', async () => {
    const host = await enter(room.hostToken(), 'notes');
    const presenterToken = (await room.register('Paula Presenter', 'presenter')).token;
    const presenter = await enter(presenterToken, 'notes');
    const text = (p: Person) => p.sync.doc.getText('markdown').toString();
    host.sync.doc.getText('markdown').insert(0, 'Agenda\n');
    await host.sync.flush();
    await eventually(() => text(presenter), (s) => s === 'Agenda\n');

    presenter.signal.terminate();
    await eventually(() => presenter.sync.synced, (s) => !s);
    presenter.sync.doc.getText('markdown').insert(0, '# ');
    host.sync.doc.getText('markdown').insert(text(host).length, '- budget\n');
    await host.sync.flush();
    expect(presenter.sync.pending).toBeGreaterThan(0);

    await presenter.sync.start(await connect(presenterToken));
    await presenter.sync.flush();
    await eventually(() => text(host), (s) => s === '# Agenda\n- budget\n');
    expect(text(presenter)).toBe('# Agenda\n- budget\n');

    // What the server acknowledged is on disk.
    const stored = await RoomDocs.open(t.server.ctx.sql, room.eventId, { readOnly: true, docs: ['notes'] });
    expect(stored.notesMarkdown()).toBe('# Agenda\n- budget\n');
    await stored.close();
  });

  it('an attendee\'s board update is refused with DOC_READ_ONLY and reaches nobody; notes open to attendees once the host allows it', async () => {
    const host = await enter(room.hostToken(), 'board');
    const attendeeToken = (await room.register('Ann Attendee')).token;
    const attendee = await enter(attendeeToken, 'board');
    draw(attendee.sync.doc, 'whiteboard:7', 'sneaky', [0.5, 0.5]);
    await attendee.sync.flush();
    expect(attendee.errors.map((e) => e.code)).toEqual(['DOC_READ_ONLY']);
    // The host's own next change still arrives, and the attendee's stroke never did.
    draw(host.sync.doc, 'whiteboard:8', 'fine', [0.1, 0.1]);
    await host.sync.flush();
    await eventually(() => page(attendee.sync.doc, 'whiteboard:8').length, (n) => n === 1);
    expect(page(host.sync.doc, 'whiteboard:7')).toEqual([]);

    const notes = await enter(attendeeToken, 'notes');
    notes.sync.doc.getText('markdown').insert(0, 'attendee was here ');
    await notes.sync.flush();
    expect(notes.errors.map((e) => e.code)).toEqual(['DOC_READ_ONLY']);
    const settings = await host.signal.request({ type: 'room-settings', settings: { notesEditableByAttendees: true } });
    expect(settings.type).toBe('ack');
    // Once allowed, a resync sends what was refused (Yjs changes of one client build on each other).
    await notes.sync.start(notes.signal);
    await notes.sync.flush();
    const hostNotes = await enter(room.hostToken(), 'notes');
    expect(hostNotes.sync.doc.getText('markdown').toString()).toContain('attendee was here');
  });
});
