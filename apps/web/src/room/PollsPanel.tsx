import { useId, useState } from 'react';
import { MAX_POLL_OPTIONS, type Poll } from '@podium/protocol';
import { canVote, isStaff } from '@podium/client';
import { useT } from '../i18n/I18nProvider';
import { useRoom } from './context';
import { PollResultBars } from './PollResultBars';

/** An attendee's view of a live poll: choose, vote once; then thanks (and results when shared). */
function VoteForm({ poll }: { poll: Poll }) {
  const t = useT();
  const { model, conn, attempt } = useRoom();
  const [choice, setChoice] = useState<number[]>([]);
  const [busy, setBusy] = useState(false);
  const name = useId();
  if (!canVote(model, poll)) return null;
  return (
    <form className="rm-vote-form" onSubmit={async (e) => {
      e.preventDefault();
      if (choice.length === 0) return;
      setBusy(true);
      await attempt(() => conn.votePoll(poll.id, choice));
      setBusy(false);
    }}>
      <fieldset>
        <legend className="sr-only">{poll.question}</legend>
        {poll.options.map((o, i) => (
          <label key={i} className="rm-option">
            <input type={poll.multiple ? 'checkbox' : 'radio'} name={name} checked={choice.includes(i)}
              onChange={(e) => setChoice(poll.multiple ? (e.target.checked ? [...choice, i].sort() : choice.filter((x) => x !== i)) : [i])} />
            <span>{o}</span>
          </label>
        ))}
      </fieldset>
      <button type="submit" className="btn btn-primary btn-sm" disabled={busy || choice.length === 0}>{t('room.polls.vote')}</button>
    </form>
  );
}

/** A new poll (staff): question, 2–10 options, single or multiple choice; launch now or keep as draft. */
function CreatePoll({ onDone }: { onDone(): void }) {
  const t = useT();
  const { send } = useRoom();
  const [question, setQuestion] = useState('');
  const [options, setOptions] = useState(['', '']);
  const [multiple, setMultiple] = useState(false);
  const [busy, setBusy] = useState(false);
  const qid = useId();
  const valid = question.trim() && options.filter((o) => o.trim()).length >= 2;
  const submit = async (launch: boolean) => {
    if (!valid) return;
    setBusy(true);
    const r = await send({ type: 'poll-create', poll: { question: question.trim(), options: options.map((o) => o.trim()).filter(Boolean), multiple }, ...(launch ? { launch: true } : {}) });
    setBusy(false);
    if (r) onDone();
  };
  return (
    <form className="rm-poll-create" onSubmit={(e) => { e.preventDefault(); void submit(true); }}>
      <div className="field">
        <label className="field-label" htmlFor={qid}>{t('room.polls.question')}</label>
        <input id={qid} className="input" maxLength={500} value={question} onChange={(e) => setQuestion(e.target.value)} autoFocus />
      </div>
      <fieldset className="rm-poll-options">
        <legend className="field-label">{t('room.polls.options')}</legend>
        {options.map((o, i) => (
          <div key={i} className="rm-poll-option-row">
            <input className="input" aria-label={t('room.polls.optionN', { n: i + 1 })} maxLength={200} value={o}
              onChange={(e) => setOptions(options.map((x, j) => (j === i ? e.target.value : x)))} />
            {options.length > 2 && (
              <button type="button" className="btn btn-ghost btn-sm" aria-label={t('room.polls.removeOption', { n: i + 1 })} onClick={() => setOptions(options.filter((_, j) => j !== i))}>×</button>
            )}
          </div>
        ))}
        {options.length < MAX_POLL_OPTIONS && (
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => setOptions([...options, ''])}>+ {t('room.polls.addOption')}</button>
        )}
      </fieldset>
      <label className="checkbox"><input type="checkbox" checked={multiple} onChange={(e) => setMultiple(e.target.checked)} /><span>{t('room.polls.multiple')}</span></label>
      <div className="row">
        <button type="submit" className="btn btn-primary btn-sm" disabled={busy || !valid}>{t('room.polls.createLaunch')}</button>
        <button type="button" className="btn btn-secondary btn-sm" disabled={busy || !valid} onClick={() => void submit(false)}>{t('room.polls.saveDraft')}</button>
        <button type="button" className="btn btn-ghost btn-sm" onClick={onDone}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}

function PollCard({ poll }: { poll: Poll }) {
  const t = useT();
  const { model, send } = useRoom();
  const staff = isStaff(model.role);
  return (
    <li className={`rm-poll is-${poll.status}`} data-poll-id={poll.id}>
      <div className="rm-poll-head">
        <h4 className="rm-poll-question">{poll.question}</h4>
        <span className={`badge badge-${poll.status === 'live' ? 'success' : poll.status === 'draft' ? 'neutral' : 'info'}`}>{t(`room.polls.status.${poll.status}`)}</span>
      </div>
      {poll.multiple && <p className="small muted">{t('room.polls.multipleHint')}</p>}
      <VoteForm poll={poll} />
      {poll.myChoice && !staff && <p className="rm-voted" role="status">{t('room.polls.thanks')}</p>}
      {poll.results ? <PollResultBars poll={poll} /> : poll.myChoice && <p className="small muted">{t('room.polls.resultsLater')}</p>}
      {staff && (
        <div className="rm-poll-actions">
          {poll.status === 'draft' && <button type="button" className="btn btn-sm btn-primary" onClick={() => void send({ type: 'poll-launch', pollId: poll.id })}>{t('room.polls.launch')}</button>}
          {poll.status === 'live' && <button type="button" className="btn btn-sm btn-secondary" onClick={() => void send({ type: 'poll-close', pollId: poll.id })}>{t('room.polls.close')}</button>}
          {poll.status !== 'draft' && (
            <button type="button" className="btn btn-sm btn-secondary" aria-pressed={poll.resultsShared} onClick={() => void send({ type: 'poll-share', pollId: poll.id, shared: !poll.resultsShared })}>
              {poll.resultsShared ? t('room.polls.unshare') : t('room.polls.share')}
            </button>
          )}
          {poll.status === 'draft' && <button type="button" className="btn btn-sm btn-ghost" onClick={() => void send({ type: 'poll-delete', pollId: poll.id })}>{t('room.polls.delete')}</button>}
        </div>
      )}
    </li>
  );
}

/** Polls: vote in live ones, see shared results; staff create, launch, close and share. */
export function PollsPanel() {
  const t = useT();
  const { model } = useRoom();
  const staff = isStaff(model.role);
  const [creating, setCreating] = useState(false);
  const polls = [...model.state.polls].sort((a, b) => order(a) - order(b));
  return (
    <div className="rm-polls">
      {staff && (creating ? <CreatePoll onDone={() => setCreating(false)} /> : (
        <button type="button" className="btn btn-secondary btn-block" onClick={() => setCreating(true)}>+ {t('room.polls.new')}</button>
      ))}
      {polls.length === 0 ? <p className="rm-empty">{staff ? t('room.polls.emptyStaff') : t('room.polls.empty')}</p> : (
        <ol className="rm-poll-list">{polls.map((p) => <PollCard key={p.id} poll={p} />)}</ol>
      )}
    </div>
  );
}

/** Live polls first, then drafts, then closed ones. */
function order(p: Poll): number {
  return p.status === 'live' ? 0 : p.status === 'draft' ? 1 : 2;
}
