import { useCallback, useState } from 'react';

/** Cursor pagination state: the cursors of the pages visited so far, so "previous" needs no server support. */
export interface CursorPager {
  cursor: string | undefined;
  hasPrevious: boolean;
  next(nextCursor: string | null | undefined): void;
  previous(): void;
  reset(): void;
}

/** Keeps a stack of visited cursors for a cursor-paginated list. */
export function useCursorPager(): CursorPager {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  const next = useCallback((c: string | null | undefined) => {
    if (c) setStack((s) => [...s, c]);
  }, []);
  const previous = useCallback(() => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)), []);
  const reset = useCallback(() => setStack([undefined]), []);
  return { cursor: stack[stack.length - 1], hasPrevious: stack.length > 1, next, previous, reset };
}
