/**
 * What a file is, from its first bytes (magic numbers), never from its name or a header. Text
 * has no magic number: a head of valid UTF-8 without control characters is a text candidate,
 * which the full check confirms.
 */

/** Formats Podium recognises. `zip` is a container (office documents are told apart later). */
export type SniffedFormat = 'pdf' | 'png' | 'jpeg' | 'gif' | 'webp' | 'zip' | 'text' | 'unknown';

/** How many leading bytes `sniffFormat` needs to decide. */
export const SNIFF_BYTES = 4096;

const startsWith = (head: Buffer, magic: number[] | string, at = 0) => {
  const bytes = typeof magic === 'string' ? Buffer.from(magic, 'latin1') : Buffer.from(magic);
  return head.length >= at + bytes.length && head.subarray(at, at + bytes.length).equals(bytes);
};

/** True when `bytes` hold a NUL or another control character than tab, line feed, carriage return and form feed. */
export function hasControlBytes(bytes: Uint8Array): boolean {
  for (const b of bytes) if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) || b === 0x7f) return true;
  return false;
}

/** True when the head is text: valid UTF-8 (an incomplete character may end it unless `complete`) without control bytes. */
export function looksLikeText(head: Buffer, complete: boolean): boolean {
  if (hasControlBytes(head)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !complete });
    return true;
  } catch {
    return false;
  }
}

/** The format the first bytes of a file show (`head` = up to SNIFF_BYTES; `complete` when that is the whole file). */
export function sniffFormat(head: Buffer, complete: boolean): SniffedFormat {
  if (startsWith(head, '%PDF-')) return 'pdf';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(head, 'GIF87a') || startsWith(head, 'GIF89a')) return 'gif';
  if (startsWith(head, 'RIFF') && startsWith(head, 'WEBP', 8)) return 'webp';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return 'zip';
  if (head.length > 0 && looksLikeText(head, complete)) return 'text';
  return 'unknown';
}
