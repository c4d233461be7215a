/**
 * Keeps one Yjs document of the room (`board` or `notes`) in step with the server over signaling
 * (docs/signaling.md, "Documents"). `start(signal)` runs the sync exchange — doc-sync with the
 * local state vector, apply doc-state, send back what only this client has — and from then on
 * local changes are batched (merged, sent at most every `flushMs`, one batch in flight so the
 * server gets them in order) as doc-update, and the room's doc-update events are applied.
 *
 * Local changes are kept until the server acknowledges them: edits made while disconnected, or
 * whose batch was cut off by a dropped connection, go out after the next `start()` with a new
 * connection (call it from RoomConnection.onSession, once admitted). Updates the server refuses
 * (DOC_READ_ONLY, DOC_INVALID, DOC_TOO_LARGE) and single changes too large for one message are
 * reported as `error` events and dropped: sending them again could not succeed. (Yjs changes of one
 * client build on each other: the server keeps later changes of this client aside until it has the
 * refused one, so once allowed to write, start() again — the resync sends everything.)
 */
import * as Y from 'yjs';
import { MAX_DOC_UPDATE_CHARS, type RoomDocName, type ServerMessageOf } from '@podium/protocol';
import { base64Length, base64ToBytes, bytesToBase64 } from './base64';
import { SignalError, type SignalingClient } from './signaling-client';

/** The transaction origin of changes that came from the server; everything else is local and is sent. */
export const REMOTE_ORIGIN = 'remote';

/** What RoomDocSync needs of a signaling connection (SignalingClient has it). */
export type DocSignal = Pick<SignalingClient, 'request' | 'on'>;

/** Why a local change did not reach the server. */
export interface DocSyncError {
  /** A registry code the server answered (DOC_READ_ONLY, DOC_INVALID, DOC_TOO_LARGE…), or DOC_UPDATE_TOO_LARGE for a change too large to send. */
  code: string;
  message: string;
}

/** Events of a RoomDocSync. */
export interface RoomDocSyncEvents {
  /** The sync exchange of a start() finished: the document holds what the server has. */
  synced: () => void;
  /** A change was refused or could not be sent (see DocSyncError). */
  error: (e: DocSyncError) => void;
}

/** Options of a RoomDocSync. */
export interface RoomDocSyncOptions {
  /** Longest wait before local changes are sent, ms. Default 100. */
  flushMs?: number;
  /** Largest doc-update payload (base64 characters). Default MAX_DOC_UPDATE_CHARS. */
  maxUpdateChars?: number;
  /** Timers (tests). */
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (id: unknown) => void;
}

/** Codes after which a batch is sent again later instead of being dropped. */
const RETRY_CODES = new Set(['SIGNAL_RATE_LIMITED', 'SERVER_BUSY']);
const MAX_BACKOFF_MS = 4_000;

/** True when a Yjs update carries nothing (no structs, no deletions). */
function isEmptyUpdate(update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  return structs.length === 0 && ds.clients.size === 0;
}

/** Binds a Y.Doc to the room's copy of one document (see file comment). */
export class RoomDocSync {
  private signal: DocSignal | null = null;
  private offSignal: (() => void)[] = [];
  private ready = false;
  // Local updates not yet acknowledged, oldest first; the first `inFlight` of them are being sent.
  private queue: Uint8Array[] = [];
  private inFlight = 0;
  private sending: Promise<void> | null = null;
  private timer: unknown = null;
  private backoffMs = 0;
  private generation = 0;
  private destroyed = false;
  private readonly listeners: { [K in keyof RoomDocSyncEvents]: Set<RoomDocSyncEvents[K]> } = { synced: new Set(), error: new Set() };
  private readonly flushMs: number;
  private readonly maxChars: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (id: unknown) => void;
  private readonly onLocalUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === REMOTE_ORIGIN) return;
    this.queue.push(update);
    this.schedule();
  };

  constructor(readonly doc: Y.Doc, readonly name: RoomDocName, opts: RoomDocSyncOptions = {}) {
    this.flushMs = opts.flushMs ?? 100;
    this.maxChars = opts.maxUpdateChars ?? MAX_DOC_UPDATE_CHARS;
    this.setTimer = opts.setTimeout ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = opts.clearTimeout ?? ((id) => clearTimeout(id as ReturnType<typeof setTimeout>));
    doc.on('update', this.onLocalUpdate);
  }

  /** True between a finished sync exchange and stop() or the connection's end. */
  get synced(): boolean {
    return this.ready;
  }

  /** Local changes the server has not acknowledged yet. */
  get pending(): number {
    return this.queue.length;
  }

  /** Listens to an event; returns a function that stops listening. */
  on<K extends keyof RoomDocSyncEvents>(type: K, listener: RoomDocSyncEvents[K]): () => void {
    this.listeners[type].add(listener);
    return () => this.listeners[type].delete(listener);
  }

  /**
   * Syncs with the server through `signal` (a joined, admitted connection) and keeps syncing over
   * it. Calling it again with a new connection (after a reconnect) resyncs. Rejects when the
   * exchange fails (the connection closed, or the server refused); start() again later.
   */
  async start(signal: DocSignal): Promise<void> {
    if (this.destroyed) throw new Error('RoomDocSync destroyed');
    this.stop();
    const generation = ++this.generation;
    this.signal = signal;
    // Listen before asking, so no update published between the reply and the listener is missed.
    this.offSignal.push(
      signal.on('doc-update', (msg: ServerMessageOf<'doc-update'>) => {
        if (msg.doc === this.name) this.applyRemote(msg.update);
      }),
      signal.on('close', () => {
        if (generation === this.generation) this.stop();
      }),
    );
    const reply = await signal.request({ type: 'doc-sync', doc: this.name, stateVector: bytesToBase64(Y.encodeStateVector(this.doc)) });
    if (generation !== this.generation) return;
    if (reply.type !== 'doc-state') throw new Error(`unexpected reply ${reply.type} to doc-sync`);
    this.applyRemote(reply.update);
    const mine = Y.encodeStateAsUpdate(this.doc, base64ToBytes(reply.stateVector));
    // What only we have covers every queued change; send it as one update when it fits, else the changes one by one.
    if (isEmptyUpdate(mine)) this.queue = [];
    else if (base64Length(mine.length) <= this.maxChars) this.queue = [mine];
    this.ready = true;
    this.backoffMs = 0;
    this.emit('synced');
    if (this.queue.length) this.schedule(0);
  }

  /** Stops syncing over the current connection (local changes are kept for the next start()). */
  stop(): void {
    this.generation++;
    for (const off of this.offSignal.splice(0)) off();
    this.signal = null;
    this.ready = false;
    this.inFlight = 0;
    this.sending = null;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }

  /** Stops and lets go of the document (its changes are no longer recorded). */
  destroy(): void {
    this.stop();
    this.destroyed = true;
    this.doc.off('update', this.onLocalUpdate);
    this.queue = [];
  }

  /**
   * Sends the queued changes now, batch after batch; resolves once every one was acknowledged or
   * refused, or when the server asks to wait (rate limit: the changes stay queued and go out later).
   */
  async flush(): Promise<void> {
    for (;;) {
      if (this.sending) {
        await this.sending;
        continue;
      }
      if (!this.ready || !this.queue.length || this.backoffMs > 0) return;
      if (this.timer !== null) this.clearTimer(this.timer);
      this.timer = null;
      await this.sendBatch();
    }
  }

  private emit<K extends keyof RoomDocSyncEvents>(type: K, ...args: Parameters<RoomDocSyncEvents[K]>): void {
    for (const l of [...this.listeners[type]]) {
      try {
        (l as (...a: unknown[]) => void)(...args);
      } catch {
        // A listener's failure must not stop syncing.
      }
    }
  }

  private applyRemote(b64: string): void {
    try {
      Y.applyUpdate(this.doc, base64ToBytes(b64), REMOTE_ORIGIN);
    } catch {
      this.emit('error', { code: 'DOC_INVALID', message: 'A document update from the server could not be applied.' });
    }
  }

  private schedule(delay = this.flushMs + this.backoffMs): void {
    if (!this.ready || this.timer !== null || this.inFlight) return;
    this.timer = this.setTimer(() => {
      this.timer = null;
      void this.sendBatch();
    }, delay);
  }

  /** The longest run of queued updates whose merge fits one message (at least one, which may not fit). */
  private nextBatch(): { count: number; update: Uint8Array } {
    const maxBytes = Math.floor((this.maxChars / 4) * 3);
    let count = 0;
    let bytes = 0;
    while (count < this.queue.length && (count === 0 || bytes + this.queue[count].length <= maxBytes)) bytes += this.queue[count++].length;
    let update = count === 1 ? this.queue[0] : Y.mergeUpdates(this.queue.slice(0, count));
    // A merge is about the sum of its parts; should it come out larger, send the first alone.
    if (count > 1 && base64Length(update.length) > this.maxChars) {
      count = 1;
      update = this.queue[0];
    }
    return { count, update };
  }

  private sendBatch(): Promise<void> {
    if (this.sending) return this.sending;
    const run = this.send().finally(() => {
      if (this.sending === run) this.sending = null;
    });
    this.sending = run;
    return run;
  }

  private async send(): Promise<void> {
    const signal = this.signal;
    if (!signal || !this.ready || this.inFlight || !this.queue.length) return;
    const { count, update } = this.nextBatch();
    if (base64Length(update.length) > this.maxChars) {
      this.queue.splice(0, 1);
      this.emit('error', { code: 'DOC_UPDATE_TOO_LARGE', message: 'A change is too large to share; undo it or make it smaller.' });
      this.schedule(0);
      return;
    }
    const generation = this.generation;
    const sent = this.queue.slice(0, count);
    this.inFlight = count;
    try {
      await signal.request({ type: 'doc-update', doc: this.name, update: bytesToBase64(update) });
      if (generation !== this.generation) return;
      this.backoffMs = 0;
      this.drop(sent);
    } catch (err) {
      if (generation !== this.generation) return;
      if (err instanceof SignalError && !RETRY_CODES.has(err.code)) {
        this.drop(sent);
        this.emit('error', { code: err.code, message: err.message });
      } else {
        // Rate limited, busy or cut off: keep the changes and try again a little later.
        this.backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(this.flushMs, this.backoffMs * 2));
      }
    } finally {
      if (generation === this.generation) this.inFlight = 0;
    }
    if (generation === this.generation && this.queue.length) this.schedule();
  }

  private drop(sent: Uint8Array[]): void {
    // The sent updates are still the queue's first ones: only acknowledgements remove from the front.
    if (sent.every((u, i) => this.queue[i] === u)) this.queue.splice(0, sent.length);
  }
}
