import { describe, expect, it } from 'vitest';
import { newId, roomSubjects, type EventId, type ParticipantInfo, type RoomBusEvent, type RoomCommand, type RoomReply } from '@podium/protocol';
import { LocalBus } from '../bus/local-bus';
import { RoomDirectory } from './room-directory';

const tick = () => new Promise((r) => setImmediate(r));

function person(name: string): ParticipantInfo {
  return { id: newId('participant'), displayName: name, role: 'attendee', joinedAt: new Date().toISOString() };
}

function setup(opts: { maxRooms?: number; maxParticipants?: number } = {}) {
  const bus = new LocalBus();
  const rooms = new RoomDirectory({ bus, maxRooms: opts.maxRooms ?? 10, maxParticipants: opts.maxParticipants ?? 10 });
  rooms.start();
  const eventId = newId('event') as EventId;
  const send = (cmd: RoomCommand, id: EventId = eventId) => bus.request<RoomReply>(roomSubjects(id).commands, cmd);
  const join = (p: ParticipantInfo, id: EventId = eventId) => send({ kind: 'join', eventId: id, participant: p }, id);
  const leave = (p: ParticipantInfo, id: EventId = eventId) => send({ kind: 'leave', eventId: id, participantId: p.id, reason: 'left' }, id);
  return { bus, rooms, eventId, join, leave, send };
}

describe('room coordinator', () => {
  it('join replies with everyone present in join order and publishes participant-joined with increasing seq', async () => {
    const { bus, eventId, join, rooms } = setup();
    const events: RoomBusEvent[] = [];
    bus.subscribe<RoomBusEvent>(roomSubjects(eventId).events, (e) => events.push(e));
    const a = person('A');
    const b = person('B');
    const ra = await join(a);
    const rb = await join(b);
    expect(ra).toMatchObject({ ok: true, snapshot: { seq: 1, participants: [a] } });
    expect(rb).toMatchObject({ ok: true, snapshot: { seq: 2, participants: [a, b] } });
    await tick();
    expect(events.map((e) => [e.seq, e.message.type])).toEqual([[1, 'participant-joined'], [2, 'participant-joined']]);
    expect(rooms.stats()).toEqual({ rooms: 1, participants: 2 });
  });

  it('joining twice is one presence; leaving twice is one departure', async () => {
    const { bus, eventId, join, leave, rooms } = setup();
    const events: RoomBusEvent[] = [];
    bus.subscribe<RoomBusEvent>(roomSubjects(eventId).events, (e) => events.push(e));
    const a = person('A');
    const keep = person('Keep');
    await join(keep);
    await join(a);
    await join(a);
    await leave(a);
    await leave(a);
    await tick();
    expect(events.map((e) => e.message.type)).toEqual(['participant-joined', 'participant-joined', 'participant-left']);
    expect(rooms.stats()).toEqual({ rooms: 1, participants: 1 });
  });

  it('commands sent together are applied in order', async () => {
    const { join, leave } = setup();
    const people = Array.from({ length: 5 }, (_, i) => person(`P${i}`));
    const replies = await Promise.all([...people.map((p) => join(p)), leave(people[0])]);
    const last = replies[4];
    expect(last.ok && last.snapshot?.participants.map((p) => p.displayName)).toEqual(['P0', 'P1', 'P2', 'P3', 'P4']);
  });

  it('a full room answers ROOM_FULL; a directory at its room limit answers SERVER_BUSY', async () => {
    const { join, eventId } = setup({ maxParticipants: 1, maxRooms: 1 });
    expect((await join(person('A'))).ok).toBe(true);
    expect(await join(person('B'))).toMatchObject({ ok: false, code: 'ROOM_FULL' });
    expect(await join(person('C'), newId('event') as EventId)).toMatchObject({ ok: false, code: 'SERVER_BUSY' });
    expect(eventId).toMatch(/^evt_/);
  });

  it('the last leave disposes the room; the next join opens a new incarnation', async () => {
    const { join, leave, rooms } = setup();
    const a = person('A');
    const first = await join(a);
    await leave(a);
    await tick();
    expect(rooms.stats()).toEqual({ rooms: 0, participants: 0 });
    const again = await join(a);
    expect(first.ok && again.ok && first.snapshot!.incarnation !== again.snapshot!.incarnation).toBe(true);
    expect(again.ok && again.snapshot!.seq).toBe(1);
  });

  it('a leave for a room that is not open, or a command addressed to another room, changes nothing', async () => {
    const { send, rooms, eventId } = setup();
    expect(await send({ kind: 'leave', eventId, participantId: newId('participant'), reason: 'timeout' })).toEqual({ ok: true });
    const other = newId('event') as EventId;
    expect(await send({ kind: 'join', eventId: other, participant: person('X') })).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' });
    expect(rooms.stats()).toEqual({ rooms: 0, participants: 0 });
  });

  it('announced tracks reach everyone in order, are listed in a newcomer\'s snapshot, and leave with their publisher', async () => {
    const { bus, eventId, join, leave, send } = setup();
    const events: RoomBusEvent[] = [];
    bus.subscribe<RoomBusEvent>(roomSubjects(eventId).events, (e) => events.push(e));
    const host = person('Host');
    await join(host);
    const producer = { producerId: 'prd_0123456789abcdef0123', participantId: host.id, kind: 'video' as const, simulcast: false, paused: false };
    expect(await send({ kind: 'producer-add', eventId, producer })).toEqual({ ok: true });
    expect(await send({ kind: 'producer-add', eventId, producer: { ...producer, producerId: 'prd_stranger000000000000', participantId: person('X').id } })).toMatchObject({ ok: false, code: 'NOT_JOINED' });
    await send({ kind: 'producer-pause', eventId, producerId: producer.producerId, paused: true });
    const late = person('Late');
    expect(await join(late)).toMatchObject({ ok: true, snapshot: { seq: 4, producers: [{ ...producer, paused: true }] } });
    await leave(host);
    await tick();
    expect(events.map((e) => [e.seq, e.message.type])).toEqual([
      [1, 'participant-joined'], [2, 'producer-added'], [3, 'producer-paused'], [4, 'participant-joined'], [5, 'producer-removed'], [6, 'participant-left'],
    ]);
  });
});

