import type { RoomModel } from '@podium/client';
import { mayEdit } from '@podium/client';
import { useT } from '../i18n/I18nProvider';

/**
 * The shared notes tab. SLOT: the notes panel (apps/web/src/room/notes/NotesPanel, built
 * separately) is mounted here once it lands.
 */
export function NotesSlot({ model }: { model: RoomModel }) {
  const t = useT();
  return (
    <div className="rm-notes-slot">
      <p className="muted">{mayEdit(model, 'notes') ? t('room.notes.editable') : t('room.notes.readOnly')}</p>
    </div>
  );
}
