/**
 * Checks on bytes a client sent before they reach a live document: a state vector is parsed
 * strictly here (Yjs' own decoder reads past garbage), an update is decoded with Yjs to see that
 * it is an update at all. Whether it also applies is decided on a shadow copy (room-docs.ts).
 */
import * as Y from 'yjs';
import { PodiumError } from '@podium/protocol';

/** Reads one unsigned LEB128 varint (lib0's encoding) up to 2^53; null past the end or when too long. */
function readVarUint(bytes: Uint8Array, at: { pos: number }): number | null {
  let value = 0;
  let mult = 1;
  for (let i = 0; i < 8; i++) {
    if (at.pos >= bytes.length) return null;
    const b = bytes[at.pos++];
    value += (b & 0x7f) * mult;
    if (b < 0x80) return Number.isSafeInteger(value) ? value : null;
    mult *= 128;
  }
  return null;
}

/**
 * Throws DOC_INVALID unless `sv` is exactly one Yjs state vector: a count, then that many
 * (client, clock) pairs, and nothing after them.
 */
export function checkStateVector(sv: Uint8Array): void {
  const at = { pos: 0 };
  const count = readVarUint(sv, at);
  // Each pair takes at least two bytes: a larger count cannot be honest.
  if (count === null || count * 2 > sv.length - at.pos) throw new PodiumError('DOC_INVALID', 'The state vector cannot be read.');
  for (let i = 0; i < count; i++) {
    if (readVarUint(sv, at) === null || readVarUint(sv, at) === null) throw new PodiumError('DOC_INVALID', 'The state vector cannot be read.');
  }
  if (at.pos !== sv.length) throw new PodiumError('DOC_INVALID', 'The state vector has trailing bytes.');
}

/**
 * Decodes `update` as a Yjs (v1) update; throws DOC_INVALID when it is not one. Returns true when
 * it carries nothing (no structs, no deletions), so callers can skip storing it.
 */
export function checkUpdate(update: Uint8Array): { empty: boolean } {
  if (update.length === 0) throw new PodiumError('DOC_INVALID', 'The update is empty.');
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    throw new PodiumError('DOC_INVALID');
  }
  return { empty: decoded.structs.length === 0 && decoded.ds.clients.size === 0 };
}
