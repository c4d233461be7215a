import * as Y from 'yjs';
import { RoomDocSync, mayEdit, type RoomConnection, type DocSyncError, type SignalingClient } from '@podium/client';

/**
 * The room's two shared documents (board: whiteboard and annotations; notes) for one stay. The
 * Y.Docs outlive reconnects, so drawings made while the connection was down are sent once it is
 * back: each admitted connection starts both syncs again, and so does gaining the right to write
 * (the server keeps a client's later changes aside until it has the refused ones).
 */
export class RoomDocs {
  readonly board = new Y.Doc();
  readonly notes = new Y.Doc();
  readonly boardSync = new RoomDocSync(this.board, 'board');
  readonly notesSync = new RoomDocSync(this.notes, 'notes');
  private started: { signal: SignalingClient | null; board: boolean; notes: boolean } = { signal: null, board: false, notes: false };
  private readonly stops: (() => void)[] = [];

  constructor(private readonly conn: RoomConnection, onError?: (doc: 'board' | 'notes', e: DocSyncError) => void) {
    this.stops.push(conn.subscribe(() => this.follow()));
    if (onError) {
      this.stops.push(this.boardSync.on('error', (e) => onError('board', e)));
      this.stops.push(this.notesSync.on('error', (e) => onError('notes', e)));
    }
    this.follow();
  }

  private follow(): void {
    const snap = this.conn.snapshot();
    const signal = this.conn.signal;
    const model = snap.model;
    if (snap.phase !== 'joined' || !signal || !model || model.admission !== 'admitted') return;
    const board = mayEdit(model, 'board');
    const notes = mayEdit(model, 'notes');
    const fresh = this.started.signal !== signal;
    const prev = this.started;
    this.started = { signal, board, notes };
    if (fresh || (board && !prev.board)) void this.boardSync.start(signal).catch(() => undefined);
    if (fresh || (notes && !prev.notes)) void this.notesSync.start(signal).catch(() => undefined);
  }

  /** Stops syncing and frees the documents. */
  destroy(): void {
    for (const s of this.stops.splice(0)) s();
    this.boardSync.destroy();
    this.notesSync.destroy();
    this.board.destroy();
    this.notes.destroy();
  }
}
