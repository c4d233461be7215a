/**
 * After an erasure, live rooms forget the person: each room the person was in is told
 * (`person-erased`): it drops their connections, takes their chat messages off every screen and
 * reloads chat and Q&A from SQL, where the erasure already replaced them.
 */
import type { EventId } from '@podium/protocol';
import type { AppContext } from '../context';
import { notifyRoom } from '../rooms/notify-room';

type Ctx = Pick<AppContext, 'sql'> & Partial<Pick<AppContext, 'bus' | 'log'>>;

/** Tells each live room of the erasure; returns how many rooms were told. */
export async function notifyRoomsOfErasure(ctx: Ctx, live: { eventId: EventId; personIds: string[] }[]): Promise<number> {
  if (!ctx.bus || !ctx.log || !live.length) return 0;
  for (const room of live) await notifyRoom(ctx as AppContext, room.eventId, { kind: 'person-erased', eventId: room.eventId, personIds: room.personIds.slice(0, 100) });
  return live.length;
}
