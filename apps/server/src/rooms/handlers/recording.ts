/**
 * Recording: hosts start and stop it (or the room starts it by itself when the event goes live with
 * auto-record on); everyone, the lobby included, is told, so every client shows the indicator.
 */
import { PodiumError, type ParticipantId, type RoomClientMessageOf } from '@podium/protocol';
import type { Room, RoomHandler } from '../room-core';
import type { Member } from '../room-records';

/** Starts recording the room (RECORDING_ACTIVE when it already is). */
export async function startRecording(room: Room, by: Member | null): Promise<void> {
  const m = room.model;
  if (m.status !== 'live') throw new PodiumError('EVENT_NOT_STARTED');
  if (m.recording) throw new PodiumError('RECORDING_ACTIVE');
  const recorder = room.services.recorder;
  if (!recorder) throw new PodiumError('MEDIA_UNAVAILABLE', 'This server does not record.');
  const docs = await room.docs();
  const board = docs.diff('board', Uint8Array.of(0)).update;
  const started = await recorder.start({
    board: board.length > 2 ? Buffer.from(board).toString('base64') : undefined,
    eventId: room.eventId,
    orgId: m.orgId,
    startedBy: by?.personId ?? null,
    stage: { ...m.stage, slides: m.stage.slides ? { ...m.stage.slides } : null },
    participants: [...m.admitted.values()].map((x) => ({ participantId: x.info.id as ParticipantId, displayName: x.info.displayName, role: x.info.role })),
    producers: [...m.producers.values()].map((p) => ({ ...p })),
    activeSpeaker: m.activeSpeaker,
  });
  m.recording = started;
  await room.audit(by, 'recording.start', null, { recordingId: started.recordingId });
  room.emit({ type: 'recording', active: true, startedAt: started.startedAt }, { waiting: true });
}

/** Stops the room's recording, if one runs. */
export async function stopRecording(room: Room, by: Member | null): Promise<boolean> {
  const m = room.model;
  const current = m.recording;
  if (!current) return false;
  m.recording = null;
  await room.services.recorder?.stop(room.eventId, current.recordingId);
  await room.audit(by, 'recording.stop', null, { recordingId: current.recordingId });
  room.emit({ type: 'recording', active: false }, { waiting: true });
  return true;
}

const start: RoomHandler<RoomClientMessageOf<'recording-start'>> = async (room, from) => {
  await startRecording(room, from);
};

const stop: RoomHandler<RoomClientMessageOf<'recording-stop'>> = async (room, from) => {
  if (!(await stopRecording(room, from))) throw new PodiumError('RECORDING_NOT_ACTIVE');
};

/** Handlers of the recording messages. */
export const recordingHandlers = {
  'recording-start': start,
  'recording-stop': stop,
};
