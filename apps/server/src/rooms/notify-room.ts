import { roomSubjects, type EventId, type RoomCommand } from '@podium/protocol';
import type { AppContext } from '../context';

const NOTIFY_TIMEOUT_MS = 5_000;

/**
 * Tells an event's live room about a change made outside it (status, files, polls, settings
 * through the REST API). A room that is not open has nothing to update: it loads the change
 * when it opens. Never throws: the change itself is already committed.
 */
export async function notifyRoom(ctx: AppContext, eventId: EventId, cmd: Exclude<RoomCommand, { kind: 'join' | 'leave' | 'client' }>): Promise<void> {
  await ctx.bus.request(roomSubjects(eventId).commands, cmd, { timeoutMs: NOTIFY_TIMEOUT_MS }).catch((err: Error) => {
    ctx.log.warn({ eventId, kind: cmd.kind, err: { name: err.name } }, 'room: notification failed');
  });
}
