import { PodiumError, type EventId, type JoinRole, type RoomEventSummary } from '@podium/protocol';
import type { AppContext } from '../context';
import { verifyPassword } from '../accounts/passwords';
import { mayEnterRecordedEvent } from '../privacy/consent';
import { resolveJoinToken } from '../registrations/join-info';

/** Who a valid join token lets into which room. */
export interface Admission {
  eventId: EventId;
  event: RoomEventSummary;
  /** The registration or user the token names: votes, attendance and bans are theirs. */
  personId: string;
  displayName: string;
  role: JoinRole;
  /** Most attendees in the room at once, or null. */
  capacity: number | null;
}

/**
 * Checks a join token the way the join page does (signature, expiry, event present, registration
 * or membership still present; TOKEN_INVALID otherwise), then what the lobby enforces: an ended or
 * cancelled event admits nobody; a person banned from the event is refused (BANNED); in an
 * invitation-only event an attendee must still be on the invitation list (NOT_INVITED); in a
 * password-protected event an attendee must give the event password (EVENT_PASSWORD_REQUIRED,
 * EVENT_PASSWORD_WRONG) — a forwarded personal link alone does not open the room. Hosts and
 * presenters pass those two checks. In an event that records (auto-record on, or a recording
 * running), everyone but the hosts must have agreed to be recorded (RECORDING_CONSENT_REQUIRED;
 * the join page and the lobby ask). Before the event is live, attendees wait in the lobby.
 */
export async function admit(ctx: AppContext, token: string, password?: string): Promise<Admission> {
  const r = await resolveJoinToken(ctx, token);
  const e = r.event;
  if (e.status === 'cancelled') throw new PodiumError('EVENT_CANCELLED');
  if (e.status === 'ended') throw new PodiumError('EVENT_ENDED');
  const banned = await ctx.sql.query('select 1 from event_bans where event_id = $1 and person_id = $2', [e.id, r.personId]);
  if (banned.length) throw new PodiumError('BANNED');
  if (r.role === 'attendee') {
    if (e.access_mode === 'invitation') {
      const invited = await ctx.sql.query('select 1 from event_invitees where event_id = $1 and email_lower = $2', [e.id, r.emailLower]);
      if (!invited.length) throw new PodiumError('NOT_INVITED');
    }
    if (e.access_mode === 'password' && e.password_hash) {
      if (!password) throw new PodiumError('EVENT_PASSWORD_REQUIRED');
      if (!(await verifyPassword(e.password_hash, password))) throw new PodiumError('EVENT_PASSWORD_WRONG');
    }
  }
  if (r.role !== 'host' && !(await mayEnterRecordedEvent(ctx.sql, e.org_id, e.id, r.personId))) throw new PodiumError('RECORDING_CONSENT_REQUIRED');
  return {
    eventId: e.id as EventId,
    event: {
      id: e.id, title: e.title, type: e.type, status: e.status, startsAt: e.starts_at.toISOString(), durationMinutes: e.duration_minutes,
      orgName: e.org_name, description: e.description, agenda: e.agenda, timeZone: e.time_zone, accessMode: e.access_mode,
    },
    personId: r.personId,
    displayName: r.name,
    role: r.role,
    capacity: e.capacity,
  };
}
