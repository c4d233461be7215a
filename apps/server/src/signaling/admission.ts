import { PodiumError, type EventId, type JoinRole, type RoomEventSummary } from '@podium/protocol';
import type { AppContext } from '../context';
import { joinInfo } from '../registrations/join-info';

/** Who a valid join token lets into which room. */
export interface Admission {
  eventId: EventId;
  event: RoomEventSummary;
  displayName: string;
  role: JoinRole;
}

/**
 * Checks a join token the way the join page does (signature, expiry, event present, registration
 * or membership still present; TOKEN_INVALID otherwise), then the event's status: anyone may enter
 * a live event, hosts and presenters also a scheduled one (to prepare); an ended or cancelled
 * event admits nobody.
 */
export async function admit(ctx: AppContext, token: string): Promise<Admission> {
  const info = await joinInfo(ctx, token);
  const status = info.event.status;
  if (status === 'cancelled') throw new PodiumError('EVENT_CANCELLED');
  if (status === 'ended') throw new PodiumError('EVENT_ENDED');
  if (status === 'scheduled' && info.role === 'attendee') throw new PodiumError('EVENT_NOT_LIVE');
  const e = info.event;
  return {
    eventId: e.id as EventId,
    event: {
      id: e.id, title: e.title, type: e.type, status: e.status, startsAt: e.startsAt, durationMinutes: e.durationMinutes, orgName: e.orgName,
    },
    displayName: info.name,
    role: info.role,
  };
}
