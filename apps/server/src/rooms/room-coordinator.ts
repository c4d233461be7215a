import { randomBytes } from 'node:crypto';
import {
  ERRORS, roomSubjects, type ErrorCode, type EventId, type LeaveReason, type ParticipantInfo, type RoomBusEvent,
  type RoomCommand, type RoomProducer, type RoomReply,
} from '@podium/protocol';
import type { Bus } from '../bus/bus';

/** Options of one room's coordinator. */
export interface RoomCoordinatorOptions {
  eventId: EventId;
  bus: Bus;
  /** Most participants at once; the next join gets ROOM_FULL. */
  maxParticipants: number;
  /** Most commands waiting to be applied; more get SERVER_BUSY instead of queueing without bound. */
  maxQueuedCommands?: number;
  /** Called once the room is empty and idle, so its owner can dispose it. */
  onEmpty: (room: RoomCoordinator) => void;
}

const DEFAULT_MAX_QUEUED = 10_000;

function failure(code: ErrorCode): RoomReply {
  return { ok: false, code, message: ERRORS[code].message };
}

/**
 * The one actor that owns a live room's state (DESIGN.md §3a): for now presence — who is in the
 * room, in join order. Commands are applied strictly one after another (a promise chain, so
 * commands that later await storage keep their order); every change is published as a numbered
 * event on the room's events subject.
 */
export class RoomCoordinator {
  /** This life of the room; a room emptied and opened again gets a new one. */
  readonly incarnation = randomBytes(8).toString('hex');
  readonly eventId: EventId;
  private readonly participants = new Map<string, ParticipantInfo>();
  // Published tracks, in publish order (the media plane announces them; newcomers get them in the snapshot).
  private readonly producers = new Map<string, RoomProducer>();
  private seq = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private disposed = false;
  private readonly eventsSubject: string;

  constructor(private readonly opts: RoomCoordinatorOptions) {
    this.eventId = opts.eventId;
    this.eventsSubject = roomSubjects(opts.eventId).events;
  }

  /** Participants present now. */
  get size(): number {
    return this.participants.size;
  }

  /** Applies `cmd` after every command received before it; resolves with the reply to send back. */
  apply(cmd: RoomCommand): Promise<RoomReply> {
    if (this.disposed) return Promise.resolve(failure('SERVER_BUSY'));
    if (this.queued >= (this.opts.maxQueuedCommands ?? DEFAULT_MAX_QUEUED)) return Promise.resolve(failure('SERVER_BUSY'));
    this.queued++;
    const result = this.tail.then(() => this.run(cmd));
    this.tail = result.catch(() => undefined).then(() => {
      this.queued--;
      if (this.queued === 0 && this.participants.size === 0 && !this.disposed) this.opts.onEmpty(this);
    });
    return result;
  }

  /** Stops the room: later commands are refused. Idempotent. */
  dispose(): void {
    this.disposed = true;
    this.participants.clear();
    this.producers.clear();
  }

  private run(cmd: RoomCommand): RoomReply {
    switch (cmd.kind) {
      case 'join':
        return this.join(cmd.participant);
      case 'leave':
        return this.leave(cmd.participantId, cmd.reason);
      case 'producer-add':
        return this.addProducer(cmd.producer);
      case 'producer-remove':
        return this.removeProducer(cmd.producerId);
      case 'producer-pause': {
        const p = this.producers.get(cmd.producerId);
        if (p && p.paused !== cmd.paused) {
          p.paused = cmd.paused;
          this.emit({ type: 'producer-paused', producerId: p.producerId, paused: p.paused });
        }
        return { ok: true };
      }
      default:
        return { ok: false, code: 'VALIDATION_FAILED', message: 'Unknown room command.' };
    }
  }

  private join(p: ParticipantInfo): RoomReply {
    if (!this.participants.has(p.id)) {
      if (this.participants.size >= this.opts.maxParticipants) return failure('ROOM_FULL');
      const participant: ParticipantInfo = { id: p.id, displayName: p.displayName, role: p.role, joinedAt: p.joinedAt };
      this.participants.set(p.id, participant);
      this.emit({ type: 'participant-joined', participant, seq: this.seq + 1 });
    }
    return {
      ok: true,
      snapshot: { incarnation: this.incarnation, seq: this.seq, participants: [...this.participants.values()], producers: [...this.producers.values()].map((x) => ({ ...x })) },
    };
  }

  private leave(participantId: string, reason: LeaveReason): RoomReply {
    // Leaving twice (a leave message, then the socket closing) is one departure.
    if (this.participants.delete(participantId)) {
      // Their tracks go with them (the media plane closes them too; removing twice is harmless).
      for (const p of [...this.producers.values()]) if (p.participantId === participantId) this.removeProducer(p.producerId);
      this.emit({ type: 'participant-left', participantId: participantId as ParticipantInfo['id'], reason, seq: this.seq + 1 });
    }
    return { ok: true };
  }

  private addProducer(p: RoomProducer): RoomReply {
    if (!this.participants.has(p.participantId)) return failure('NOT_JOINED');
    if (!this.producers.has(p.producerId)) {
      const producer: RoomProducer = { producerId: p.producerId, participantId: p.participantId, kind: p.kind, simulcast: p.simulcast, paused: p.paused };
      this.producers.set(p.producerId, producer);
      this.emit({ type: 'producer-added', ...producer });
    }
    return { ok: true };
  }

  private removeProducer(producerId: string): RoomReply {
    const p = this.producers.get(producerId);
    if (p) {
      this.producers.delete(producerId);
      this.emit({ type: 'producer-removed', producerId: p.producerId, participantId: p.participantId });
    }
    return { ok: true };
  }

  private emit(message: RoomBusEvent['message']): void {
    // Presence messages carry their seq; media messages get theirs on the envelope only.
    this.seq = 'seq' in message ? message.seq : this.seq + 1;
    const event: RoomBusEvent = { incarnation: this.incarnation, seq: this.seq, message };
    this.opts.bus.publish(this.eventsSubject, event);
  }
}
