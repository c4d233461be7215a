import { useCallback, useState } from 'react';

/** Previous/next navigation over a cursor-paginated list (the API only knows "next", so earlier cursors are kept). */
export interface CursorPager {
  /** The cursor of the page to load (undefined for the first page). */
  cursor: string | undefined;
  hasPrevious: boolean;
  /** Goes to the page after the current one. */
  next(nextCursor: string): void;
  previous(): void;
  /** Back to the first page (after a change that reorders the list). */
  reset(): void;
}

/** Keeps the stack of cursors of the pages visited so far. */
export function useCursorPager(): CursorPager {
  const [stack, setStack] = useState<string[]>([]);
  const next = useCallback((c: string) => setStack((s) => [...s, c]), []);
  const previous = useCallback(() => setStack((s) => s.slice(0, -1)), []);
  const reset = useCallback(() => setStack([]), []);
  return { cursor: stack[stack.length - 1], hasPrevious: stack.length > 0, next, previous, reset };
}
