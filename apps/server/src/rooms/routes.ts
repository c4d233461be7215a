/**
 * REST routes around the live room (packages/protocol/src/api/rooms.ts): polls prepared before
 * the event, the room's settings, the attendance report. Changes reach an open room through
 * notifyRoom.
 */
import {
  PodiumError, createPoll, deletePoll, exportAttendanceReport, getAttendanceReport, getRoomSettings, listPolls, newId,
  updatePoll, updateRoomSettings, type EventId, type OrgId, type Poll,
} from '@podium/protocol';
import type { AppContext } from '../context';
import type { ApiRegistry } from '../http/api-registry';
import { findEvent } from '../events/store';
import { attendanceCsv, attendanceReport } from './attendance-report';
import { notifyRoom } from './notify-room';
import { RoomStore, pickSettings, tally } from './room-store';
import { cleanDraft } from './handlers/polls';

const org = (p: { orgId: string }) => p.orgId as OrgId;

const evt = (p: { eventId: string }) => p.eventId as EventId;

/** Registers the room's REST routes. */
export function registerRoomRoutes(api: ApiRegistry, ctx: AppContext): void {
  const store = new RoomStore(ctx.sql);

  // Every route is scoped to an event of the organization in the path.
  async function event(params: { orgId: string; eventId: string }) {
    const e = await findEvent(ctx.sql, org(params), evt(params));
    if (!e) throw new PodiumError('EVENT_NOT_FOUND');
    return e;
  }

  async function draftOf(eventId: EventId, pollId: string): Promise<Poll> {
    const polls = await store.polls(eventId);
    const found = polls.find((p) => p.poll.id === pollId);
    if (!found) throw new PodiumError('POLL_NOT_FOUND');
    if (found.poll.status !== 'draft') throw new PodiumError('POLL_ALREADY_LAUNCHED');
    return found.poll;
  }

  api.handle(listPolls, async ({ params }) => {
    await event(params);
    const polls = await store.polls(evt(params));
    return { items: polls.map((r) => ({ ...r.poll, results: tally(r.poll.options.length, r.votes.values()) })) };
  });

  api.handle(createPoll, async ({ params, body, principal }) => {
    await event(params);
    const poll: Poll = { id: newId('poll'), ...cleanDraft(body), status: 'draft', resultsShared: false, createdAt: ctx.now().toISOString() };
    await store.insertPoll(evt(params), poll, principal.kind === 'user' ? principal.userId : null);
    await notifyRoom(ctx, evt(params), { kind: 'polls-changed', eventId: evt(params) });
    return { ...poll, results: tally(poll.options.length, []) };
  });

  api.handle(updatePoll, async ({ params, body }) => {
    await event(params);
    const poll = { ...(await draftOf(evt(params), params.pollId)), ...cleanDraft(body) };
    await store.updatePoll(poll);
    await notifyRoom(ctx, evt(params), { kind: 'polls-changed', eventId: evt(params) });
    return { ...poll, results: tally(poll.options.length, []) };
  });

  api.handle(deletePoll, async ({ params }) => {
    await event(params);
    await draftOf(evt(params), params.pollId);
    if (!(await store.deleteDraftPoll(params.pollId))) throw new PodiumError('POLL_ALREADY_LAUNCHED');
    await notifyRoom(ctx, evt(params), { kind: 'polls-changed', eventId: evt(params) });
    return { ok: true as const };
  });

  api.handle(getRoomSettings, async ({ params }) => {
    await event(params);
    return store.settings(evt(params));
  });

  api.handle(updateRoomSettings, async ({ params, body }) => {
    await event(params);
    const next = pickSettings({ ...(await store.settings(evt(params))), ...body });
    await store.saveSettings(evt(params), next, ctx.now());
    await notifyRoom(ctx, evt(params), { kind: 'settings-changed', eventId: evt(params) });
    return next;
  });

  api.handle(getAttendanceReport, async ({ params }) => {
    const e = await event(params);
    return attendanceReport(ctx.sql, store, evt(params), e.title, ctx.now());
  });

  api.handle(exportAttendanceReport, async ({ params, reply }) => {
    const e = await event(params);
    const report = await attendanceReport(ctx.sql, store, evt(params), e.title, ctx.now());
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="attendance-${evt(params)}.csv"`)
      .send('\ufeff' + attendanceCsv(report));
  });
}
