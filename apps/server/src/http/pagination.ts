import { PodiumError, type PageOf } from '@podium/protocol';

/** Items per page when the client does not say (matches PageQuery's default). */
export const DEFAULT_PAGE_LIMIT = 50;
/** Largest page a client may ask for (matches PageQuery's maximum). */
export const MAX_PAGE_LIMIT = 200;

/** One component of a sort key: what keyset pagination compares (ISO timestamps go in as strings). */
export type CursorPart = string | number;
/** The sort key of the last row of a page, e.g. `[createdAtIso, id]`. */
export type CursorKey = readonly CursorPart[];

/** The page size to use for a `PageQuery`, clamped to the allowed range. */
export function pageLimit(query: { limit?: number }): number {
  const n = query.limit ?? DEFAULT_PAGE_LIMIT;
  return Math.min(MAX_PAGE_LIMIT, Math.max(1, Math.trunc(n)));
}

/** Opaque cursor for a sort key: base64url of its JSON, so clients cannot rely on its shape. */
export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function badCursor(): PodiumError {
  return new PodiumError('VALIDATION_FAILED', 'The cursor is not valid.', {
    issues: [{ path: '/querystring/cursor', message: 'is not a cursor returned by this list' }],
  });
}

/**
 * The sort key inside a cursor, or null for the first page. `shape` lists the expected type of
 * each part; a cursor that does not match (tampered, or from another list) is a VALIDATION_FAILED.
 */
export function decodeCursor<const S extends readonly ('string' | 'number')[]>(
  cursor: string | undefined,
  shape: S,
): { [I in keyof S]: S[I] extends 'number' ? number : string } | null {
  if (cursor === undefined || cursor === '') return null;
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw badCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (!Array.isArray(parsed) || parsed.length !== shape.length) throw badCursor();
  parsed.forEach((part, i) => {
    if (typeof part !== shape[i]) throw badCursor();
    if (typeof part === 'number' && !Number.isFinite(part)) throw badCursor();
  });
  return parsed as { [I in keyof S]: S[I] extends 'number' ? number : string };
}

/** A sort-key part for an ISO timestamp decoded from a cursor; rejects strings that are not dates. */
export function cursorDate(iso: string): Date {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw badCursor();
  return d;
}

/**
 * Builds a page from rows fetched with `limit + 1`: the extra row only tells that another page
 * exists, and the cursor is the sort key of the last row shown.
 */
export function slicePage<Row, Item>(
  rows: readonly Row[],
  limit: number,
  keyOf: (row: Row) => CursorKey,
  toItem: (row: Row) => Item,
): PageOf<Item> {
  const shown = rows.slice(0, limit);
  const more = rows.length > limit && shown.length > 0;
  return {
    items: shown.map(toItem),
    nextCursor: more ? encodeCursor(keyOf(shown[shown.length - 1])) : null,
  };
}
