import {
  PodiumError, addInvitees as addInviteesRoute, changeEventStatus as changeStatusRoute, createEvent as createRoute,
  deleteEvent as deleteRoute, getEvent as getRoute, getPublicEvent, listEvents, listInvitees as listInviteesRoute,
  updateEvent as updateRoute, type EventId, type OrgId,
} from '@podium/protocol';
import type { AppContext } from '../context';
import type { ApiRegistry } from '../http/api-registry';
import { cursorDate, decodeCursor, pageLimit, slicePage } from '../http/pagination';
import { addInvitees, listInvitees } from './invitees';
import { changeEventStatus, createEvent, deleteEvent, getEvent, updateEvent } from './service';
import { notifyRoom } from '../rooms/notify-room';
import { RoomStore } from '../rooms/room-store';
import { findEventWithOrg, listEventRows, toEventDto, toPublicEvent } from './store';

// Path ids are checked against their pattern by the route schema; here they get their brand.
const org = (p: { orgId: string }) => p.orgId as OrgId;
const evt = (p: { eventId: string }) => p.eventId as EventId;

/** Registers this domain's API routes. */
export function registerEventRoutes(api: ApiRegistry, ctx: AppContext): void {
  api.handle(listEvents, async ({ params, query }) => {
    const limit = pageLimit(query);
    const after = decodeCursor(query.cursor, ['string', 'string'] as const);
    const rows = await listEventRows(ctx.sql, org(params), query.when ?? 'all', ctx.now(), after ? { startsAt: cursorDate(after[0]), id: after[1] } : null, limit);
    return slicePage(rows, limit, (r) => [r.starts_at.toISOString(), r.id], toEventDto);
  });

  api.handle(createRoute, async ({ params, body, principal }) =>
    createEvent(ctx, org(params), body, principal.kind === 'user' ? principal.userId : null));

  api.handle(getRoute, async ({ params }) => getEvent(ctx, org(params), evt(params)));

  api.handle(updateRoute, async ({ params, body }) => updateEvent(ctx, org(params), evt(params), body));

  api.handle(deleteRoute, async ({ params }) => {
    await deleteEvent(ctx, org(params), evt(params));
    return { ok: true as const };
  });

  api.handle(changeStatusRoute, async ({ params, body }) => {
    const event = await changeEventStatus(ctx, org(params), evt(params), body.status);
    await new RoomStore(ctx.sql).markStatus(evt(params), event.status, ctx.now());
    // A live room follows: starting lets the lobby in, ending closes the room for everyone.
    await notifyRoom(ctx, evt(params), { kind: 'event-status', eventId: evt(params), status: event.status });
    return event;
  });

  api.handle(listInviteesRoute, async ({ params, query }) => listInvitees(ctx, org(params), evt(params), query));

  api.handle(addInviteesRoute, async ({ params, body }) => {
    await addInvitees(ctx, org(params), evt(params), body.emails);
    return { ok: true as const };
  });

  api.handle(getPublicEvent, async ({ params }) => {
    const row = await findEventWithOrg(ctx.sql, evt(params));
    if (!row) throw new PodiumError('EVENT_NOT_FOUND');
    return toPublicEvent(row);
  });
}
