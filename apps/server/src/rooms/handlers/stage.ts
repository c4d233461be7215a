/**
 * The stage (content, slides deck and page, whiteboard page, laser pointer), raised hands, stage
 * grants and connection quality.
 */
import { PodiumError, type ParticipantId, type RoomClientMessageOf, type StageState } from '@podium/protocol';
import type { Room, RoomHandler } from '../room-core';
import type { Member } from '../room-records';

function participantUpdated(room: Room, m: Member): void {
  room.emit({ type: 'participant-updated', participant: { ...m.info } }, room.presenceAudience(m));
}

const stageSet: RoomHandler<RoomClientMessageOf<'stage-set'>> = async (room, _from, msg) => {
  const m = room.model;
  const next: StageState = { ...m.stage, slides: m.stage.slides ? { ...m.stage.slides } : null };
  if (msg.fileId !== undefined) {
    if (msg.fileId === null) {
      next.slides = null;
    } else {
      const file = m.files.find((f) => f.id === msg.fileId && f.purpose === 'slides');
      if (!file) throw new PodiumError('NOT_FOUND', 'No slides file of this event has this id.');
      if (next.slides?.fileId !== file.id) next.slides = { fileId: file.id, name: file.name, page: 1, pageCount: file.pageCount ?? 1 };
    }
  }
  if (msg.page !== undefined) {
    if (!next.slides) throw new PodiumError('VALIDATION_FAILED', 'No slides are on stage.');
    if (msg.page > next.slides.pageCount) throw new PodiumError('VALIDATION_FAILED', `The deck has ${next.slides.pageCount} pages.`);
    next.slides.page = msg.page;
  }
  if (msg.whiteboardPage !== undefined) next.whiteboardPage = msg.whiteboardPage;
  if (msg.content !== undefined) next.content = msg.content;
  if (next.content === 'slides' && !next.slides) throw new PodiumError('VALIDATION_FAILED', 'Choose a slides file to show.');
  m.stage = next;
  await room.save();
  room.emit({ type: 'stage', stage: next });
};

const pointer: RoomHandler<RoomClientMessageOf<'pointer'>> = (room, from, msg) => {
  room.emit({ type: 'pointer', participantId: from.info.id as ParticipantId, x: msg.x, y: msg.y, visible: msg.visible }, { except: [from.info.id as ParticipantId] });
};

const handRaise: RoomHandler<RoomClientMessageOf<'hand-raise'>> = (room, from, msg) => {
  const m = room.model;
  const id = from.info.id as ParticipantId;
  const raised = m.hands.some((h) => h.participantId === id);
  if (raised === msg.raised) return;
  m.hands = msg.raised ? [...m.hands, { participantId: id, raisedAt: room.now().toISOString() }] : m.hands.filter((h) => h.participantId !== id);
  room.emit({ type: 'hands', hands: m.hands });
};

const handLower: RoomHandler<RoomClientMessageOf<'hand-lower'>> = (room, _from, msg) => {
  const m = room.model;
  if (!m.hands.some((h) => h.participantId === msg.participantId)) return;
  m.hands = m.hands.filter((h) => h.participantId !== msg.participantId);
  room.emit({ type: 'hands', hands: m.hands });
};

const stageGrant: RoomHandler<RoomClientMessageOf<'stage-grant'>> = async (room, from, msg) => {
  const m = room.model;
  const target = m.admitted.get(msg.participantId);
  if (!target) throw new PodiumError('PARTICIPANT_NOT_FOUND');
  if (target.info.role !== 'attendee') throw new PodiumError('VALIDATION_FAILED', 'Hosts and presenters are always on stage.');
  if (msg.grant === 'camera' && m.type !== 'training') throw new PodiumError('VALIDATION_FAILED', 'Camera-only grants are for trainings.');
  const had = target.info.grant ?? 'none';
  if (m.hands.some((h) => h.participantId === msg.participantId)) {
    m.hands = m.hands.filter((h) => h.participantId !== msg.participantId);
    room.emit({ type: 'hands', hands: m.hands });
  }
  if (had === msg.grant) return;
  if (msg.grant === 'none') m.grants.delete(target.personId);
  else m.grants.set(target.personId, msg.grant);
  await room.audit(from, 'stage.grant', target, { grant: msg.grant, was: had });
  for (const id of room.participantsOf(target.personId)) {
    const x = m.admitted.get(id);
    if (!x) continue;
    if (msg.grant === 'none') delete x.info.grant;
    else x.info.grant = msg.grant;
    // Everyone hears of a grant and of its end: attendees list the people on stage.
    room.emit({ type: 'participant-updated', participant: { ...x.info } });
  }
};

const qualityReport: RoomHandler<RoomClientMessageOf<'quality-report'>> = (room, from, msg) => {
  if ((from.info.quality ?? 'unknown') === msg.quality) return;
  from.info.quality = msg.quality;
  participantUpdated(room, from);
};

/** Handlers of the stage and hands messages. */
export const stageHandlers = {
  'stage-set': stageSet,
  pointer,
  'hand-raise': handRaise,
  'hand-lower': handLower,
  'stage-grant': stageGrant,
  'quality-report': qualityReport,
};
