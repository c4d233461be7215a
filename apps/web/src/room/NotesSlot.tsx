import { useEffect, useState } from 'react';
import { mayEdit, type RoomModel } from '@podium/client';
import { useRoom } from './context';
import { NotesPanel, type NotesStatus } from './notes/NotesPanel';

/** The sync state of the notes (changes on their way, all saved, or no connection), checked twice a second. */
function useNotesStatus(): NotesStatus {
  const { docs, conn } = useRoom();
  const read = (): NotesStatus => (!docs.notesSync.synced || conn.snapshot().phase !== 'joined' ? 'offline' : docs.notesSync.pending > 0 ? 'saving' : 'saved');
  const [status, setStatus] = useState<NotesStatus>(read);
  useEffect(() => {
    const timer = setInterval(() => setStatus(read()), 500);
    const off = docs.notesSync.on('synced', () => setStatus(read()));
    return () => {
      clearInterval(timer);
      off();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [docs, conn]);
  return status;
}

/** The shared notes tab: the notes panel on the room's notes document. */
export function NotesSlot({ model }: { model: RoomModel }) {
  const { docs } = useRoom();
  const status = useNotesStatus();
  return <NotesPanel doc={docs.notes} readOnly={!mayEdit(model, 'notes')} eventTitle={model.event.title} status={status} />;
}
