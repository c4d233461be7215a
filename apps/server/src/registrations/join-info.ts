import { PodiumError, type EventId, type JoinInfo, type JoinRole, type OrgId, type UserId, type HostJoinLink } from '@podium/protocol';
import type { AppContext } from '../context';
import { findEvent, findEventWithOrg, toPublicEvent, type EventWithOrgRow } from '../events/store';
import { joinTokenExpiry, readJoinToken, signJoinToken } from './join-token';
import { recordingConsentFor } from '../privacy/consent';

/** Who a valid join token names, and the event it opens. */
export interface ResolvedJoin {
  event: EventWithOrgRow;
  /** The registration (`reg_…`) or, for hosts, the user (`usr_…`). */
  personId: string;
  name: string;
  /** Lower-cased email of the person (for invitation checks). */
  emailLower: string;
  role: JoinRole;
  /** When the link stops working (ms since epoch). */
  expiresAt: number;
}

/**
 * Checks a join token: it must be genuine and unexpired, its event must exist, and its person
 * must still be there: a removed registrant or a former member gets TOKEN_INVALID. A link also
 * lives until 24 hours after the event's current end, so moving an event later does not break the
 * links already emailed.
 */
export async function resolveJoinToken(ctx: AppContext, token: string): Promise<ResolvedJoin> {
  const claims = readJoinToken(ctx.secrets, token);
  const event = await findEventWithOrg(ctx.sql, claims.e);
  if (!event) throw new PodiumError('TOKEN_INVALID');
  const expiresAt = Math.max(claims.exp * 1000, joinTokenExpiry(event.starts_at, event.duration_minutes).getTime());
  if (expiresAt <= ctx.now().getTime()) throw new PodiumError('TOKEN_INVALID');
  let person: { name: string; role: JoinRole; email_lower: string } | undefined;
  if (claims.role === 'host') {
    const rows = await ctx.sql.query<{ name: string; email_lower: string }>(
      'select u.name, u.email_lower from memberships m join users u on u.id = m.user_id where m.org_id = $1 and m.user_id = $2',
      [event.org_id, claims.r],
    );
    if (rows[0]) person = { name: rows[0].name, role: 'host', email_lower: rows[0].email_lower };
  } else {
    // The role comes from the registration: presenters added or removed later count as they are now.
    const rows = await ctx.sql.query<{ name: string; role: JoinRole; email_lower: string }>(
      'select name, role, email_lower from registrations where id = $1 and event_id = $2',
      [claims.r, claims.e],
    );
    person = rows[0];
  }
  if (!person) throw new PodiumError('TOKEN_INVALID');
  return { event, personId: claims.r, name: person.name, emailLower: person.email_lower, role: person.role, expiresAt };
}

/** What a join link opens (the join page's view of resolveJoinToken). */
export async function joinInfo(ctx: AppContext, token: string): Promise<JoinInfo> {
  const r = await resolveJoinToken(ctx, token);
  return {
    event: toPublicEvent(r.event),
    name: r.name,
    role: r.role,
    expiresAt: new Date(Math.floor(r.expiresAt / 1000) * 1000).toISOString(),
    roomOpen: r.event.status === 'live',
    recording: await recordingConsentFor(ctx.sql, r.event.org_id, r.event.id, r.personId),
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
