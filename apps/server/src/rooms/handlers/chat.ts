/**
 * Chat: public messages, private messages to the hosts and hosts' private replies; deleting and
 * muting. Messages are stored before they are sent to anyone.
 */
import { PodiumError, newId, type ChatMessage, type ParticipantId, type RoomClientMessageOf } from '@podium/protocol';
import type { RoomHandler } from '../room-core';
import { CHAT_MEMORY } from '../room-store';
import { isStaff, type ChatRecord } from '../room-records';
import { chatAudience } from '../room-views';

/** Trims and checks a text a person wrote (no empty messages, no control characters but newlines and tabs). */
export function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex
  const t = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim();
  if (!t) throw new PodiumError('VALIDATION_FAILED', 'The text is empty.');
  return t;
}

const send: RoomHandler<RoomClientMessageOf<'chat-send'>> = async (room, from, msg) => {
  const m = room.model;
  const staff = isStaff(from.info.role);
  let to: ChatMessage['to'];
  let toKind: ChatRecord['toKind'];
  let toPerson: string | null = null;
  if (msg.to === 'everyone') {
    if (!m.settings.chatEnabled && !staff) throw new PodiumError('CHAT_DISABLED');
    to = 'everyone';
    toKind = 'everyone';
  } else if (msg.to === 'hosts') {
    if (!m.settings.privateChatEnabled && !staff) throw new PodiumError('CHAT_DISABLED', 'Private messages to the hosts are turned off.');
    to = 'hosts';
    toKind = 'hosts';
  } else {
    if (from.info.role !== 'host') throw new PodiumError('FORBIDDEN', 'Only hosts write privately to one participant.');
    const target = m.admitted.get(msg.to);
    if (!target) throw new PodiumError('PARTICIPANT_NOT_FOUND');
    to = { participantId: target.info.id as ParticipantId, displayName: target.info.displayName };
    toKind = 'direct';
    toPerson = target.personId;
  }
  if (from.info.chatMuted && !staff) throw new PodiumError('CHAT_MUTED');
  if (!room.allow(from.personId, 'chat')) throw new PodiumError('SIGNAL_RATE_LIMITED', 'Too many chat messages; wait a moment.');
  const record: ChatRecord = {
    message: {
      id: newId('chatMessage'),
      from: { participantId: from.info.id as ParticipantId, displayName: from.info.displayName, role: from.info.role },
      to,
      text: cleanText(msg.text),
      sentAt: room.now().toISOString(),
    },
    fromPerson: from.personId,
    toKind,
    toPerson,
  };
  await room.store.insertChat(room.eventId, record);
  m.chat.push(record);
  if (m.chat.length > CHAT_MEMORY) m.chat.splice(0, m.chat.length - CHAT_MEMORY);
  room.emit({ type: 'chat', message: record.message }, chatAudience(record, (p) => room.participantsOf(p)));
  return { type: 'chat-sent', requestId: msg.requestId, message: record.message };
};

const remove: RoomHandler<RoomClientMessageOf<'chat-delete'>> = async (room, from, msg) => {
  const m = room.model;
  const i = m.chat.findIndex((r) => r.message.id === msg.messageId);
  if (i < 0) throw new PodiumError('MESSAGE_NOT_FOUND');
  const record = m.chat[i];
  await room.store.deleteChat(msg.messageId, from.personId, room.now());
  m.chat.splice(i, 1);
  await room.audit(from, 'chat.delete', null, { messageId: msg.messageId, authorPerson: record.fromPerson });
  room.emit({ type: 'chat-deleted', messageId: msg.messageId }, chatAudience(record, (p) => room.participantsOf(p)));
};

const mute: RoomHandler<RoomClientMessageOf<'chat-mute'>> = async (room, from, msg) => {
  const m = room.model;
  const target = m.admitted.get(msg.participantId);
  if (!target) throw new PodiumError('PARTICIPANT_NOT_FOUND');
  if (m.chatMuted.has(target.personId) === msg.muted) return;
  if (msg.muted) m.chatMuted.add(target.personId);
  else m.chatMuted.delete(target.personId);
  await room.audit(from, msg.muted ? 'chat.mute' : 'chat.unmute', target);
  // Every tab of that person.
  for (const id of room.participantsOf(target.personId)) {
    const x = m.admitted.get(id);
    if (!x) continue;
    if (msg.muted) x.info.chatMuted = true;
    else delete x.info.chatMuted;
    room.emit({ type: 'participant-updated', participant: { ...x.info } }, room.presenceAudience(x));
  }
};

/** Handlers of the chat messages. */
export const chatHandlers = {
  'chat-send': send,
  'chat-delete': remove,
  'chat-mute': mute,
};
