import { useEffect, useRef, useState } from 'react';
import * as Y from 'yjs';
import type { TimelineEntry } from '@podium/protocol';
import { entriesUntil, fromBase64 } from './playback-model';

/**
 * The board's Y.Doc as it was at `t`: moving forward applies the updates since the last position;
 * moving back starts a fresh document and replays up to `t` (Yjs cannot take updates back).
 */
export function useBoardDoc(entries: readonly TimelineEntry[], t: number): Y.Doc {
  const [doc, setDoc] = useState(() => new Y.Doc());
  const applied = useRef({ doc, end: 0 });

  useEffect(() => {
    const end = entriesUntil(entries, t);
    let state = applied.current;
    if (end === state.end) return;
    let target = state.doc;
    let from = state.end;
    if (end < state.end) {
      target = new Y.Doc();
      from = 0;
    }
    for (let i = from; i < end; i++) {
      const e = entries[i]!;
      const update = e.type === 'initial' ? e.board : e.type === 'doc-update' && e.doc === 'board' ? e.update : undefined;
      if (!update) continue;
      try {
        Y.applyUpdate(target, fromBase64(update), 'timeline');
      } catch {
        // A damaged update is skipped: the rest of the board still shows.
      }
    }
    if (target !== state.doc) {
      const old = state.doc;
      setDoc(target);
      // Destroyed after the board let go of it.
      setTimeout(() => old.destroy(), 0);
    }
    state = { doc: target, end };
    applied.current = state;
  }, [entries, t]);

  useEffect(() => () => applied.current.doc.destroy(), []);
  return doc;
}
