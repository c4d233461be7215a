import { useId, useState } from 'react';
import { MAX_CHAT_TEXT, type Question } from '@podium/protocol';
import { can, isStaff } from '@podium/client';
import { useT } from '../i18n/I18nProvider';
import { useRoom } from './context';
import { LinkedText } from './ChatPanel';
import { IconUp } from './icons';

const STATUS_TONE: Record<Question['status'], string> = { open: 'neutral', answered: 'success', 'answered-live': 'success', dismissed: 'warning' };

/** One question with its votes, status, answer and (for staff) the moderation actions. */
function QuestionItem({ q }: { q: Question }) {
  const t = useT();
  const { model, send, conn, attempt } = useRoom();
  const staff = isStaff(model.role);
  const [answering, setAnswering] = useState(false);
  const [answer, setAnswer] = useState('');
  const [busy, setBusy] = useState(false);
  const answerId = useId();
  const voteLabel = q.voted ? t('room.qa.unvote', { count: q.votes }) : t('room.qa.upvote', { count: q.votes });
  const canVote = can(model, 'question-vote') && !q.mine && q.status !== 'dismissed';
  return (
    <li className={`rm-q-item is-${q.status}`} data-question-id={q.id}>
      <button type="button" className={`rm-vote${q.voted ? ' is-voted' : ''}`} aria-pressed={!!q.voted} aria-label={voteLabel} title={voteLabel}
        disabled={!canVote || busy}
        onClick={async () => {
          setBusy(true);
          await attempt(() => conn.voteQuestion(q.id, !q.voted));
          setBusy(false);
        }}>
        <IconUp />
        <span className="rm-vote-count">{q.votes}</span>
      </button>
      <div className="rm-q-body">
        <div className="rm-q-meta">
          <span className="rm-q-author">
            {q.mine ? t('room.qa.youAsked') : q.author ? q.author.displayName : t('room.qa.anonymous')}
            {q.anonymous && (q.mine || staff) && <span className="small muted"> · {t('room.qa.askedAnonymously')}</span>}
          </span>
          {q.status !== 'open' && <span className={`badge badge-${STATUS_TONE[q.status]}`}>{t(`room.qa.status.${q.status}`)}</span>}
        </div>
        <p className="rm-q-text"><LinkedText text={q.text} /></p>
        {q.answer && (
          <div className="rm-q-answer">
            <span className="rm-q-answer-by">{t('room.qa.answeredBy', { name: q.answer.by })}</span>
            <p><LinkedText text={q.answer.text} /></p>
          </div>
        )}
        {staff && (
          <div className="rm-q-actions">
            {q.status !== 'answered' && !answering && (
              <button type="button" className="btn btn-sm btn-secondary" onClick={() => setAnswering(true)}>{t('room.qa.answer')}</button>
            )}
            {q.status === 'open' && (
              <button type="button" className="btn btn-sm btn-secondary" onClick={() => void send({ type: 'question-status', questionId: q.id, status: 'answered-live' })}>{t('room.qa.markLive')}</button>
            )}
            {q.status !== 'dismissed' && q.status !== 'answered' && (
              <button type="button" className="btn btn-sm btn-ghost" onClick={() => void send({ type: 'question-status', questionId: q.id, status: 'dismissed' })}>{t('room.qa.dismiss')}</button>
            )}
            {q.status !== 'open' && (
              <button type="button" className="btn btn-sm btn-ghost" onClick={() => void send({ type: 'question-status', questionId: q.id, status: 'open' })}>{t('room.qa.reopen')}</button>
            )}
          </div>
        )}
        {answering && (
          <form className="rm-q-answer-form" onSubmit={async (e) => {
            e.preventDefault();
            if (!answer.trim()) return;
            setBusy(true);
            const r = await send({ type: 'question-answer', questionId: q.id, text: answer.trim() });
            setBusy(false);
            if (r) {
              setAnswer('');
              setAnswering(false);
            }
          }}>
            <label htmlFor={answerId} className="sr-only">{t('room.qa.answerLabel')}</label>
            <textarea id={answerId} className="input" rows={2} maxLength={MAX_CHAT_TEXT} value={answer} placeholder={t('room.qa.answerPlaceholder')}
              onChange={(e) => setAnswer(e.target.value)}
              onKeyDown={(e) => { if (e.key === 'Escape') setAnswering(false); }} autoFocus />
            <div className="row">
              <button type="submit" className="btn btn-sm btn-primary" disabled={busy || !answer.trim()}>{t('room.qa.sendAnswer')}</button>
              <button type="button" className="btn btn-sm btn-ghost" onClick={() => setAnswering(false)}>{t('common.cancel')}</button>
            </div>
          </form>
        )}
      </div>
    </li>
  );
}

/** Q&A: ask (optionally anonymously), upvote, sorted by votes; staff answer, mark answered live, dismiss. */
export function QaPanel() {
  const t = useT();
  const { model, send } = useRoom();
  const [text, setText] = useState('');
  const [anonymous, setAnonymous] = useState(false);
  const [busy, setBusy] = useState(false);
  const [showDone, setShowDone] = useState(true);
  const askId = useId();
  const questions = model.state.questions;
  const open = questions.filter((q) => q.status === 'open');
  const done = questions.filter((q) => q.status !== 'open');
  return (
    <div className="rm-qa">
      {can(model, 'question-ask') ? (
        <form className="rm-qa-ask" onSubmit={async (e) => {
          e.preventDefault();
          if (!text.trim()) return;
          setBusy(true);
          const r = await send({ type: 'question-ask', text: text.trim(), ...(anonymous ? { anonymous: true } : {}) });
          setBusy(false);
          if (r) setText('');
        }}>
          <label htmlFor={askId} className="field-label">{t('room.qa.askLabel')}</label>
          <textarea id={askId} className="input" rows={2} maxLength={MAX_CHAT_TEXT} value={text} placeholder={t('room.qa.askPlaceholder')} onChange={(e) => setText(e.target.value)} />
          <div className="rm-qa-ask-row">
            <label className="checkbox"><input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous(e.target.checked)} /><span>{t('room.qa.anonymousOption')}</span></label>
            <button type="submit" className="btn btn-primary btn-sm" disabled={busy || !text.trim()}>{t('room.qa.ask')}</button>
          </div>
        </form>
      ) : (
        <p className="rm-chat-off" role="status">{t('room.qa.offNotice')}</p>
      )}
      <h3 className="rm-section-title">{t('room.qa.openTitle', { count: open.length })}</h3>
      {open.length === 0 ? <p className="rm-empty">{t('room.qa.empty')}</p> : <ol className="rm-q-list">{open.map((q) => <QuestionItem key={q.id} q={q} />)}</ol>}
      {done.length > 0 && (
        <>
          <button type="button" className="rm-section-toggle" aria-expanded={showDone} onClick={() => setShowDone((v) => !v)}>
            {t('room.qa.doneTitle', { count: done.length })}
          </button>
          {showDone && <ol className="rm-q-list">{done.map((q) => <QuestionItem key={q.id} q={q} />)}</ol>}
        </>
      )}
    </div>
  );
}
