import { useState } from 'react';
import type { ModerationAction, ParticipantInfo } from '@podium/protocol';
import { attendeeCount, isHost, isStaff, listsAudienceOnly, producersOf } from '@podium/client';
import { useI18n } from '../i18n/I18nProvider';
import { useRoom } from './context';
import { IconCamera, IconHand, IconMic, IconMicOff, IconMore, IconScreen } from './icons';
import { MenuItem, Popover } from './Popover';
import { initials } from './VideoTile';

/** A host's menu for one person: stage rights, mic/camera/screen, chat, remove and ban (confirmed). */
function PersonMenu({ p }: { p: ParticipantInfo }) {
  const { t } = useI18n();
  const { model, send } = useRoom();
  const [confirm, setConfirm] = useState<'remove' | 'ban' | null>(null);
  const tracks = producersOf(model, p.id);
  const has = (k: string) => tracks.some((x) => x.kind === k);
  const audio = tracks.find((x) => x.kind === 'audio');
  const moderate = (action: ModerationAction) => send({ type: 'moderate', participantId: p.id, action });
  const attendee = p.role === 'attendee';
  const grant = p.grant ?? 'none';
  return (
    <Popover label={t('room.people.actionsFor', { name: p.displayName })} className="rm-person-menu" align="end" menu={confirm === null} content={<IconMore />}>
      {(close) => confirm ? (
        <div role="alertdialog" aria-label={t(`room.people.${confirm}ConfirmTitle`, { name: p.displayName })} className="rm-confirm">
          <p className="rm-confirm-text">{t(`room.people.${confirm}ConfirmText`, { name: p.displayName })}</p>
          <button type="button" className="btn btn-danger btn-sm btn-block" onClick={() => { void moderate(confirm); setConfirm(null); close(); }}>
            {t(`room.people.${confirm}Confirm`)}
          </button>
          <button type="button" className="btn btn-ghost btn-sm btn-block" onClick={() => setConfirm(null)}>{t('common.cancel')}</button>
        </div>
      ) : (
        <>
          {attendee && grant !== 'speaker' && (
            <MenuItem onSelect={() => { void send({ type: 'stage-grant', participantId: p.id, grant: 'speaker' }); close(); }}>{t('room.people.promote')}</MenuItem>
          )}
          {attendee && model.event.type === 'training' && grant === 'none' && (
            <MenuItem onSelect={() => { void send({ type: 'stage-grant', participantId: p.id, grant: 'camera' }); close(); }}>{t('room.people.allowCamera')}</MenuItem>
          )}
          {attendee && grant !== 'none' && (
            <MenuItem onSelect={() => { void send({ type: 'stage-grant', participantId: p.id, grant: 'none' }); close(); }}>{t('room.people.demote')}</MenuItem>
          )}
          {model.state.hands.some((h) => h.participantId === p.id) && (
            <MenuItem onSelect={() => { void send({ type: 'hand-lower', participantId: p.id }); close(); }}>{t('room.people.lowerHand')}</MenuItem>
          )}
          {audio && !audio.paused && <MenuItem onSelect={() => { void moderate('mute-audio'); close(); }}>{t('room.people.muteMic')}</MenuItem>}
          {has('video') && <MenuItem onSelect={() => { void moderate('stop-video'); close(); }}>{t('room.people.stopCamera')}</MenuItem>}
          {has('screen') && <MenuItem onSelect={() => { void moderate('stop-screen'); close(); }}>{t('room.people.stopScreen')}</MenuItem>}
          {attendee && (
            <MenuItem onSelect={() => { void send({ type: 'chat-mute', participantId: p.id, muted: !p.chatMuted }); close(); }}>
              {p.chatMuted ? t('room.people.chatUnmute') : t('room.people.chatMute')}
            </MenuItem>
          )}
          {p.role !== 'host' && <MenuItem danger onSelect={() => setConfirm('remove')}>{t('room.people.remove')}</MenuItem>}
          {p.role !== 'host' && <MenuItem danger onSelect={() => setConfirm('ban')}>{t('room.people.ban')}</MenuItem>}
        </>
      )}
    </Popover>
  );
}

function Person({ p, handNo }: { p: ParticipantInfo; handNo: number }) {
  const { t } = useI18n();
  const { model } = useRoom();
  const tracks = producersOf(model, p.id);
  const audio = tracks.find((x) => x.kind === 'audio');
  const self = p.id === model.self.id;
  const speaking = model.state.activeSpeaker === p.id;
  return (
    <li className={`rm-person${speaking ? ' is-speaking' : ''}`} data-participant-id={p.id}>
      <span className="rm-person-avatar" aria-hidden="true">{initials(p.displayName)}</span>
      <span className="rm-person-main">
        <span className="rm-person-name">{p.displayName}{self && <span className="muted"> ({t('room.people.you')})</span>}</span>
        <span className="rm-person-tags">
          {p.role !== 'attendee' && <span className="rm-role-chip">{t(`room.role.${p.role}`)}</span>}
          {p.grant && p.grant !== 'none' && <span className="rm-role-chip is-grant">{t(`room.grant.${p.grant}`)}</span>}
          {p.chatMuted && <span className="rm-role-chip is-warn">{t('room.people.chatMuted')}</span>}
        </span>
      </span>
      <span className="rm-person-icons">
        {handNo > 0 && <span className="rm-person-hand" title={t('room.hands.position', { n: handNo })}><IconHand /><span className="sr-only">{t('room.hands.position', { n: handNo })}</span></span>}
        {tracks.some((x) => x.kind === 'screen') && <span title={t('room.people.sharing')}><IconScreen /><span className="sr-only">{t('room.people.sharing')}</span></span>}
        {tracks.some((x) => x.kind === 'video') && <span title={t('room.people.cameraOn')}><IconCamera /><span className="sr-only">{t('room.people.cameraOn')}</span></span>}
        {audio && (audio.paused
          ? <span title={t('room.stage.muted')}><IconMicOff /><span className="sr-only">{t('room.stage.muted')}</span></span>
          : <span title={t('room.people.micOn')}><IconMic /><span className="sr-only">{t('room.people.micOn')}</span></span>)}
        <span className={`rm-q rm-q-${p.quality ?? 'unknown'}`} title={t(`room.quality.${p.quality ?? 'unknown'}`)}><span className="sr-only">{t(`room.quality.${p.quality ?? 'unknown'}`)}</span></span>
      </span>
      {isHost(model) && !self && <PersonMenu p={p} />}
    </li>
  );
}

/** People: the lobby and the hand queue for hosts, then everyone by role with hands, tracks and quality. */
export function PeoplePanel() {
  const { t, locale } = useI18n();
  const { model, send } = useRoom();
  const host = isHost(model);
  const handNo = new Map(model.state.hands.map((h, i) => [h.participantId, i + 1]));
  const staff = model.participants.filter((p) => isStaff(p.role));
  const speakers = model.participants.filter((p) => !isStaff(p.role) && p.grant && p.grant !== 'none');
  const audience = model.participants.filter((p) => !isStaff(p.role) && (!p.grant || p.grant === 'none'));
  const time = (iso: string) => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
  return (
    <div className="rm-people">
      {host && model.state.waiting.length > 0 && (
        <section className="rm-lobby-list" aria-label={t('room.lobbyList.title')}>
          <div className="rm-section-head">
            <h3 className="rm-section-title">{t('room.lobbyList.title')} ({model.state.waiting.length})</h3>
            <button type="button" className="btn btn-primary btn-sm" onClick={() => void send({ type: 'lobby-admit', all: true })}>{t('room.lobbyList.admitAll')}</button>
          </div>
          <ul className="rm-plain-list">
            {model.state.waiting.map((w) => (
              <li key={w.participantId} className="rm-waiting">
                <span className="rm-person-main">
                  <span className="rm-person-name">{w.displayName}</span>
                  <span className="small muted">{t('room.lobbyList.since', { time: time(w.since) })}</span>
                </span>
                <button type="button" className="btn btn-secondary btn-sm" onClick={() => void send({ type: 'lobby-admit', participantIds: [w.participantId] })}>{t('room.lobbyList.admit')}</button>
                <button type="button" className="btn btn-ghost btn-sm" aria-label={t('room.lobbyList.denyName', { name: w.displayName })} onClick={() => void send({ type: 'lobby-deny', participantId: w.participantId })}>{t('room.lobbyList.deny')}</button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {host && model.state.hands.length > 0 && (
        <section className="rm-hands" aria-label={t('room.hands.queue')}>
          <h3 className="rm-section-title">{t('room.hands.queue')} ({model.state.hands.length})</h3>
          <ol className="rm-plain-list">
            {model.state.hands.map((h, i) => {
              const p = model.participants.find((x) => x.id === h.participantId);
              if (!p) return null;
              return (
                <li key={h.participantId} className="rm-hand" data-participant-id={p.id}>
                  <span className="rm-hand-no" aria-hidden="true">{i + 1}</span>
                  <span className="rm-person-main">
                    <span className="rm-person-name">{p.displayName}</span>
                    <span className="small muted">{t('room.hands.since', { time: time(h.raisedAt) })}</span>
                  </span>
                  <span className="rm-hand-actions">
                    {(p.grant ?? 'none') !== 'speaker' && (
                      <button type="button" className="btn btn-primary btn-sm" aria-label={t('room.hands.promoteName', { name: p.displayName })}
                        onClick={() => void send({ type: 'stage-grant', participantId: p.id, grant: 'speaker' })}>{t('room.hands.promote')}</button>
                    )}
                    {model.event.type === 'training' && (p.grant ?? 'none') === 'none' && (
                      <button type="button" className="btn btn-secondary btn-sm" onClick={() => void send({ type: 'stage-grant', participantId: p.id, grant: 'camera' })}>{t('room.hands.camera')}</button>
                    )}
                    <button type="button" className="btn btn-ghost btn-sm" aria-label={t('room.hands.lowerName', { name: p.displayName })}
                      onClick={() => void send({ type: 'hand-lower', participantId: p.id })}>{t('room.hands.lower')}</button>
                  </span>
                </li>
              );
            })}
          </ol>
        </section>
      )}
      {listsAudienceOnly(model) && (
        <p className="rm-audience-count small muted">{t('room.people.audienceCount', { count: attendeeCount(model) })}</p>
      )}
      {[
        ['staff', staff],
        ['speakers', speakers],
        ['audience', audience],
      ].map(([key, list]) => (list as ParticipantInfo[]).length > 0 && (
        <section key={key as string} aria-label={t(`room.people.group.${key}`)}>
          <h3 className="rm-section-title">{t(`room.people.group.${key}`)} ({(list as ParticipantInfo[]).length})</h3>
          <ul className="rm-plain-list">{(list as ParticipantInfo[]).map((p) => <Person key={p.id} p={p} handNo={handNo.get(p.id) ?? 0} />)}</ul>
        </section>
      ))}
    </div>
  );
}
