/**
 * Reactions, the collaborative documents and file links: the room's shared things that are not
 * conversations.
 */
import { PodiumError, type RoomClientMessageOf } from '@podium/protocol';
import type { RoomHandler } from '../room-core';
import { mayWriteDoc } from '../docs/doc-permissions';

const react: RoomHandler<RoomClientMessageOf<'react'>> = (room, from, msg) => {
  if (!room.model.settings.reactionsEnabled) throw new PodiumError('REACTIONS_DISABLED');
  if (!room.allow(from.personId, 'reaction')) throw new PodiumError('SIGNAL_RATE_LIMITED', 'Too many reactions; wait a moment.');
  room.react(msg.emoji);
};

function decode(b64: string): Uint8Array {
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

const docSync: RoomHandler<RoomClientMessageOf<'doc-sync'>> = async (room, _from, msg) => {
  const docs = await room.docs();
  const { update, stateVector } = docs.diff(msg.doc, decode(msg.stateVector));
  return {
    type: 'doc-state', requestId: msg.requestId, doc: msg.doc,
    update: Buffer.from(update).toString('base64'), stateVector: Buffer.from(stateVector).toString('base64'),
  };
};

const docUpdate: RoomHandler<RoomClientMessageOf<'doc-update'>> = async (room, from, msg) => {
  if (!mayWriteDoc(msg.doc, from.info.role, from.info.grant ?? 'none', room.model.settings)) throw new PodiumError('DOC_READ_ONLY');
  const docs = await room.docs();
  await docs.apply(msg.doc, decode(msg.update));
  room.emit({ type: 'doc-update', doc: msg.doc, update: msg.update }, { except: [from.info.id as never] });
};

const fileLink: RoomHandler<RoomClientMessageOf<'file-link'>> = (room, _from, msg) => {
  const file = room.model.files.find((f) => f.id === msg.fileId);
  if (!file) throw new PodiumError('NOT_FOUND', 'No file of this event has this id.');
  const link = room.services.fileLink(file.id);
  return { type: 'file-link', requestId: msg.requestId, fileId: file.id, url: link.url, expiresAt: link.expiresAt };
};

/** Handlers of reactions, documents and file links. */
export const sharedHandlers = {
  react,
  'doc-sync': docSync,
  'doc-update': docUpdate,
  'file-link': fileLink,
};
