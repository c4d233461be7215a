/**
 * Moderation by hosts: mute a microphone, stop a camera or screen share (the participant's
 * connection does it to the media plane when it gets `moderated`), remove, ban. Every action is
 * recorded in the event's audit trail. Hosts cannot moderate other hosts or themselves.
 */
import { PodiumError, type RoomClientMessageOf } from '@podium/protocol';
import type { RoomHandler } from '../room-core';

const moderate: RoomHandler<RoomClientMessageOf<'moderate'>> = async (room, from, msg) => {
  const m = room.model;
  const target = m.admitted.get(msg.participantId) ?? m.waiting.get(msg.participantId);
  if (!target) throw new PodiumError('PARTICIPANT_NOT_FOUND');
  if (target.info.role === 'host' || target.personId === from.personId) throw new PodiumError('FORBIDDEN', 'Hosts cannot be moderated.');
  switch (msg.action) {
    case 'mute-audio':
    case 'stop-video':
    case 'stop-screen':
      if (target.admission !== 'admitted') throw new PodiumError('PARTICIPANT_NOT_FOUND');
      await room.audit(from, `moderate.${msg.action}`, target);
      room.emit({ type: 'moderated', action: msg.action, by: from.info.displayName }, { participants: [target.info.id as never] });
      return;
    case 'remove':
      await room.audit(from, 'moderate.remove', target);
      await room.remove(target, 'removed');
      return;
    case 'ban': {
      await room.store.ban(room.eventId, target.personId, target.info.displayName, from.personId, room.now());
      await room.audit(from, 'moderate.ban', target);
      for (const id of room.participantsOf(target.personId)) await room.remove(room.member(id), 'banned');
      return;
    }
  }
};

/** Handlers of the moderation messages. */
export const moderationHandlers = { moderate };
