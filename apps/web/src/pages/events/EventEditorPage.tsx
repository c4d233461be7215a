import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import {
  createEvent, getEvent, updateEvent, ACCESS_MODES, EVENT_TYPES,
  type AccessMode, type Event, type EventId, type EventType, type OrgId,
} from '@podium/protocol';
import { ApiError, call } from '../../api/client';
import { Alert, Button, ErrorMessage, Field, FullPageSpinner, LinkButton, PageHeader, TextArea, TextInput, useErrorText } from '../../components/ui';
import { useApi, useMutation } from '../../hooks/useApi';
import { useI18n } from '../../i18n/I18nProvider';
import { AgendaEditor } from '../../components/events/AgendaEditor';
import { ChoiceCards } from '../../components/events/ChoiceCards';
import { EmailChipInput } from '../../components/events/ChipInput';
import { FieldsBuilder } from '../../components/events/FieldsBuilder';
import { TimeZoneSelect } from '../../components/events/TimeZoneSelect';
import {
  draftFromEvent, draftToCreateBody, draftToUpdateBody, emptyDraft, mapServerIssues, validateDraft,
  type EventDraft, type FieldErrors,
} from '../../components/events/eventDraft';
import { formatTimeRange, zonesDiffer } from '../../components/events/eventFormat';
import { fieldId } from '../../components/events/fieldId';
import { EventIcon } from '../../components/events/icons';
import { browserTimeZone, zonedToUtc } from '../../components/events/timezone';
import { useOrgMembership } from '../../components/events/useOrgRole';
import '../../components/events/events.css';

const SECTIONS = ['basics', 'when', 'agenda', 'access', 'fields', 'consent', 'presenters'] as const;
type SectionId = (typeof SECTIONS)[number];


function Section({ id, n, title, description, children }: { id: SectionId; n: number; title: string; description?: string; children: ReactNode }) {
  return (
    <section id={`sec-${id}`} className="card ev-section" aria-labelledby={`sec-${id}-title`}>
      <header className="ev-section-head">
        <span className="ev-section-num" aria-hidden="true">{n}</span>
        <div>
          <h2 className="ev-section-title" id={`sec-${id}-title`}>{title}</h2>
          {description && <p className="ev-section-desc">{description}</p>}
        </div>
      </header>
      <div className="ev-section-body">{children}</div>
    </section>
  );
}

/** Create or edit an event: one form in sections, checked on the client with the schema's rules, then by the server. */
export default function EventEditorPage() {
  const { orgId = '', eventId } = useParams();
  const { t } = useI18n();
  const existing = useApi(getEvent, eventId ? { params: { orgId: orgId as OrgId, eventId: eventId as EventId } } : null, [orgId, eventId]);
  if (eventId) {
    if (existing.error) {
      return (
        <div className="ev-page">
          <PageHeader title={t('events.editor.editTitle')} />
          <ErrorMessage error={existing.error} />
        </div>
      );
    }
    if (!existing.data) return <FullPageSpinner />;
  }
  return <EditorForm key={existing.data?.id ?? 'new'} orgId={orgId} event={eventId ? existing.data : undefined} />;
}

function EditorForm({ orgId, event }: { orgId: string; event: Event | undefined }) {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const { membership } = useOrgMembership(orgId);
  const isNew = !event;
  const readOnly = !!event && (event.status === 'ended' || event.status === 'cancelled');
  const [draft, setDraft] = useState<EventDraft>(() =>
    event ? draftFromEvent(event) : emptyDraft(browserTimeZone(), t('events.editor.defaultConsent', { org: membership?.orgName ?? '' })),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const [tried, setTried] = useState(false);
  const apiErrorText = useErrorText();

  const set = <K extends keyof EventDraft>(key: K, value: EventDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  // Once the person tried to save, errors follow their typing so fixed fields turn back to normal.
  useEffect(() => {
    if (tried) setErrors(validateDraft(draft, { isNew }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draft]);
  const errorText = (field: string): string | undefined => {
    const e = errors[field];
    return e ? t(`events.${e.key}`, e.vars) : undefined;
  };

  const save = useMutation(async (d: EventDraft) => {
    try {
      if (event) return await call(updateEvent, { params: { orgId: event.orgId, eventId: event.id }, body: draftToUpdateBody(d, event) });
      return await call(createEvent, { params: { orgId: orgId as OrgId }, body: draftToCreateBody(d) });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'VALIDATION_FAILED') {
        const issues = (err.details as { issues?: { path: string; message: string }[] } | undefined)?.issues ?? [];
        const mapped = mapServerIssues(issues);
        setErrors(mapped.errors);
        setUnplaced(mapped.unplaced);
        focusFirstError();
      }
      throw err;
    }
  });

  const focusFirstError = () =>
    requestAnimationFrame(() => {
      const el = document.querySelector<HTMLElement>('.ev-editor [aria-invalid="true"]');
      el?.focus();
      el?.scrollIntoView({ block: 'center', behavior: 'smooth' });
    });

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (readOnly) return;
    setTried(true);
    setUnplaced([]);
    const found = validateDraft(draft, { isNew });
    setErrors(found);
    if (Object.keys(found).length > 0) {
      focusFirstError();
      return;
    }
    const saved = await save.run(draft);
    if (saved) navigate(`/o/${saved.orgId}/events/${saved.id}`);
  };

  const startsAt = zonedToUtc(draft.date, draft.time, draft.timeZone);
  const duration = Number(draft.durationMinutes) || 0;
  const viewerZone = browserTimeZone();
  const errorCount = Object.keys(errors).length;
  const backTo = event ? `/o/${orgId}/events/${event.id}` : `/o/${orgId}`;

  return (
    <div className="ev-page">
      <PageHeader
        title={isNew ? t('events.editor.newTitle') : t('events.editor.editTitle')}
        subtitle={isNew ? t('events.editor.newSubtitle') : event?.title}
      />
      <div className="ev-editor-layout">
        <nav className="ev-toc" aria-label={t('events.editor.sections')}>
          <ol>
            {SECTIONS.map((s, i) => (
              <li key={s}>
                <a href={`#sec-${s}`} onClick={(e) => {
                  e.preventDefault();
                  document.getElementById(`sec-${s}`)?.scrollIntoView({ behavior: 'smooth', block: 'start' });
                  document.getElementById(`sec-${s}`)?.querySelector<HTMLElement>('input, textarea, select, button')?.focus({ preventScroll: true });
                }}>
                  <span className="ev-toc-num">{i + 1}</span> {t(`events.editor.section.${s}`)}
                </a>
              </li>
            ))}
          </ol>
        </nav>

        <form className="ev-editor" onSubmit={(e) => void onSubmit(e)} noValidate>
          {readOnly && <Alert kind="info">{t(event?.status === 'cancelled' ? 'events.editor.readOnlyCancelled' : 'events.editor.readOnlyEnded')}</Alert>}
          <fieldset className="ev-fieldset" disabled={readOnly}>
            <Section id="basics" n={1} title={t('events.editor.section.basics')} description={t('events.editor.basicsDesc')}>
              <ChoiceCards<EventType>
                legend={t('events.editor.type')}
                name="type"
                value={draft.type}
                columns={3}
                compact
                onChange={(v) => set('type', v)}
                choices={EVENT_TYPES.map((ty) => ({ value: ty, icon: <EventIcon name={ty} />, label: t(`events.type.${ty}`), description: t(`events.typeDesc.${ty}`) }))}
              />
              <Field label={t('events.editor.title')} error={errorText('title')} required>
                <TextInput id={fieldId('title')} value={draft.title} maxLength={200} autoComplete="off"
                  placeholder={t('events.editor.titlePlaceholder')} invalid={!!errors.title}
                  onChange={(e) => set('title', e.target.value)} />
              </Field>
              <Field label={t('events.editor.description')} hint={t('events.editor.descriptionHint')} error={errorText('description')}>
                <TextArea id={fieldId('description')} rows={5} value={draft.description} maxLength={10000}
                  invalid={!!errors.description} onChange={(e) => set('description', e.target.value)} />
              </Field>
            </Section>

            <Section id="when" n={2} title={t('events.editor.section.when')} description={t('events.editor.whenDesc')}>
              <div className="ev-when-grid">
                <Field label={t('events.editor.date')} error={errorText('date')} required>
                  <TextInput id={fieldId('date')} type="date" value={draft.date} invalid={!!errors.date}
                    onChange={(e) => set('date', e.target.value)} />
                </Field>
                <Field label={t('events.editor.time')} error={errorText('time')} required>
                  <TextInput id={fieldId('time')} type="time" value={draft.time} step={300} invalid={!!errors.time}
                    onChange={(e) => set('time', e.target.value)} />
                </Field>
                <Field label={t('events.editor.duration')} error={errorText('durationMinutes')} required hint={t('events.editor.durationHint')}>
                  <TextInput id={fieldId('durationMinutes')} type="number" min={5} max={1440} step={5} inputMode="numeric"
                    value={draft.durationMinutes} invalid={!!errors.durationMinutes}
                    onChange={(e) => set('durationMinutes', e.target.value)} />
                </Field>
              </div>
              <Field label={t('events.editor.timeZone')} error={errorText('timeZone')} required hint={t('events.editor.timeZoneHint')}>
                <TimeZoneSelect id={fieldId('timeZone')} value={draft.timeZone} atMs={startsAt ? Date.parse(startsAt) : Date.now()}
                  invalid={!!errors.timeZone} onChange={(z) => set('timeZone', z)} />
              </Field>
              {startsAt && duration >= 5 && (
                <div className="ev-preview" aria-live="polite">
                  <div><span className="muted">{t('events.editor.preview')}</span> {formatTimeRange(startsAt, duration, locale, draft.timeZone)}</div>
                  {zonesDiffer(startsAt, draft.timeZone, viewerZone) && (
                    <div className="muted small">{t('events.editor.previewYours', { time: formatTimeRange(startsAt, duration, locale, viewerZone) })}</div>
                  )}
                </div>
              )}
            </Section>

            <Section id="agenda" n={3} title={t('events.editor.section.agenda')} description={t('events.editor.agendaDesc')}>
              <AgendaEditor items={draft.agenda} onChange={(a) => set('agenda', a)} errors={errors} errorText={errorText} durationMinutes={duration} />
            </Section>

            <Section id="access" n={4} title={t('events.editor.section.access')} description={t('events.editor.accessDesc')}>
              <ChoiceCards<AccessMode>
                legend={t('events.editor.accessMode')}
                name="accessMode"
                value={draft.accessMode}
                columns={2}
                onChange={(v) => set('accessMode', v)}
                choices={ACCESS_MODES.map((m) => ({ value: m, icon: <EventIcon name={m} />, label: t(`events.access.${m}`), description: t(`events.accessDesc.${m}`) }))}
              />
              <div className="ev-access-grid">
                <Field label={t('events.editor.capacity')} hint={t('events.editor.capacityHint')} error={errorText('capacity')}>
                  <TextInput id={fieldId('capacity')} type="number" min={1} max={100000} inputMode="numeric"
                    placeholder={t('events.editor.capacityPlaceholder')} value={draft.capacity} invalid={!!errors.capacity}
                    onChange={(e) => set('capacity', e.target.value)} />
                </Field>
                {draft.accessMode === 'password' && (
                  <Field
                    label={t('events.editor.password')}
                    required={!draft.hasPassword}
                    hint={draft.hasPassword ? t('events.editor.passwordKeep') : t('events.editor.passwordHint')}
                    error={errorText('password')}
                  >
                    <TextInput id={fieldId('password')} type="password" autoComplete="new-password" maxLength={200}
                      value={draft.password} invalid={!!errors.password}
                      placeholder={draft.hasPassword ? '••••••••' : undefined}
                      onChange={(e) => set('password', e.target.value)} />
                  </Field>
                )}
              </div>
            </Section>

            <Section id="fields" n={5} title={t('events.editor.section.fields')} description={t('events.editor.fieldsDesc')}>
              <FieldsBuilder fields={draft.fields} onChange={(f) => set('fields', f)} errors={errors} errorText={errorText} />
            </Section>

            <Section id="consent" n={6} title={t('events.editor.section.consent')} description={t('events.editor.consentDesc')}>
              <Field
                label={t('events.editor.consentText')}
                required
                error={errorText('consentText')}
                hint={event ? t('events.editor.consentVersionHint', { version: event.consentVersion }) : t('events.editor.consentNewHint')}
              >
                <TextArea id={fieldId('consentText')} rows={6} maxLength={5000} value={draft.consentText} invalid={!!errors.consentText}
                  onChange={(e) => set('consentText', e.target.value)} />
              </Field>
              {event && draft.consentText.trim() !== event.consentText.trim() && (
                <Alert kind="warning">{t('events.editor.consentWillChange', { version: event.consentVersion + 1 })}</Alert>
              )}
            </Section>

            <Section id="presenters" n={7} title={t('events.editor.section.presenters')} description={t('events.editor.presentersDesc')}>
              <Field label={t('events.editor.presenterEmails')} hint={t('events.editor.presentersHint')} error={errorText('presenters')}>
                <EmailChipInput id={fieldId('presenters')} values={draft.presenters} invalid={!!errors.presenters}
                  placeholder={t('events.editor.presentersPlaceholder')} onChange={(p) => set('presenters', p)} />
              </Field>
            </Section>
          </fieldset>

          {unplaced.length > 0 && (
            <Alert kind="error">
              {t('events.editor.serverRejected')}
              <ul className="ev-issue-list">{unplaced.map((u) => <li key={u}>{u}</li>)}</ul>
            </Alert>
          )}
          <div className="ev-savebar">
            <div className="ev-savebar-msg" role="status">
              {save.busy ? null : errorCount > 0 ? (
                <span className="field-error">{t('events.editor.fixErrors', { count: errorCount })}</span>
              ) : save.error ? (
                <span className="field-error">{apiErrorText(save.error)}</span>
              ) : null}
            </div>
            <LinkButton to={backTo} variant="ghost">{readOnly ? t('common.back') : t('common.cancel')}</LinkButton>
            {!readOnly && (
              <Button type="submit" variant="primary" busy={save.busy}>
                {save.busy ? t('common.saving') : isNew ? t('events.editor.create') : t('events.editor.saveChanges')}
              </Button>
            )}
          </div>
        </form>
      </div>
    </div>
  );
}
