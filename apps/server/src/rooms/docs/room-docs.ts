/**
 * The collaborative documents of one live room (docs/signaling.md, "Documents"): `board` and
 * `notes`, each a Yjs document held in memory and kept on disk as a compacted state plus the
 * updates accepted since. An update is checked on a shadow copy of the document first, so bytes
 * that do not apply never touch the live one; it is stored, and only then applied and
 * acknowledged. Only the room's coordinator opens a writable RoomDocs for an event (one writer);
 * readers (the notes download) open it read-only.
 */
import * as Y from 'yjs';
import { PodiumError, type EventId, type RoomDocName } from '@podium/protocol';
import type { Sql } from '../../storage/sql';
import type { RoomDocHost } from '../room-docs-port';
import { compactDoc, insertUpdate, loadDocs } from './doc-store';
import { checkStateVector, checkUpdate } from './update-check';

/** Largest encoded state a document may grow to (bytes); an update that would pass it gets DOC_TOO_LARGE. */
export const MAX_DOC_BYTES = 8 * 1024 * 1024;
/** Updates stored after the compacted state before the state is rewritten and the rows deleted. */
export const COMPACT_EVERY = 100;
/** Every document of a room. */
export const ROOM_DOC_NAMES: readonly RoomDocName[] = ['board', 'notes'];

/** Where RoomDocs reports trouble it recovers from (a pino logger fits). */
export interface DocsLog {
  warn(obj: Record<string, unknown>, msg: string): void;
}

/** Options of RoomDocs.open(). */
export interface RoomDocsOptions {
  /** Size cap per document (bytes of encoded state). Default MAX_DOC_BYTES. */
  maxDocBytes?: number;
  /** Compact after this many stored updates. Default COMPACT_EVERY. */
  compactEvery?: number;
  /** Never write (apply refuses with DOC_READ_ONLY, close does not compact): for readers beside a live room. */
  readOnly?: boolean;
  /** The documents to load (default both). */
  docs?: readonly RoomDocName[];
  log?: DocsLog;
}

/** One document: the live copy, its shadow (same content, used to try updates), and what is on disk. */
interface Hosted {
  live: Y.Doc;
  shadow: Y.Doc;
  /** Upper bound of the encoded state's size: the exact size at the last measure plus every update since. */
  sizeBound: number;
  /** Update rows on disk not yet folded into the compacted state, and the newest row's id. */
  rows: number;
  lastRowId: number;
}

function cloneDoc(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

/** The collaborative documents of one room (see file comment). */
export class RoomDocs implements RoomDocHost {
  private readonly docs = new Map<RoomDocName, Hosted>();
  // Applies and compactions run one after another, so disk order is memory order.
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly maxBytes: number;
  private readonly compactEvery: number;

  private constructor(private readonly sql: Sql, readonly eventId: EventId, private readonly opts: RoomDocsOptions) {
    this.maxBytes = opts.maxDocBytes ?? MAX_DOC_BYTES;
    this.compactEvery = Math.max(1, opts.compactEvery ?? COMPACT_EVERY);
  }

  /** Loads the event's documents (compacted state, then the updates stored since) from the database. */
  static async open(sql: Sql, eventId: EventId, opts: RoomDocsOptions = {}): Promise<RoomDocs> {
    const host = new RoomDocs(sql, eventId, opts);
    const stored = await loadDocs(sql, eventId, opts.docs ?? ROOM_DOC_NAMES);
    for (const [name, s] of stored) {
      const live = new Y.Doc();
      for (const bytes of [s.state, ...s.updates.map((u) => u.update)]) {
        if (!bytes) continue;
        try {
          Y.applyUpdate(live, bytes);
        } catch (err) {
          // Stored bytes were checked before they were written; one that fails now must not keep the room shut.
          opts.log?.warn({ eventId, doc: name, err }, 'stored document update does not apply; skipped');
        }
      }
      host.docs.set(name, {
        live,
        shadow: cloneDoc(live),
        sizeBound: Y.encodeStateAsUpdate(live).length,
        rows: s.updates.length,
        lastRowId: s.updates.length ? s.updates[s.updates.length - 1].id : 0,
      });
    }
    if (!opts.readOnly) for (const name of host.docs.keys()) host.enqueue(() => host.compactIfDue(name));
    return host;
  }

  /** What `doc` holds beyond the client's `stateVector`, and the server's state vector (DOC_INVALID for a bad vector). */
  diff(doc: RoomDocName, stateVector: Uint8Array): { update: Uint8Array; stateVector: Uint8Array } {
    const h = this.hosted(doc);
    checkStateVector(stateVector);
    return { update: Y.encodeStateAsUpdate(h.live, stateVector), stateVector: Y.encodeStateVector(h.live) };
  }

  /**
   * Checks, stores and applies a client's update; resolves once it is on disk and in the live
   * document. Refuses with DOC_INVALID (not an update, or one that does not apply), DOC_TOO_LARGE
   * (the document would pass its cap) or DOC_READ_ONLY (a read-only host); a refused update
   * changes nothing.
   */
  apply(doc: RoomDocName, update: Uint8Array): Promise<void> {
    let h: Hosted;
    try {
      h = this.hosted(doc);
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.opts.readOnly) return Promise.reject(new PodiumError('DOC_READ_ONLY'));
    const run = this.enqueue(() => this.applyNow(doc, h, update));
    this.enqueue(() => this.compactIfDue(doc));
    return run;
  }

  /** The shared notes as Markdown (the `markdown` text of the notes document). */
  notesMarkdown(): string {
    return this.hosted('notes').live.getText('markdown').toString();
  }

  /** The live document (read it; never write to it: changes go through apply()). */
  document(doc: RoomDocName): Y.Doc {
    return this.hosted(doc).live;
  }

  /** Waits for pending work, compacts what is not compacted yet, and lets go of the documents. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.tail;
    if (!this.opts.readOnly) {
      for (const [name, h] of this.docs) {
        if (h.rows > 0) await this.compact(name, h);
      }
    }
    for (const h of this.docs.values()) {
      h.live.destroy();
      h.shadow.destroy();
    }
  }

  private hosted(doc: RoomDocName): Hosted {
    if (this.closed) throw new PodiumError('SERVER_BUSY', 'The room\'s documents are closed.');
    const h = this.docs.get(doc);
    if (!h) throw new PodiumError('DOC_INVALID', `The document ${String(doc)} is not open here.`);
    return h;
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async applyNow(name: RoomDocName, h: Hosted, update: Uint8Array): Promise<void> {
    if (checkUpdate(update).empty) return;
    if (h.sizeBound + update.length > this.maxBytes) {
      // The bound says it might not fit: measure. The result can only grow by what the update carries.
      h.sizeBound = Y.encodeStateAsUpdate(h.live).length;
      if (h.sizeBound + update.length > this.maxBytes) throw new PodiumError('DOC_TOO_LARGE');
    }
    try {
      Y.applyUpdate(h.shadow, update);
    } catch {
      // A failed apply may have left half of the update in the shadow: start it again from the live copy.
      h.shadow.destroy();
      h.shadow = cloneDoc(h.live);
      throw new PodiumError('DOC_INVALID', 'The document update does not apply.');
    }
    let id: number;
    try {
      id = await insertUpdate(this.sql, this.eventId, name, update);
    } catch (err) {
      h.shadow.destroy();
      h.shadow = cloneDoc(h.live);
      throw err;
    }
    try {
      Y.applyUpdate(h.live, update);
    } catch {
      // Cannot happen (the shadow took it); if it does, the shadow is the truth that matches the disk.
      h.live.destroy();
      h.live = cloneDoc(h.shadow);
    }
    h.sizeBound += update.length;
    h.rows++;
    h.lastRowId = id;
  }

  private async compactIfDue(name: RoomDocName): Promise<void> {
    const h = this.docs.get(name)!;
    if (h.rows >= this.compactEvery) await this.compact(name, h);
  }

  private async compact(name: RoomDocName, h: Hosted): Promise<void> {
    const state = Y.encodeStateAsUpdate(h.live);
    try {
      await compactDoc(this.sql, this.eventId, name, state, h.lastRowId);
    } catch (err) {
      // Nothing is lost (the rows stay on disk); the next due compaction tries again.
      this.opts.log?.warn({ eventId: this.eventId, doc: name, err }, 'document compaction failed');
      return;
    }
    h.rows = 0;
    h.sizeBound = state.length;
  }
}
