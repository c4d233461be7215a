import { PodiumError, type EventId, type JoinInfo, type JoinRole, type OrgId, type UserId, type HostJoinLink } from '@podium/protocol';
import type { AppContext } from '../context';
import { findEvent, findEventWithOrg, toPublicEvent } from '../events/store';
import { joinTokenExpiry, readJoinToken, signJoinToken } from './join-token';

/**
 * What a join link opens. The token must be genuine and unexpired, its event must exist, and its
 * person must still be there: a removed registrant or a former member gets TOKEN_INVALID. A link
 * also lives until 24 hours after the event's current end, so moving an event later does not
 * break the links already emailed.
 */
export async function joinInfo(ctx: AppContext, token: string): Promise<JoinInfo> {
  const claims = readJoinToken(ctx.secrets, token);
  const event = await findEventWithOrg(ctx.sql, claims.e);
  if (!event) throw new PodiumError('TOKEN_INVALID');
  const expiresAt = Math.max(claims.exp * 1000, joinTokenExpiry(event.starts_at, event.duration_minutes).getTime());
  if (expiresAt <= ctx.now().getTime()) throw new PodiumError('TOKEN_INVALID');
  let person: { name: string; role: JoinRole } | undefined;
  if (claims.role === 'host') {
    const rows = await ctx.sql.query<{ name: string }>(
      'select u.name from memberships m join users u on u.id = m.user_id where m.org_id = $1 and m.user_id = $2',
      [event.org_id, claims.r],
    );
    if (rows[0]) person = { name: rows[0].name, role: 'host' };
  } else {
    // The role comes from the registration: presenters added or removed later count as they are now.
    const rows = await ctx.sql.query<{ name: string; role: JoinRole }>(
      'select name, role from registrations where id = $1 and event_id = $2',
      [claims.r, claims.e],
    );
    person = rows[0];
  }
  if (!person) throw new PodiumError('TOKEN_INVALID');
  return {
    event: toPublicEvent(event),
    name: person.name,
    role: person.role,
    expiresAt: new Date(Math.floor(expiresAt / 1000) * 1000).toISOString(),
    roomOpen: event.status === 'live',
  };
}

/** A host join link for a member of the event's organization. */
export async function hostJoinLink(ctx: AppContext, orgId: OrgId, eventId: EventId, userId: UserId): Promise<HostJoinLink> {
  const event = await findEvent(ctx.sql, orgId, eventId);
  if (!event) throw new PodiumError('EVENT_NOT_FOUND');
  const expires = joinTokenExpiry(event.starts_at, event.duration_minutes);
  const token = signJoinToken(ctx.secrets, { e: eventId, r: userId, role: 'host', exp: Math.floor(expires.getTime() / 1000) });
  return { url: `${ctx.config.publicUrl}/join/${token}`, expiresAt: new Date(Math.floor(expires.getTime() / 1000) * 1000).toISOString() };
}
