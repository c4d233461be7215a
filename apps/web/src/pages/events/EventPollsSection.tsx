import { useState } from 'react';
import {
  MAX_POLL_OPTIONS, createPoll, deletePoll, listPolls, updatePoll, type Event, type Poll, type PollDraft,
} from '@podium/protocol';
import { call } from '../../api/client';
import { Badge, Button, Card, Checkbox, ConfirmButton, EmptyState, ErrorMessage, Field, Spinner, TextInput } from '../../components/ui';
import { useApi, useMutation } from '../../hooks/useApi';
import { useT } from '../../i18n/I18nProvider';
import { PollResultBars } from '../../room/PollResultBars';
import '../../room/room.css';

/** The form of a prepared poll (new, or a draft being changed). */
function PollForm({ initial, onSave, onCancel, busy, error }: {
  initial?: PollDraft;
  onSave(d: PollDraft): void;
  onCancel(): void;
  busy: boolean;
  error: unknown;
}) {
  const t = useT();
  const [question, setQuestion] = useState(initial?.question ?? '');
  const [options, setOptions] = useState<string[]>(initial?.options ?? ['', '']);
  const [multiple, setMultiple] = useState(initial?.multiple ?? false);
  const [tried, setTried] = useState(false);
  const filled = options.map((o) => o.trim()).filter(Boolean);
  const questionError = tried && !question.trim() ? t('room.prep.polls.needQuestion') : undefined;
  const optionsError = tried && filled.length < 2 ? t('room.prep.polls.needOptions') : undefined;
  return (
    <form className="form rp-poll-form" noValidate onSubmit={(e) => {
      e.preventDefault();
      setTried(true);
      if (!question.trim() || filled.length < 2) return;
      onSave({ question: question.trim(), options: filled, multiple });
    }}>
      <Field label={t('room.polls.question')} required error={questionError}>
        <TextInput value={question} maxLength={500} onChange={(e) => setQuestion(e.target.value)} autoFocus />
      </Field>
      <fieldset className="rm-poll-options">
        <legend className="field-label">{t('room.polls.options')}</legend>
        {options.map((o, i) => (
          <div key={i} className="rm-poll-option-row">
            <TextInput aria-label={t('room.polls.optionN', { n: i + 1 })} maxLength={200} value={o} onChange={(e) => setOptions(options.map((x, j) => (j === i ? e.target.value : x)))} />
            {options.length > 2 && (
              <Button type="button" variant="ghost" aria-label={t('room.polls.removeOption', { n: i + 1 })} onClick={() => setOptions(options.filter((_, j) => j !== i))}>×</Button>
            )}
          </div>
        ))}
        {optionsError && <div className="field-error">{optionsError}</div>}
        {options.length < MAX_POLL_OPTIONS && (
          <div><Button type="button" variant="ghost" onClick={() => setOptions([...options, ''])}>+ {t('room.polls.addOption')}</Button></div>
        )}
      </fieldset>
      <Checkbox label={t('room.polls.multiple')} checked={multiple} onChange={(e) => setMultiple(e.target.checked)} />
      <ErrorMessage error={error} />
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy}>{t('room.prep.polls.save')}</Button>
        <Button type="button" variant="ghost" onClick={onCancel}>{t('common.cancel')}</Button>
      </div>
    </form>
  );
}

/** Polls prepared before the event (launched from the room), and the results of those already run. */
export function EventPollsSection({ event }: { event: Event }) {
  const t = useT();
  const params = { orgId: event.orgId, eventId: event.id };
  const list = useApi(listPolls, { params }, [event.id]);
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const save = useMutation(async (draft: PollDraft, pollId?: string) => {
    if (pollId) await call(updatePoll, { params: { ...params, pollId }, body: draft });
    else await call(createPoll, { params, body: draft });
    setEditing(null);
    list.reload();
  });
  const editable = event.status === 'scheduled' || event.status === 'live';
  const polls = list.data?.items ?? [];
  return (
    <Card
      title={t('room.prep.polls.title')}
      actions={editable && editing === null ? <Button type="button" onClick={() => { save.reset(); setEditing('new'); }}>+ {t('room.polls.new')}</Button> : undefined}
    >
      <div className="stack">
        <p className="small muted">{t('room.prep.polls.hint')}</p>
        {editing === 'new' && <PollForm busy={save.busy} error={save.error} onCancel={() => setEditing(null)} onSave={(d) => void save.run(d)} />}
        {list.error ? <ErrorMessage error={list.error} /> : list.loading && !list.data ? <div className="ev-loading"><Spinner /></div> : polls.length === 0 && editing !== 'new' ? (
          <EmptyState title={t('room.prep.polls.empty')} description={t('room.prep.polls.emptyHint')} />
        ) : (
          <ul className="rp-prep-polls">
            {polls.map((p) => (
              <li key={p.id} className="rp-prep-poll">
                {editing === p.id ? (
                  <PollForm initial={p} busy={save.busy} error={save.error} onCancel={() => setEditing(null)} onSave={(d) => void save.run(d, p.id)} />
                ) : (
                  <>
                    <div className="rm-poll-head">
                      <h3 className="rm-poll-question">{p.question}</h3>
                      <Badge tone={p.status === 'live' ? 'success' : p.status === 'draft' ? 'neutral' : 'info'}>{t(`room.polls.status.${p.status}`)}</Badge>
                    </div>
                    {p.status === 'draft' ? (
                      <ol className="rp-prep-options">{p.options.map((o, i) => <li key={i}>{o}</li>)}</ol>
                    ) : p.results ? <PollResultBars poll={p} /> : null}
                    <p className="small muted">{p.multiple ? t('room.prep.polls.multiple') : t('room.prep.polls.single')}</p>
                    {p.status === 'draft' && editable && (
                      <div className="row">
                        <Button type="button" variant="secondary" onClick={() => { save.reset(); setEditing(p.id); }}>{t('room.prep.polls.edit')}</Button>
                        <ConfirmButton confirmText={t('room.prep.polls.deleteConfirm')} onConfirm={async () => {
                          await call(deletePoll, { params: { ...params, pollId: p.id } });
                          list.reload();
                        }}>{t('room.polls.delete')}</ConfirmButton>
                      </div>
                    )}
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </div>
    </Card>
  );
}
