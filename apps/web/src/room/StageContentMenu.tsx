import type { ClientRequest } from '@podium/client';
import { useT } from '../i18n/I18nProvider';
import { useRoom } from './context';
import { IconPresentation } from './icons';
import { MenuItem, Popover } from './Popover';

/** Hosts and presenters: what the stage shows (nothing, the whiteboard, a slide deck) and its page. */
export function StageContentMenu() {
  const t = useT();
  const { model, send } = useRoom();
  const stage = model.state.stage;
  const decks = model.state.files.filter((f) => f.purpose === 'slides');
  const set = (msg: Omit<Extract<ClientRequest, { type: 'stage-set' }>, 'type'>) => void send({ type: 'stage-set', ...msg });
  return (
    <Popover label={t('room.stageMenu.title')} className="rm-ctl-pop" placement="above" menu
      content={<><IconPresentation /><span className="rm-ctl-text">{t('room.stageMenu.short')}</span></>}>
      {(close) => (
        <>
          <MenuItem checked={stage.content === 'none'} onSelect={() => { set({ content: 'none' }); close(); }}>{t('room.stageMenu.none')}</MenuItem>
          <MenuItem checked={stage.content === 'whiteboard'} onSelect={() => { set({ content: 'whiteboard' }); close(); }}>{t('room.stageMenu.whiteboard')}</MenuItem>
          {decks.map((f) => (
            <MenuItem key={f.id} checked={stage.content === 'slides' && stage.slides?.fileId === f.id}
              onSelect={() => { set({ content: 'slides', fileId: f.id, ...(stage.slides?.fileId === f.id ? {} : { page: 1 }) }); close(); }}>
              {t('room.stageMenu.deck', { name: f.name })}
            </MenuItem>
          ))}
          {decks.length === 0 && <p className="rm-menu-note small muted">{t('room.stageMenu.noDecks')}</p>}
        </>
      )}
    </Popover>
  );
}
