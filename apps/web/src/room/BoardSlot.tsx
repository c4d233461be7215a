import { can, type RoomModel } from '@podium/client';
import { useT } from '../i18n/I18nProvider';
import { useRoom } from './context';

/**
 * The slides / whiteboard area of the stage. SLOT: the stage board (apps/web/src/room/board/
 * StageBoard, built separately) is mounted here once it lands; until then this shows what is on
 * stage as text with page buttons for staff, so everyone still follows the page.
 */
export function BoardSlot({ model }: { model: RoomModel }) {
  const t = useT();
  const { send } = useRoom();
  const s = model.state.stage;
  const staff = can(model, 'stage-set');
  const slides = s.content === 'slides' && s.slides ? s.slides : null;
  return (
    <div className="rm-board-slot" data-stage-content={s.content} data-slide-page={slides?.page ?? ''} data-whiteboard-page={s.whiteboardPage}>
      <p className="rm-board-slot-title">
        {slides ? t('room.stage.slidePage', { name: slides.name, page: slides.page, count: slides.pageCount }) : t('room.stage.whiteboardPage', { page: s.whiteboardPage })}
      </p>
      {staff && (
        <div className="rm-board-slot-nav">
          <button type="button" className="btn btn-secondary" disabled={slides ? slides.page <= 1 : s.whiteboardPage <= 1}
            onClick={() => void send(slides ? { type: 'stage-set', page: slides.page - 1 } : { type: 'stage-set', whiteboardPage: s.whiteboardPage - 1 })}>
            ← {t('room.stage.prevPage')}
          </button>
          <button type="button" className="btn btn-secondary" disabled={slides ? slides.page >= slides.pageCount : s.whiteboardPage >= 100}
            onClick={() => void send(slides ? { type: 'stage-set', page: slides.page + 1 } : { type: 'stage-set', whiteboardPage: s.whiteboardPage + 1 })}>
            {t('room.stage.nextPage')} →
          </button>
        </div>
      )}
    </div>
  );
}
