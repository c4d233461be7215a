/**
 * After an erasure, live rooms drop the person: every participant of theirs still connected is
 * removed (the room's roster, hands and stage forget them). The room's in-memory chat and Q&A are
 * reloaded from SQL when it next opens.
 */
import { roomSubjects, type EventId, type ParticipantId } from '@podium/protocol';
import type { AppContext } from '../context';

type Ctx = Pick<AppContext, 'sql'> & Partial<Pick<AppContext, 'bus' | 'log'>>;

/** Tells each live room to remove the erased person's open participants; returns how many rooms were told. */
export async function notifyRoomsOfErasure(ctx: Ctx, live: { eventId: EventId; participantIds: ParticipantId[] }[]): Promise<number> {
  if (!ctx.bus || !ctx.log || !live.length) return 0;
  const full = ctx as AppContext;
  for (const room of live) {
    for (const participantId of room.participantIds) {
      await full.bus.request(roomSubjects(room.eventId).commands, { kind: 'leave', eventId: room.eventId, participantId, reason: 'removed' }, { timeoutMs: 5_000 })
        .catch((err: Error) => full.log.warn({ eventId: room.eventId, err: { name: err.name } }, 'privacy: room not told of an erasure'));
    }
  }
  return live.length;
}
