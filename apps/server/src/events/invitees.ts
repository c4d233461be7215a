import { PodiumError, type EventId, type Invitee, type OrgId, type PageOf } from '@podium/protocol';
import type { AppContext } from '../context';
import { emailAsTyped, emailLower } from '../accounts/email-address';
import { cursorDate, decodeCursor, pageLimit, slicePage } from '../http/pagination';
import { invitationEmail } from '../registrations/emails';
import { findEvent, findEventWithOrg, acceptsRegistrations } from './store';

/**
 * Adds emails to an event's invitee list and emails each newly added one the registration link.
 * Emails already invited are skipped, so pasting the same list again sends nothing twice.
 */
export async function addInvitees(ctx: AppContext, orgId: OrgId, eventId: EventId, emails: readonly string[]): Promise<number> {
  const unique = new Map<string, string>();
  for (const e of emails) if (!unique.has(emailLower(e))) unique.set(emailLower(e), emailAsTyped(e));
  return ctx.sql.transaction(async (tx) => {
    // No row lock: writing many emails must not hold up registrations for the event.
    const ev = await findEvent(tx, orgId, eventId);
    if (!ev) throw new PodiumError('EVENT_NOT_FOUND');
    if (!acceptsRegistrations(ev.status)) throw new PodiumError('EVENT_NOT_EDITABLE');
    const now = ctx.now();
    const added = await tx.query<{ email: string }>(
      `insert into event_invitees (event_id, email, email_lower, created_at)
       select $1, x->>0, x->>1, $3 from jsonb_array_elements($2::jsonb) as t(x)
       on conflict (event_id, email_lower) do nothing
       returning email`,
      [eventId, JSON.stringify([...unique].map(([lower, email]) => [email, lower])), now],
    );
    if (!added.length) return 0;
    const withOrg = await findEventWithOrg(tx, eventId);
    const content = invitationEmail(
      { title: ev.title, orgName: withOrg?.org_name ?? '', startsAt: ev.starts_at, durationMinutes: ev.duration_minutes, timeZone: ev.time_zone },
      `${ctx.config.publicUrl}/e/${eventId}`,
    );
    for (const { email } of added) await ctx.mailer.send({ orgId, to: email, ...content }, tx);
    return added.length;
  });
}

/** One page of an event's invitees, in the order they were invited, each with whether they registered. */
export async function listInvitees(
  ctx: AppContext, orgId: OrgId, eventId: EventId, query: { limit?: number; cursor?: string },
): Promise<PageOf<Invitee>> {
  const limit = pageLimit(query);
  const after = decodeCursor(query.cursor, ['string', 'string'] as const);
  const rows = await ctx.sql.query<{ email: string; email_lower: string; created_at: Date; registered: boolean; found: boolean }>(
    `select i.email, i.email_lower, i.created_at,
            exists (select 1 from registrations r where r.event_id = i.event_id and r.email_lower = i.email_lower) as registered
       from events e join event_invitees i on i.event_id = e.id
      where e.id = $1 and e.org_id = $2
        and ($3::timestamptz is null or (i.created_at, i.email_lower) > ($3::timestamptz, $4::text))
      order by i.created_at, i.email_lower
      limit $5`,
    [eventId, orgId, after ? cursorDate(after[0]) : null, after?.[1] ?? null, limit + 1],
  );
  if (!rows.length && !(await findEvent(ctx.sql, orgId, eventId))) throw new PodiumError('EVENT_NOT_FOUND');
  return slicePage(rows, limit, (r) => [r.created_at.toISOString(), r.email_lower], (r) => ({
    email: r.email, invitedAt: r.created_at.toISOString(), registered: r.registered,
  }));
}
