/**
 * Who may write which collaborative document of a room (docs/signaling.md, "Documents"). Reading
 * is open to every admitted participant; the coordinator calls this before applying a doc-update.
 */
import type { JoinRole, RoomDocName, RoomSettings, StageGrant } from '@podium/protocol';

/** True when a participant with this role and stage grant may change `doc` under the room's settings. */
export function mayWriteDoc(
  doc: RoomDocName,
  role: JoinRole,
  grant: StageGrant,
  settings: Pick<RoomSettings, 'notesEditableByAttendees'>,
): boolean {
  const staff = role === 'host' || role === 'presenter';
  if (doc === 'board') return staff || grant === 'speaker';
  return staff || settings.notesEditableByAttendees;
}
