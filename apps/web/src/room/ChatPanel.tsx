import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { MAX_CHAT_TEXT, type ChatMessage } from '@podium/protocol';
import { chatTargets, isHost, participant } from '@podium/client';
import { useI18n } from '../i18n/I18nProvider';
import { linkify } from '../lib/linkify';
import { useRoom } from './context';
import { IconMore, IconX } from './icons';
import { MenuItem, Popover } from './Popover';

/** Plain text with http(s) links made clickable; never HTML. */
export function LinkedText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((p, i) =>
        p.kind === 'link' ? (
          <a key={i} href={p.href} target="_blank" rel="noopener noreferrer">{p.text}</a>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}

function timeOf(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** The chat: public messages and private ones with the hosts, a composer, and hosts' delete / mute. */
export function ChatPanel({ active }: { active: boolean }) {
  const { t, locale } = useI18n();
  const { model, send } = useRoom();
  const inputId = useId();
  const toId = useId();
  const list = useRef<HTMLOListElement>(null);
  const stick = useRef(true);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const targets = chatTargets(model);
  const host = isHost(model);
  const defaultTo = targets.everyone ? 'everyone' : targets.hosts ? 'hosts' : '';
  const [to, setTo] = useState<string>(defaultTo);
  // Keep the recipient valid when the host changes what is allowed.
  useEffect(() => {
    const ok = to === 'everyone' ? targets.everyone : to === 'hosts' ? targets.hosts : targets.participants && !!participant(model, to);
    if (!ok) setTo(defaultTo);
  }, [to, targets.everyone, targets.hosts, targets.participants, defaultTo, model]);

  useLayoutEffect(() => {
    const el = list.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [model.state.chat.length, active]);

  const submit = async () => {
    const body = text.trim();
    if (!body || !to) return;
    setBusy(true);
    const reply = await send({ type: 'chat-send', text: body, to: to as 'everyone' });
    setBusy(false);
    if (reply) setText('');
  };

  const recipientLabel = (m: ChatMessage): string | null => {
    if (m.to === 'everyone') return null;
    if (m.to === 'hosts') return t('room.chat.toHosts');
    return t('room.chat.toPerson', { name: m.to.participantId === model.self.id ? t('room.chat.youLower') : m.to.displayName });
  };
  // Hosts reply privately to people who wrote to them (or whom they picked from a message's menu);
  // listing everyone would not scale to a large audience.
  const privateReplyTargets = host
    ? [...new Set([...(to.startsWith('prt_') ? [to] : []), ...model.state.chat.filter((m) => m.to === 'hosts' && m.from.participantId && m.from.participantId !== model.self.id).map((m) => m.from.participantId!).reverse()])]
      .slice(0, 20).map((id) => participant(model, id)).filter((p): p is NonNullable<typeof p> => !!p)
    : [];

  return (
    <div className="rm-chat">
      <ol ref={list} className="rm-chat-list" aria-label={t('room.chat.messages')} aria-live="polite"
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}>
        {model.state.chat.length === 0 && <li className="rm-empty">{t('room.chat.empty')}</li>}
        {model.state.chat.map((m) => {
          const mine = m.from.participantId === model.self.id;
          const priv = recipientLabel(m);
          const author = m.from.participantId ? participant(model, m.from.participantId) : undefined;
          return (
            <li key={m.id} className={`rm-msg${mine ? ' is-mine' : ''}${priv ? ' is-private' : ''}`} data-message-id={m.id}>
              <div className="rm-msg-head">
                <span className="rm-msg-author">{mine ? t('room.chat.you') : m.from.displayName}</span>
                {m.from.role !== 'attendee' && <span className="rm-role-chip">{t(`room.role.${m.from.role}`)}</span>}
                {priv && <span className="rm-private-chip">{priv}</span>}
                <time className="rm-msg-time" dateTime={m.sentAt}>{timeOf(m.sentAt, locale)}</time>
                {host && (
                  <Popover label={t('room.chat.actions', { name: m.from.displayName })} className="rm-msg-menu" align="end" menu content={<IconMore />}>
                    {(close) => (
                      <>
                        {!mine && m.from.participantId && author && (
                          <MenuItem onSelect={() => { setTo(m.from.participantId!); close(); document.getElementById(inputId)?.focus(); }}>
                            {t('room.chat.replyPrivately')}
                          </MenuItem>
                        )}
                        {!mine && author && author.role === 'attendee' && (
                          <MenuItem onSelect={() => { void send({ type: 'chat-mute', participantId: author.id, muted: !author.chatMuted }); close(); }}>
                            {author.chatMuted ? t('room.chat.unmutePerson') : t('room.chat.mutePerson')}
                          </MenuItem>
                        )}
                        <MenuItem danger onSelect={() => { void send({ type: 'chat-delete', messageId: m.id }); close(); }}>{t('room.chat.delete')}</MenuItem>
                      </>
                    )}
                  </Popover>
                )}
              </div>
              <p className="rm-msg-text"><LinkedText text={m.text} /></p>
            </li>
          );
        })}
      </ol>
      {!targets.everyone && !targets.hosts && !targets.participants ? (
        <p className="rm-chat-off" role="status">{model.self.chatMuted ? t('room.chat.mutedNotice') : t('room.chat.offNotice')}</p>
      ) : (
        <form className="rm-composer" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
          {!targets.everyone && targets.hosts && !host && <p className="rm-chat-note small">{t('room.chat.onlyHostsNotice')}</p>}
          <div className="rm-composer-to">
            <label htmlFor={toId} className="small muted">{t('room.chat.to')}</label>
            <select id={toId} className="input select select-inline" value={to} onChange={(e) => setTo(e.target.value)}>
              {targets.everyone && <option value="everyone">{t('room.chat.everyone')}</option>}
              {targets.hosts && <option value="hosts">{t('room.chat.hostsPrivately')}</option>}
              {privateReplyTargets.map((p) => <option key={p.id} value={p.id}>{t('room.chat.privatelyTo', { name: p.displayName })}</option>)}
            </select>
            {to !== 'everyone' && to !== 'hosts' && to && (
              <button type="button" className="rm-icon-btn" aria-label={t('room.chat.backToEveryone')} onClick={() => setTo(defaultTo)}><IconX /></button>
            )}
          </div>
          <div className="rm-composer-row">
            <label htmlFor={inputId} className="sr-only">{t('room.chat.message')}</label>
            <textarea id={inputId} className="input rm-composer-input" rows={2} maxLength={MAX_CHAT_TEXT} value={text} placeholder={t('room.chat.placeholder')}
              onChange={(e) => setText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                  e.preventDefault();
                  void submit();
                }
              }} />
            <button type="submit" className="btn btn-primary" disabled={busy || !text.trim()} aria-busy={busy || undefined}>{t('room.chat.send')}</button>
          </div>
        </form>
      )}
    </div>
  );
}
