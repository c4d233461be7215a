import { ERRORS, ROOM_COMMANDS_PATTERN, roomOfSubject, type EventId, type RoomCommand, type RoomReply } from '@podium/protocol';
import type { Bus, Unsubscribe } from '../bus/bus';
import { RoomCoordinator } from './room-coordinator';
import type { RoomServices } from './room-core';
import type { RoomStore } from './room-store';

/** Options of the rooms this process coordinates. */
export interface RoomDirectoryOptions {
  bus: Bus;
  /** Most live rooms at once; joining one more gets SERVER_BUSY. */
  maxRooms: number;
  /** Most participants per room. */
  maxParticipants: number;
  /** The rooms' SQL. */
  store: RoomStore;
  /** The rest of the control plane, as rooms use it. */
  services: RoomServices;
}

/** Counts for tests and health checks. */
export interface RoomDirectoryStats {
  rooms: number;
  participants: number;
}

/**
 * The room coordinators of this process. It serves every room's commands subject on the bus,
 * opens a room's coordinator on its first join and drops it when the room is empty. In the
 * embedded default this process owns every room; the cluster will answer only for the rooms a
 * node owns (found through the bus's KV), with the same coordinator code.
 */
export class RoomDirectory {
  private readonly rooms = new Map<EventId, RoomCoordinator>();
  private unserve: Unsubscribe | undefined;

  constructor(private readonly opts: RoomDirectoryOptions) {}

  /** Starts answering room commands on the bus. */
  start(): void {
    if (this.unserve) return;
    this.unserve = this.opts.bus.serve<RoomCommand, RoomReply>(ROOM_COMMANDS_PATTERN, (cmd, subject) => this.handle(cmd, subject));
  }

  /** Rooms and participants present now. */
  stats(): RoomDirectoryStats {
    let participants = 0;
    for (const r of this.rooms.values()) participants += r.size;
    return { rooms: this.rooms.size, participants };
  }

  /** Stops serving and drops every room. */
  close(): void {
    this.unserve?.();
    this.unserve = undefined;
    for (const r of this.rooms.values()) r.dispose();
    this.rooms.clear();
  }

  private handle(cmd: RoomCommand, subject: string): Promise<RoomReply> | RoomReply {
    const eventId = roomOfSubject(subject);
    if (!eventId || typeof cmd !== 'object' || cmd === null || cmd.eventId !== eventId) {
      return { ok: false, code: 'VALIDATION_FAILED', message: 'The command does not match its room.' };
    }
    let room = this.rooms.get(eventId);
    if (!room) {
      // Only a join opens a room: a late leave for a room already gone has nothing to undo.
      if (cmd.kind !== 'join') return { ok: true };
      if (this.rooms.size >= this.opts.maxRooms) return { ok: false, code: 'SERVER_BUSY', message: ERRORS.SERVER_BUSY.message };
      room = new RoomCoordinator({
        eventId,
        bus: this.opts.bus,
        store: this.opts.store,
        services: this.opts.services,
        maxParticipants: this.opts.maxParticipants,
        onEmpty: (r) => {
          if (this.rooms.get(eventId) === r) this.rooms.delete(eventId);
          r.dispose();
        },
      });
      this.rooms.set(eventId, room);
    }
    return room.apply(cmd);
  }
}
