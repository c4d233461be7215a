/**
 * REST routes of the room's documents: the shared notes as a Markdown download for the event's
 * hosts. They read the database (never a live room's memory), so they work during the event, after
 * it, and on any node: every acknowledged notes update is on disk.
 */
import { PodiumError, exportNotesMarkdown, notesFileName, type EventId, type OrgId } from '@podium/protocol';
import type { AppContext } from '../../context';
import type { ApiRegistry } from '../../http/api-registry';
import { RoomDocs } from './room-docs';

/** Registers the room documents' API routes. */
export function registerRoomDocRoutes(api: ApiRegistry, ctx: AppContext): void {
  api.handle(exportNotesMarkdown, async ({ params, reply }) => {
    const orgId = params.orgId as OrgId;
    const eventId = params.eventId as EventId;
    const [event] = await ctx.sql.query<{ title: string }>('select title from events where id = $1 and org_id = $2', [eventId, orgId]);
    if (!event) throw new PodiumError('EVENT_NOT_FOUND');
    // Read-only: a live room's coordinator is the documents' only writer (and compacts them).
    const docs = await RoomDocs.open(ctx.sql, eventId, { readOnly: true, docs: ['notes'], log: ctx.log });
    let markdown: string;
    try {
      markdown = docs.notesMarkdown();
    } finally {
      await docs.close();
    }
    return reply
      .header('content-type', 'text/markdown; charset=utf-8')
      .header('content-disposition', notesFileName(event.title).header)
      .header('cache-control', 'no-store')
      .send(markdown);
  });
}
