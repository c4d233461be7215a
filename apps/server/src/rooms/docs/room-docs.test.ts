import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newId, PodiumError, type EventId, type OrgId, type RoomDocName } from '@podium/protocol';
import { openTestSql, STORE_KINDS } from '../../testing/sql';
import { seedOrg } from '../../testing/seed-rows';
import type { Sql } from '../../storage/sql';
import { RoomDocs } from './room-docs';
import { seededRandom as prng } from '../../testing/seeded-random';


/** A client document that records its own updates, as a browser would send them. */
function client(): { doc: Y.Doc; outbox: Uint8Array[] } {
  const doc = new Y.Doc();
  const outbox: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array, origin: unknown) => {
    if (origin !== 'remote') outbox.push(u);
  });
  return { doc, outbox };
}

/** The doc-sync exchange of docs/signaling.md: fetch what the server has, send back what only the client has. */
async function sync(host: RoomDocs, name: RoomDocName, c: { doc: Y.Doc; outbox: Uint8Array[] }): Promise<void> {
  const { update, stateVector } = host.diff(name, Y.encodeStateVector(c.doc));
  Y.applyUpdate(c.doc, update, 'remote');
  const mine = Y.encodeStateAsUpdate(c.doc, stateVector);
  c.outbox.length = 0;
  if (Y.decodeUpdate(mine).structs.length || Y.decodeUpdate(mine).ds.clients.size) await host.apply(name, mine);
}

/** Sends a client's recorded updates to the server and relays them to the other clients, like the coordinator. */
async function push(host: RoomDocs, name: RoomDocName, from: { outbox: Uint8Array[] }, others: Y.Doc[]): Promise<void> {
  for (const u of from.outbox.splice(0)) {
    await host.apply(name, u);
    for (const o of others) Y.applyUpdate(o, u, 'remote');
  }
}

const stateOf = (doc: Y.Doc) => Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (err instanceof PodiumError) return err.code;
    throw err;
  }
  return 'accepted';
}

/**
 * Bytes that decode as a Yjs update but fail half-way through applying (an item names a parent
 * that does not exist): Yjs leaves a document it applies this to half-changed.
 */
const DECODES_BUT_DOES_NOT_APPLY = new Uint8Array([
  1, 3, 140, 150, 211, 198, 15, 0, 4, 1, 8, 109, 97, 114, 107, 100, 111, 119, 110, 5, 104, 101, 108, 108, 111, 39, 1, 5, 112, 97, 103, 101,
  115, 1, 107, 0, 8, 0, 140, 150, 211, 198, 15, 89, 3, 125, 1, 125, 2, 125, 3, 0,
]);

describe.each(STORE_KINDS)('RoomDocs on %s', (kind) => {
  let sql: Sql;
  let orgId: OrgId;

  beforeAll(async () => {
    sql = await openTestSql(kind);
    orgId = await seedOrg(sql);
  });
  afterAll(async () => sql?.close());

  async function newEvent(): Promise<EventId> {
    const id = newId('event') as EventId;
    await sql.query(
      `insert into events (id, org_id, type, title, starts_at, duration_minutes, time_zone, access_mode)
       values ($1, $2, 'webinar', 'Docs', now(), 60, 'Europe/Berlin', 'open')`,
      [id, orgId],
    );
    return id;
  }

  const count = async (table: 'room_docs' | 'room_doc_updates', eventId: EventId) =>
    Number((await sql.query<{ n: number }>(`select count(*)::int as n from ${table} where event_id = $1`, [eventId]))[0].n);

  it('two clients drawing and writing through RoomDocs converge on the same board and notes', async () => {
    const eventId = await newEvent();
    const host = await RoomDocs.open(sql, eventId);
    const a = client();
    const b = client();
    await sync(host, 'board', a);
    await sync(host, 'board', b);

    const stroke = new Y.Map<unknown>();
    a.doc.transact(() => {
      const page = new Y.Array<Y.Map<unknown>>();
      a.doc.getMap('pages').set('whiteboard:1', page);
      stroke.set('id', 's1');
      stroke.set('tool', 'pen');
      stroke.set('points', Y.Array.from([0.1, 0.2, 0.3, 0.4]));
      page.push([stroke]);
    });
    await push(host, 'board', a, [b.doc]);
    (stroke.get('points') as Y.Array<number>).push([0.5, 0.6]);
    await push(host, 'board', a, [b.doc]);
    b.doc.getMap('pages').set('slide:fil_x:1', new Y.Array());
    await push(host, 'board', b, [a.doc]);

    const n = client();
    const notesA = client();
    await sync(host, 'notes', n);
    await sync(host, 'notes', notesA);
    n.doc.getText('markdown').insert(0, '# Agenda\n');
    notesA.doc.getText('markdown').insert(0, '- item\n');
    await push(host, 'notes', n, []);
    await push(host, 'notes', notesA, [n.doc]);
    // notesA missed n's edit (no relay): a resync brings it.
    await sync(host, 'notes', notesA);

    expect(a.doc.getMap('pages').toJSON()).toEqual(b.doc.getMap('pages').toJSON());
    expect(host.document('board').getMap('pages').toJSON()).toEqual(a.doc.getMap('pages').toJSON());
    expect(a.doc.getMap('pages').toJSON()['whiteboard:1'][0].points).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    expect(n.doc.getText('markdown').toString()).toBe(notesA.doc.getText('markdown').toString());
    expect(host.notesMarkdown()).toBe(n.doc.getText('markdown').toString());
    expect(host.notesMarkdown()).toContain('# Agenda');
    await host.close();
  });

  it('an acknowledged update is on disk at once, and a restarted room (close, open again) holds everything', async () => {
    const eventId = await newEvent();
    const host = await RoomDocs.open(sql, eventId);
    const c = client();
    await sync(host, 'notes', c);
    c.doc.getText('markdown').insert(0, 'Decisions: ship it');
    await push(host, 'notes', c, []);
    expect(await count('room_doc_updates', eventId)).toBe(1);
    // A second reader sees the acknowledged update from the database, before any compaction.
    const reader = await RoomDocs.open(sql, eventId, { readOnly: true });
    expect(reader.notesMarkdown()).toBe('Decisions: ship it');
    await reader.close();

    await host.close();
    expect(await count('room_doc_updates', eventId)).toBe(0);
    expect(await count('room_docs', eventId)).toBe(1);

    const again = await RoomDocs.open(sql, eventId);
    expect(again.notesMarkdown()).toBe('Decisions: ship it');
    // The old client reconnects with what it had, edits, and both sides still agree.
    await sync(again, 'notes', c);
    c.doc.getText('markdown').insert(0, '## ');
    await push(again, 'notes', c, []);
    expect(again.notesMarkdown()).toBe('## Decisions: ship it');
    await again.close();
  });

  it('compacts every N updates into room_docs, deleting the folded rows, and keeps the content', async () => {
    const eventId = await newEvent();
    const host = await RoomDocs.open(sql, eventId, { compactEvery: 5 });
    const c = client();
    const text = c.doc.getText('markdown');
    for (let i = 0; i < 12; i++) {
      text.insert(text.length, `line ${i}\n`);
      await push(host, 'notes', c, []);
    }
    // Compaction runs after the fifth and tenth acknowledged update; reading the DB waits for it through a reader's open.
    await host.close();
    const reopened = await RoomDocs.open(sql, eventId, { readOnly: true });
    expect(reopened.notesMarkdown()).toBe(text.toString());
    await reopened.close();
    expect(await count('room_doc_updates', eventId)).toBe(0);

    const live = await RoomDocs.open(sql, eventId, { compactEvery: 5 });
    await sync(live, 'notes', c);
    for (let i = 0; i < 7; i++) {
      text.insert(0, `${i}`);
      await push(live, 'notes', c, []);
    }
    const rows = await sql.query<{ n: number }>('select count(*)::int as n from room_doc_updates where event_id = $1', [eventId]);
    // 7 stored, 5 folded in by the compaction after the fifth.
    expect(rows[0].n).toBe(2);
    const mid = await RoomDocs.open(sql, eventId, { readOnly: true });
    expect(mid.notesMarkdown()).toBe(text.toString());
    await mid.close();
    await live.close();
  });

  it('refuses garbage, truncated updates and thousands of random byte strings with DOC_INVALID, leaving the document and the database unchanged', async () => {
    const eventId = await newEvent();
    const host = await RoomDocs.open(sql, eventId);
    const c = client();
    c.doc.getText('markdown').insert(0, 'Keep me');
    const page = new Y.Array<number>();
    c.doc.getMap('pages').set('whiteboard:1', page);
    page.push([1, 2, 3]);
    await push(host, 'notes', c, []);
    const before = stateOf(host.document('notes'));
    const rowsBefore = await count('room_doc_updates', eventId);

    const valid = Y.encodeStateAsUpdate(c.doc);
    const cases: Uint8Array[] = [new Uint8Array(0), new Uint8Array([0]), new Uint8Array([255, 255, 255, 255, 255, 255, 255, 255, 255, 255])];
    for (let i = 1; i < valid.length; i++) cases.push(valid.slice(0, i));
    const rnd = prng(4242);
    for (let i = 0; i < 3000; i++) {
      const b = new Uint8Array(1 + Math.floor(rnd() * 64));
      for (let j = 0; j < b.length; j++) b[j] = Math.floor(rnd() * 256);
      cases.push(b);
    }
    cases.push(DECODES_BUT_DOES_NOT_APPLY);
    for (const bytes of cases) {
      expect(await refusal(host.apply('notes', bytes))).toBe('DOC_INVALID');
      expect(stateOf(host.document('notes'))).toBe(before);
    }
    expect(await count('room_doc_updates', eventId)).toBe(rowsBefore);
    // Still healthy: a good update applies after all that.
    c.doc.getText('markdown').insert(0, '> ');
    await push(host, 'notes', c, []);
    expect(host.notesMarkdown()).toBe('> Keep me');
    await host.close();
  });

  it('of thousands of byte-flipped updates, refuses those that do not decode or apply with DOC_INVALID (unchanged), and stays consistent with those it accepts', async () => {
    const eventId = await newEvent();
    // No compaction here: every accepted update must still be its own row at the end.
    const host = await RoomDocs.open(sql, eventId, { compactEvery: 1_000_000 });
    const c = client();
    c.doc.getText('markdown').insert(0, 'hello');
    const arr = new Y.Array<number>();
    c.doc.getMap('pages').set('k', arr);
    arr.push([1, 2, 3]);
    const valid = Y.encodeStateAsUpdate(c.doc);
    const rnd = prng(7);
    let refused = 0;
    let accepted = 0;
    for (let i = 0; i < 2000; i++) {
      const b = valid.slice();
      const flips = 1 + Math.floor(rnd() * 3);
      for (let j = 0; j < flips; j++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      const before = stateOf(host.document('notes'));
      const outcome = await refusal(host.apply('notes', b));
      if (outcome === 'accepted') accepted++;
      else {
        expect(outcome).toBe('DOC_INVALID');
        expect(stateOf(host.document('notes'))).toBe(before);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(1000);
    // What was accepted is what is on disk: a room opened from the database holds the same document.
    const mem = stateOf(host.document('notes'));
    const reader = await RoomDocs.open(sql, eventId, { readOnly: true });
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, Y.encodeStateAsUpdate(reader.document('notes')));
    const fromMem = new Y.Doc();
    Y.applyUpdate(fromMem, Buffer.from(mem, 'base64'));
    expect(fresh.getText('markdown').toString()).toBe(fromMem.getText('markdown').toString());
    expect(Y.encodeStateVector(fresh)).toEqual(Y.encodeStateVector(fromMem));
    expect(await count('room_doc_updates', eventId)).toBe(accepted);
    await reader.close();
    await host.close();
  });

  it('diff() refuses a state vector that does not parse with DOC_INVALID', async () => {
    const host = await RoomDocs.open(sql, await newEvent(), { readOnly: true });
    for (const sv of [new Uint8Array(0), new Uint8Array([1]), new Uint8Array([1, 5]), new Uint8Array([0, 0]), new Uint8Array([200, 1, 1, 1])]) {
      expect(() => host.diff('board', sv)).toThrowError(expect.objectContaining({ code: 'DOC_INVALID' }));
    }
    expect(host.diff('board', new Uint8Array([0])).stateVector).toEqual(new Uint8Array([0]));
    await host.close();
  });

  it('refuses an update that would take the document past its size cap with DOC_TOO_LARGE, changing nothing', async () => {
    const eventId = await newEvent();
    const host = await RoomDocs.open(sql, eventId, { maxDocBytes: 4_000 });
    const c = client();
    const text = c.doc.getText('markdown');
    let code = 'accepted';
    for (let i = 0; i < 50 && code === 'accepted'; i++) {
      text.insert(text.length, 'x'.repeat(200));
      const [u] = c.outbox.splice(0);
      const before = stateOf(host.document('notes'));
      code = await refusal(host.apply('notes', u));
      if (code !== 'accepted') expect(stateOf(host.document('notes'))).toBe(before);
    }
    expect(code).toBe('DOC_TOO_LARGE');
    expect(Y.encodeStateAsUpdate(host.document('notes')).length).toBeLessThanOrEqual(4_000);
    expect(host.notesMarkdown().length).toBeGreaterThan(3_000);
    await host.close();
  });

  it('a read-only host refuses writes with DOC_READ_ONLY and never writes on close', async () => {
    const eventId = await newEvent();
    const writer = await RoomDocs.open(sql, eventId);
    const c = client();
    c.doc.getText('markdown').insert(0, 'one');
    await push(writer, 'notes', c, []);
    const reader = await RoomDocs.open(sql, eventId, { readOnly: true, docs: ['notes'] });
    c.doc.getText('markdown').insert(0, 'two ');
    expect(await refusal(reader.apply('notes', c.outbox[0]))).toBe('DOC_READ_ONLY');
    await reader.close();
    expect(await count('room_docs', eventId)).toBe(0);
    expect(await count('room_doc_updates', eventId)).toBe(1);
    await writer.close();
  });
});
