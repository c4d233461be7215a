import { isUtf8 } from 'node:buffer';
import { hasControlBytes } from '../sniff';

/** Bytes a UTF-8 sequence starting with `lead` has (1 for a byte that starts none). */
function sequenceLength(lead: number): number {
  return lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
}

/** How many bytes at the end of `b` begin a character that `b` does not complete. */
function incompleteTail(b: Uint8Array): number {
  for (let i = 1; i <= Math.min(3, b.length); i++) {
    const c = b[b.length - i];
    if ((c & 0xc0) === 0x80) continue;
    return sequenceLength(c) > i ? i : 0;
  }
  return 0;
}

/**
 * Streams the whole file through strict UTF-8 validation and the control-character rule; false at
 * the first byte that is not text. Works on the chunks in place (no decoding into strings): a
 * character split between chunks is completed from the next one.
 */
export async function isText(source: AsyncIterable<Uint8Array>): Promise<boolean> {
  let carry: Uint8Array = new Uint8Array(0);
  for await (const chunk of source) {
    if (hasControlBytes(chunk)) return false;
    let start = 0;
    if (carry.length) {
      const need = sequenceLength(carry[0]) - carry.length;
      if (chunk.length < need) {
        carry = Buffer.concat([carry, chunk]);
        continue;
      }
      if (!isUtf8(Buffer.concat([carry, chunk.subarray(0, need)]))) return false;
      start = need;
    }
    const tail = incompleteTail(chunk.subarray(start));
    if (!isUtf8(chunk.subarray(start, chunk.length - tail))) return false;
    carry = chunk.slice(chunk.length - tail);
  }
  return carry.length === 0;
}
