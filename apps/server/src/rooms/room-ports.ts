/**
 * The rooms' ports onto the files domain and the documents host, as this server wires them.
 */
import type { EventId, FileId } from '@podium/protocol';
import type { AppContext } from '../context';
import { listEventFiles } from '../files/store';
import { signFileLink } from '../files/links';
import { RoomDocs } from './docs/room-docs';
import type { RoomPorts } from './room-services';

/** How long a file link given in the room works (long enough for a whole event's slides). */
const ROOM_FILE_LINK_TTL_S = 6 * 3600;

/** The ports of this server's rooms. */
export function defaultRoomPorts(ctx: AppContext): RoomPorts {
  return {
    listFiles: (eventId: EventId) => listEventFiles(ctx.sql, eventId),
    fileLink: (fileId: string) => signFileLink(ctx, fileId as FileId, ROOM_FILE_LINK_TTL_S),
    openDocs: (eventId: EventId) => RoomDocs.open(ctx.sql, eventId, { log: ctx.log }),
  };
}
