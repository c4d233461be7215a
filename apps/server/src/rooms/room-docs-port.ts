import type { RoomDocName } from '@podium/protocol';

/**
 * What the coordinator needs of a room's collaborative documents (implemented by RoomDocs in
 * rooms/docs/): the diff a client lacks, and applying an update once it is stored.
 */
export interface RoomDocHost {
  /** What the document holds beyond `stateVector`, and the server's own state vector. */
  diff(doc: RoomDocName, stateVector: Uint8Array): { update: Uint8Array; stateVector: Uint8Array };
  /** Validates, stores, then applies an update (DOC_INVALID, DOC_TOO_LARGE). */
  apply(doc: RoomDocName, update: Uint8Array): Promise<void>;
  /** Compacts and lets go of the documents. */
  close(): Promise<void> | void;
}
