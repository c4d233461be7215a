/**
 * Every room message's handler, by type (one file per area), and the handlers of the commands the
 * rest of the control plane sends a room (status, polls and settings changed through the REST API).
 */
import type { RoomClientMessageOf, RoomClientMessageType } from '@podium/protocol';
import type { RoomHandler } from '../room-core';
import { eventStatus, lifecycleHandlers, settingsChanged } from './lifecycle';
import { stageHandlers } from './stage';
import { chatHandlers } from './chat';
import { questionHandlers } from './questions';
import { pollHandlers, pollsChanged } from './polls';
import { moderationHandlers } from './moderation';
import { sharedHandlers } from './shared';
import { recordingHandlers } from './recording';
import { personErased } from './erasure';

const messages: { [K in RoomClientMessageType]: RoomHandler<RoomClientMessageOf<K>> } = {
  ...lifecycleHandlers,
  ...stageHandlers,
  ...chatHandlers,
  ...questionHandlers,
  ...pollHandlers,
  ...moderationHandlers,
  ...sharedHandlers,
  ...recordingHandlers,
};

/** The room's handlers (see file comment). */
export const ROOM_HANDLERS = { messages, eventStatus, pollsChanged, settingsChanged, personErased };
