import { useEffect, useRef, useState } from 'react';
import type { RoomModel } from '@podium/client';

interface Floating {
  id: number;
  emoji: string;
  left: number;
  delay: number;
}

/** Most emoji floating at once (a burst from a large audience is shown, not drawn one by one). */
const MAX_FLOATING = 40;

/** Incoming reactions as emoji floating up over the stage (a few per burst, however many people reacted). */
export function ReactionsOverlay({ model }: { model: RoomModel }) {
  const [items, setItems] = useState<Floating[]>([]);
  const next = useRef(1);
  const seen = useRef(model.reactions.n);
  useEffect(() => {
    if (model.reactions.n === seen.current) return;
    seen.current = model.reactions.n;
    const add: Floating[] = [];
    for (const { emoji, count } of model.reactions.counts) {
      const shown = Math.min(6, Math.max(1, Math.round(Math.log2(count + 1) * 1.5)));
      for (let i = 0; i < shown; i++) add.push({ id: next.current++, emoji, left: 8 + Math.random() * 84, delay: i * 120 });
    }
    setItems((list) => [...list, ...add].slice(-MAX_FLOATING));
    const ids = new Set(add.map((a) => a.id));
    // Not cleared when the next burst comes: each burst leaves on its own time.
    setTimeout(() => setItems((list) => list.filter((x) => !ids.has(x.id))), 3600);
  }, [model.reactions]);
  const total = model.reactions.counts.reduce((n, c) => n + c.count, 0);
  return (
    <div className="rm-reactions" aria-hidden="true" data-reactions-seen={model.reactions.n} data-reactions-total={total}>
      {items.map((x) => (
        <span key={x.id} className="rm-float" style={{ left: `${x.left}%`, animationDelay: `${x.delay}ms` }}>{x.emoji}</span>
      ))}
    </div>
  );
}
