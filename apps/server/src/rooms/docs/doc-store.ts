/**
 * The SQL of a room's collaborative documents (tables room_docs and room_doc_updates of
 * 002_rooms.sql): a compacted state per document plus the updates accepted since, in order.
 * Only the room's coordinator writes them; compaction replaces the state and deletes the rows it
 * folded in, in one transaction, so a crash at any point leaves a state that converges.
 */
import type { EventId, RoomDocName } from '@podium/protocol';
import type { Sql, SqlRunner } from '../../storage/sql';

/** One document as stored: its compacted state and the updates since, oldest first. */
export interface StoredDoc {
  state: Uint8Array | null;
  updates: { id: number; update: Uint8Array }[];
}

// node-pg returns bytea as Buffer, PGlite as Uint8Array: both are Uint8Arrays; copy out of pooled buffers.
const bytes = (v: Uint8Array): Uint8Array => new Uint8Array(v);

/** Loads the stored state and pending updates of the event's documents. */
export async function loadDocs(db: SqlRunner, eventId: EventId, docs: readonly RoomDocName[]): Promise<Map<RoomDocName, StoredDoc>> {
  const out = new Map<RoomDocName, StoredDoc>(docs.map((d) => [d, { state: null, updates: [] }]));
  const states = await db.query<{ doc: RoomDocName; state: Uint8Array }>(
    'select doc, state from room_docs where event_id = $1 and doc = any($2::text[])', [eventId, docs],
  );
  for (const r of states) out.get(r.doc)!.state = bytes(r.state);
  const updates = await db.query<{ id: number | string; doc: RoomDocName; update: Uint8Array }>(
    'select id, doc, update from room_doc_updates where event_id = $1 and doc = any($2::text[]) order by id', [eventId, docs],
  );
  for (const r of updates) out.get(r.doc)!.updates.push({ id: Number(r.id), update: bytes(r.update) });
  return out;
}

/** Stores one accepted update; resolves with its row id once it is committed. */
export async function insertUpdate(db: SqlRunner, eventId: EventId, doc: RoomDocName, update: Uint8Array): Promise<number> {
  const [row] = await db.query<{ id: number | string }>(
    'insert into room_doc_updates (event_id, doc, update) values ($1, $2, $3) returning id', [eventId, doc, update],
    { prepare: 'room_doc_insert_update' },
  );
  return Number(row.id);
}

/** Replaces the document's compacted state with `state` and deletes the update rows up to `upToId` it contains. */
export async function compactDoc(sql: Sql, eventId: EventId, doc: RoomDocName, state: Uint8Array, upToId: number): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.query(
      `insert into room_docs (event_id, doc, state, updated_at) values ($1, $2, $3, now())
       on conflict (event_id, doc) do update set state = excluded.state, updated_at = excluded.updated_at`,
      [eventId, doc, state],
    );
    await tx.query('delete from room_doc_updates where event_id = $1 and doc = $2 and id <= $3', [eventId, doc, upToId]);
  });
}
