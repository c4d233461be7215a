/**
 * The smallest single edit that turns one text into another (what a keystroke, paste or cut in a
 * textarea did): the common start and end are kept, the middle replaced. Indexes are UTF-16 code
 * units like Y.Text's; an edge never falls inside a surrogate pair, so an emoji is replaced whole.
 */

/** Replace `remove` characters at `index` with `insert`. */
export interface TextEdit {
  index: number;
  remove: number;
  insert: string;
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** The edit from `before` to `after`, or null when they are equal. */
export function diffText(before: string, after: string): TextEdit | null {
  if (before === after) return null;
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  // Do not split a pair: back off to its high half.
  if (start > 0 && isHigh(before.charCodeAt(start - 1)) && (isLow(before.charCodeAt(start)) || isLow(after.charCodeAt(start)))) start--;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  if (end > 0 && isLow(before.charCodeAt(before.length - end)) && (isHigh(before.charCodeAt(before.length - end - 1)) || isHigh(after.charCodeAt(after.length - end - 1)))) end--;
  return { index: start, remove: before.length - start - end, insert: after.slice(start, after.length - end) };
}

/** `text` with the edit applied. */
export function applyEdit(text: string, e: TextEdit): string {
  return text.slice(0, e.index) + e.insert + text.slice(e.index + e.remove);
}

/** A Y.Text change (its event's delta) as a list of retain / insert / delete steps. */
export type TextDelta = readonly { retain?: number; insert?: unknown; delete?: number }[];

/**
 * Where `index` of the text before `delta` ends up after it. An insert exactly at the index
 * pushes it right unless `stickLeft` (so a caret stays before text inserted at its position by
 * someone else only when asked).
 */
export function mapIndex(index: number, delta: TextDelta, stickLeft = false): number {
  let pos = 0; // position in the old text
  let shift = 0;
  for (const op of delta) {
    if (op.retain !== undefined) pos += op.retain;
    else if (op.insert !== undefined) {
      const len = typeof op.insert === 'string' ? op.insert.length : 1;
      if (pos < index || (pos === index && !stickLeft)) shift += len;
    } else if (op.delete !== undefined) {
      if (pos < index) shift -= Math.min(op.delete, index - pos);
      pos += op.delete;
    }
    if (pos > index) break;
  }
  return Math.max(0, index + shift);
}
