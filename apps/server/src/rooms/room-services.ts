/**
 * The parts of the control plane a live room uses, wired once at start-up: the events domain
 * (status changes), the files domain (the event's files, signed links) and the documents host.
 */
import type { EventId, OrgId, EventStatus, RoomFile } from '@podium/protocol';
import type { AppContext } from '../context';
import { changeEventStatus } from '../events/service';
import type { RoomRecorder, RoomServices } from './room-core';
import type { RoomDocHost } from './room-docs-port';

/** How a room reaches the files domain and the documents host (given by the server at start-up). */
export interface RoomPorts {
  listFiles(eventId: EventId): Promise<RoomFile[]>;
  fileLink(fileId: string): { url: string; expiresAt: string };
  openDocs(eventId: EventId): Promise<RoomDocHost>;
  /** Records rooms (absent: this server does not record). */
  recorder?: RoomRecorder;
}

/** The services of every room of this process. */
export function roomServices(ctx: AppContext, ports: RoomPorts): RoomServices {
  return {
    ctx,
    async setEventStatus(orgId: OrgId, eventId: EventId, status: EventStatus) {
      await changeEventStatus(ctx, orgId, eventId, status);
    },
    listFiles: ports.listFiles,
    fileLink: ports.fileLink,
    openDocs: ports.openDocs,
    ...(ports.recorder ? { recorder: ports.recorder } : {}),
  };
}
