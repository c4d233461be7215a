import { useState } from 'react';
import { REACTIONS, type StageLayout } from '@podium/protocol';
import { can, handPosition, isHost, mayPublish, type RoomMediaSnapshot } from '@podium/client';
import { useT } from '../i18n/I18nProvider';
import { useRoom } from './context';
import { canShareScreen } from './devices';
import {
  IconCamera, IconCameraOff, IconGrid, IconHand, IconLeave, IconMic, IconMicOff, IconPanel, IconPlay, IconPresentation, IconScreen,
  IconSmile, IconSpeaker, IconStop,
} from './icons';
import { MenuItem, Popover } from './Popover';
import { RoomSettingsMenu } from './RoomSettingsMenu';
import { StageContentMenu } from './StageContentMenu';
import { useLocalMedia } from './useLocalMedia';

const LAYOUT_ICONS: Record<StageLayout, () => React.JSX.Element> = { presentation: IconPresentation, gallery: IconGrid, speaker: IconSpeaker };

/** The bar under the stage: my microphone, camera and screen, hand, reactions, layout, host controls, leave. */
export function ControlsBar({ media, layout, onLayout, panelOpen, onTogglePanel, onLeave, unread }: {
  media: RoomMediaSnapshot;
  layout: StageLayout;
  onLayout(l: StageLayout): void;
  panelOpen: boolean;
  onTogglePanel(): void;
  onLeave(): void;
  unread: number;
}) {
  const t = useT();
  const { model, send } = useRoom();
  const local = useLocalMedia();
  const [starting, setStarting] = useState(false);
  const mic = media.local.audio;
  const cam = media.local.video;
  const screen = media.local.screen;
  const handUp = handPosition(model, model.self.id) > 0;
  const LayoutIcon = LAYOUT_ICONS[layout];

  const micLabel = !mic ? t('room.controls.micStart') : mic.paused ? t('room.controls.unmute') : t('room.controls.mute');
  const camLabel = cam ? t('room.controls.cameraStop') : t('room.controls.cameraStart');
  const screenLabel = screen ? t('room.controls.screenStop') : t('room.controls.screenStart');

  return (
    <div className="rm-controls" role="toolbar" aria-label={t('room.controls.label')}>
      <div className="rm-controls-group">
        {mayPublish(model, 'audio') && (
          <button type="button" className={`rm-ctl${mic && !mic.paused ? ' is-on' : ' is-off'}`} aria-pressed={!!mic && !mic.paused} aria-label={micLabel} title={micLabel}
            disabled={local.busy.audio} onClick={() => void local.toggleMic()}>
            {mic && !mic.paused ? <IconMic /> : <IconMicOff />}
            <span className="rm-ctl-text">{mic && !mic.paused ? t('room.controls.micOnShort') : t('room.controls.micOffShort')}</span>
          </button>
        )}
        {mayPublish(model, 'video') && (
          <button type="button" className={`rm-ctl${cam ? ' is-on' : ' is-off'}`} aria-pressed={!!cam} aria-label={camLabel} title={camLabel}
            disabled={local.busy.video} onClick={() => void local.toggleCamera()}>
            {cam ? <IconCamera /> : <IconCameraOff />}
            <span className="rm-ctl-text">{cam ? t('room.controls.cameraOnShort') : t('room.controls.cameraOffShort')}</span>
          </button>
        )}
        {mayPublish(model, 'screen') && canShareScreen() && (
          <button type="button" className={`rm-ctl${screen ? ' is-active' : ''}`} aria-pressed={!!screen} aria-label={screenLabel} title={screenLabel}
            disabled={local.busy.screen} onClick={() => void local.toggleScreen()}>
            <IconScreen />
            <span className="rm-ctl-text">{screen ? t('room.controls.screenStopShort') : t('room.controls.screenShort')}</span>
          </button>
        )}
        {can(model, 'hand-raise') && (
          <button type="button" className={`rm-ctl${handUp ? ' is-active' : ''}`} aria-pressed={handUp}
            aria-label={handUp ? t('room.controls.handLower') : t('room.controls.handRaise')} title={handUp ? t('room.controls.handLower') : t('room.controls.handRaise')}
            onClick={() => void send({ type: 'hand-raise', raised: !handUp })}>
            <IconHand />
            <span className="rm-ctl-text">{handUp ? t('room.controls.handLowerShort') : t('room.controls.handShort')}</span>
          </button>
        )}
        {can(model, 'react') && (
          <Popover label={t('room.controls.react')} className="rm-ctl-pop" placement="above" align="center" content={<><IconSmile /><span className="rm-ctl-text">{t('room.controls.reactShort')}</span></>}>
            {(close) => (
              <div className="rm-reaction-picker">
                {REACTIONS.map((e) => (
                  <button key={e} type="button" className="rm-reaction-btn" aria-label={t('room.controls.sendReaction', { emoji: e })}
                    onClick={() => {
                      void send({ type: 'react', emoji: e });
                      close();
                    }}>{e}</button>
                ))}
              </div>
            )}
          </Popover>
        )}
      </div>

      <div className="rm-controls-group">
        <Popover label={t('room.controls.layout')} className="rm-ctl-pop" placement="above" menu content={<><LayoutIcon /><span className="rm-ctl-text">{t('room.controls.layoutShort')}</span></>}>
          {(close) => (['presentation', 'gallery', 'speaker'] as StageLayout[]).map((l) => (
            <MenuItem key={l} checked={layout === l} onSelect={() => { onLayout(l); close(); }}>{t(`room.layout.${l}`)}</MenuItem>
          ))}
        </Popover>
        {can(model, 'stage-set') && <StageContentMenu />}
        {isHost(model) && <RoomSettingsMenu />}
        {can(model, 'room-start') && (
          <button type="button" className="rm-ctl is-start" disabled={starting} aria-label={t('room.controls.start')}
            onClick={async () => {
              setStarting(true);
              await send({ type: 'room-start' });
              setStarting(false);
            }}>
            <IconPlay /><span className="rm-ctl-text">{t('room.controls.startShort')}</span>
          </button>
        )}
        <button type="button" className={`rm-ctl rm-ctl-panel${panelOpen ? ' is-active' : ''}`} aria-pressed={panelOpen} aria-label={panelOpen ? t('room.controls.panelHide') : t('room.controls.panelShow')} onClick={onTogglePanel}>
          <IconPanel />
          <span className="rm-ctl-text">{t('room.controls.panelShort')}</span>
          {unread > 0 && <span className="rm-badge-count" aria-label={t('room.chat.unread', { count: unread })}>{unread > 99 ? '99+' : unread}</span>}
        </button>
        <LeaveButton onLeave={onLeave} />
      </div>
    </div>
  );
}

/** Leave (everyone), and for hosts also "End the event for everyone" with a confirmation. */
function LeaveButton({ onLeave }: { onLeave(): void }) {
  const t = useT();
  const { model, send } = useRoom();
  const [confirmEnd, setConfirmEnd] = useState(false);
  if (!can(model, 'room-end')) {
    return (
      <button type="button" className="rm-ctl is-leave" aria-label={t('room.controls.leave')} onClick={onLeave}>
        <IconLeave /><span className="rm-ctl-text">{t('room.controls.leaveShort')}</span>
      </button>
    );
  }
  return (
    <Popover label={t('room.controls.leaveOrEnd')} className="rm-ctl-pop is-leave" placement="above" align="end" content={<><IconLeave /><span className="rm-ctl-text">{t('room.controls.leaveShort')}</span></>}>
      {(close) => (
        <div className="rm-leave-panel">
          {!confirmEnd ? (
            <>
              <button type="button" className="btn btn-secondary btn-block" onClick={() => { close(); onLeave(); }}>{t('room.controls.leaveOnly')}</button>
              <button type="button" className="btn btn-danger btn-block" onClick={() => setConfirmEnd(true)}><IconStop /> {t('room.controls.end')}</button>
            </>
          ) : (
            <div role="alertdialog" aria-label={t('room.controls.endConfirmTitle')} className="stack-sm">
              <p className="rm-confirm-text">{t('room.controls.endConfirmText')}</p>
              <button type="button" className="btn btn-danger btn-block" onClick={() => { void send({ type: 'room-end' }); close(); }}>{t('room.controls.endConfirm')}</button>
              <button type="button" className="btn btn-ghost btn-block" onClick={() => setConfirmEnd(false)}>{t('common.cancel')}</button>
            </div>
          )}
        </div>
      )}
    </Popover>
  );
}
