import { useRef, type ReactNode } from 'react';
import { isHost } from '@podium/client';
import { useT } from '../i18n/I18nProvider';
import { useRoom } from './context';
import { ChatPanel } from './ChatPanel';
import { FilesPanel } from './FilesPanel';
import { IconChat, IconFile, IconNotes, IconPeople, IconPoll, IconQuestion, IconX } from './icons';
import { NotesSlot } from './NotesSlot';
import { PeoplePanel } from './PeoplePanel';
import { PollsPanel } from './PollsPanel';
import { QaPanel } from './QaPanel';

/** The side panel's tabs. */
export type PanelTab = 'chat' | 'qa' | 'polls' | 'people' | 'notes' | 'files';
export const PANEL_TABS: PanelTab[] = ['chat', 'qa', 'polls', 'people', 'notes', 'files'];

const ICONS: Record<PanelTab, () => ReactNode> = { chat: IconChat, qa: IconQuestion, polls: IconPoll, people: IconPeople, notes: IconNotes, files: IconFile };

/** The side panel: chat, Q&A, polls, people, notes and files as tabs (arrow keys move between them). */
export function SidePanel({ tab, onTab, onClose, unread }: { tab: PanelTab; onTab(t: PanelTab): void; onClose(): void; unread: number }) {
  const t = useT();
  const { model } = useRoom();
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const badge: Record<PanelTab, number> = {
    chat: tab === 'chat' ? 0 : unread,
    qa: model.state.questions.filter((q) => q.status === 'open').length,
    polls: model.state.polls.filter((p) => p.status === 'live' && !p.myChoice).length,
    people: isHost(model) ? model.state.waiting.length + model.state.hands.length : 0,
    notes: 0,
    files: 0,
  };
  const onKey = (e: React.KeyboardEvent, i: number) => {
    let j = -1;
    if (e.key === 'ArrowRight') j = (i + 1) % PANEL_TABS.length;
    else if (e.key === 'ArrowLeft') j = (i - 1 + PANEL_TABS.length) % PANEL_TABS.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = PANEL_TABS.length - 1;
    if (j < 0) return;
    e.preventDefault();
    onTab(PANEL_TABS[j]);
    tabs.current[j]?.focus();
  };
  return (
    <aside className="rm-panel" aria-label={t('room.panel.label')}>
      <div className="rm-panel-head">
        <div className="rm-tabs" role="tablist" aria-label={t('room.panel.label')}>
          {PANEL_TABS.map((k, i) => {
            const Icon = ICONS[k];
            return (
              <button key={k} ref={(el) => { tabs.current[i] = el; }} type="button" role="tab" id={`rm-tab-${k}`} aria-selected={tab === k} aria-controls={`rm-tabpanel-${k}`}
                tabIndex={tab === k ? 0 : -1} className={`rm-tab${tab === k ? ' is-active' : ''}`} onClick={() => onTab(k)} onKeyDown={(e) => onKey(e, i)}>
                <Icon />
                <span className="rm-tab-text">{t(`room.panel.${k}`)}</span>
                {badge[k] > 0 && <span className="rm-tab-badge">{badge[k] > 99 ? '99+' : badge[k]}</span>}
              </button>
            );
          })}
        </div>
        <button type="button" className="rm-icon-btn rm-panel-close" aria-label={t('room.panel.close')} onClick={onClose}><IconX /></button>
      </div>
      {PANEL_TABS.map((k) => (
        <div key={k} role="tabpanel" id={`rm-tabpanel-${k}`} aria-labelledby={`rm-tab-${k}`} className={`rm-tabpanel rm-tabpanel-${k}`} hidden={tab !== k}>
          {k === 'chat' && <ChatPanel active={tab === 'chat'} />}
          {k === 'qa' && tab === k && <QaPanel />}
          {k === 'polls' && tab === k && <PollsPanel />}
          {k === 'people' && tab === k && <PeoplePanel />}
          {k === 'notes' && tab === k && <NotesSlot model={model} />}
          {k === 'files' && tab === k && <FilesPanel />}
        </div>
      ))}
    </aside>
  );
}
