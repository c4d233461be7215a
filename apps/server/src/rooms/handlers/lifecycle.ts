/**
 * The event's lifecycle and the lobby: start (live), end (ended: everyone out), settings, and
 * hosts letting waiting participants in or refusing them.
 */
import { PodiumError, type EventStatus, type RoomClientMessageOf, type RoomSettings } from '@podium/protocol';
import type { Room, RoomHandler } from '../room-core';
import { pickSettings } from '../room-store';
import { startRecording, stopRecording } from './recording';

/** Everyone waiting enters (up to the capacity; the rest keep waiting). */
async function admitEveryone(room: Room): Promise<void> {
  for (const w of [...room.model.waiting.values()]) {
    try {
      await room.admit(w);
    } catch (err) {
      if (err instanceof PodiumError && err.code === 'ROOM_FULL') break;
      throw err;
    }
  }
  room.emitLobby();
}

/** The room follows a status the event now has (from room-start/room-end or the REST API). */
async function follow(room: Room, status: EventStatus): Promise<void> {
  const m = room.model;
  if (m.status === status) return;
  m.status = status;
  m.event.status = status;
  if (status === 'live') {
    const now = room.now();
    m.startedAt ??= now.toISOString();
    await room.save({ startedAt: now });
    room.emit({ type: 'room-status', status, startedAt: m.startedAt }, { waiting: true });
    if (!m.settings.waitingRoom) await admitEveryone(room);
    if (m.settings.autoRecord && !m.recording && room.services.recorder) {
      // Going live must not fail because recording could not start: the hosts can start it by hand.
      await startRecording(room, null).catch((err: Error) => room.services.ctx.log.warn({ eventId: room.eventId, err: { name: err.name, message: err.message } }, 'room: auto-record failed'));
    }
    return;
  }
  if (status === 'ended' || status === 'cancelled') {
    await stopRecording(room, null);
    const now = room.now();
    await room.save({ endedAt: now });
    // Voting ends with the event: live polls close, their results kept.
    for (const r of m.polls.values()) {
      if (r.poll.status !== 'live') continue;
      r.poll = { ...r.poll, status: 'closed', closedAt: now.toISOString() };
      await room.store.updatePoll(r.poll);
    }
    room.emit({ type: 'room-status', status }, { waiting: true });
    await room.store.closeOpenAttendance(room.eventId, now);
    // The connections close themselves on room-status ended; the room empties and is disposed.
    for (const x of [...m.admitted.values(), ...m.waiting.values()]) x.attendanceId = null;
    m.admitted.clear();
    m.waiting.clear();
    m.producers.clear();
    m.hands = [];
  }
}

/** A status change made through the REST API. */
export async function eventStatus(room: Room, status: EventStatus): Promise<void> {
  await follow(room, status);
}

const start: RoomHandler<RoomClientMessageOf<'room-start'>> = async (room, from) => {
  const m = room.model;
  if (m.status === 'live') return;
  await room.services.setEventStatus(m.orgId, room.eventId, 'live');
  await room.audit(from, 'room.start');
  await follow(room, 'live');
};

const end: RoomHandler<RoomClientMessageOf<'room-end'>> = async (room, from) => {
  const m = room.model;
  if (m.status !== 'live') throw new PodiumError('EVENT_NOT_STARTED');
  await room.services.setEventStatus(m.orgId, room.eventId, 'ended');
  await room.audit(from, 'room.end');
  await follow(room, 'ended');
};

/** Applies changed settings: stored, announced (the lobby too), the lobby let in when the waiting room goes off. */
async function applySettings(room: Room, next: RoomSettings): Promise<string[]> {
  const m = room.model;
  const changed = (Object.keys(next) as (keyof RoomSettings)[]).filter((k) => next[k] !== m.settings[k]);
  if (!changed.length) return changed;
  m.settings = next;
  await room.save();
  room.emit({ type: 'settings', settings: { ...next } }, { waiting: true });
  if (changed.includes('waitingRoom') && !next.waitingRoom && m.status === 'live') await admitEveryone(room);
  return changed;
}

const settings: RoomHandler<RoomClientMessageOf<'room-settings'>> = async (room, from, msg) => {
  const next = pickSettings({ ...room.model.settings, ...msg.settings });
  const changed = await applySettings(room, next);
  if (changed.length) await room.audit(from, 'room.settings', null, Object.fromEntries(changed.map((k) => [k, next[k as keyof RoomSettings]])));
};

/** Settings changed through the REST API. */
export async function settingsChanged(room: Room): Promise<void> {
  await applySettings(room, await room.store.settings(room.eventId));
}

const admit: RoomHandler<RoomClientMessageOf<'lobby-admit'>> = async (room, from, msg) => {
  const m = room.model;
  if (m.status !== 'live') throw new PodiumError('EVENT_NOT_STARTED');
  if (msg.all) {
    const count = m.waiting.size;
    await admitEveryone(room);
    await room.audit(from, 'lobby.admit-all', null, { count });
    return;
  }
  const ids = msg.participantIds ?? [];
  if (!ids.length) throw new PodiumError('VALIDATION_FAILED', 'Name who to admit, or admit all.');
  const targets = ids.map((id) => m.waiting.get(id)).filter((w) => w !== undefined);
  if (!targets.length) throw new PodiumError('PARTICIPANT_NOT_FOUND');
  try {
    for (const w of targets) {
      await room.admit(w);
      await room.audit(from, 'lobby.admit', w);
    }
  } finally {
    room.emitLobby();
  }
};

const deny: RoomHandler<RoomClientMessageOf<'lobby-deny'>> = async (room, from, msg) => {
  const w = room.model.waiting.get(msg.participantId);
  if (!w) throw new PodiumError('PARTICIPANT_NOT_FOUND');
  await room.remove(w, 'denied');
  await room.audit(from, 'lobby.deny', w);
};

/** Handlers of the lifecycle and lobby messages. */
export const lifecycleHandlers = {
  'room-start': start,
  'room-end': end,
  'room-settings': settings,
  'lobby-admit': admit,
  'lobby-deny': deny,
};
