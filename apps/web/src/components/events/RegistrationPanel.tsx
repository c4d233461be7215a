import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { register, type PublicEvent } from '@podium/protocol';
import { ApiError, call } from '../../api/client';
import { Alert, Button, Checkbox, ErrorMessage, Field, Select, TextArea, TextInput } from '../ui';
import { useMutation } from '../../hooks/useApi';
import { useI18n } from '../../i18n/I18nProvider';
import {
  emptyValues, registrationBody, registrationIssueField, validateRegistration,
  type RegistrationErrors, type RegistrationValues,
} from './registration';

type Outcome = { kind: 'done'; email: string } | { kind: 'full' } | { kind: 'closed' };

function Notice({ icon, tone, title, children }: { icon: string; tone: 'success' | 'warning' | 'neutral' | 'danger'; title: string; children?: ReactNode }) {
  return (
    <div className={`pub-notice pub-notice-${tone}`} role="status">
      <div className="pub-notice-icon" aria-hidden="true">{icon}</div>
      <h2 className="pub-notice-title">{title}</h2>
      {children}
    </div>
  );
}

/** The registration side of the public event page: the form, or why registering is not possible, or the "check your inbox" confirmation. */
export function RegistrationPanel({ event, onReload }: { event: PublicEvent; onReload(): void }) {
  const { t, locale } = useI18n();
  const [values, setValues] = useState<RegistrationValues>(() => emptyValues(event));
  const [errors, setErrors] = useState<RegistrationErrors>({});
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [consentChanged, setConsentChanged] = useState(false);
  const [formAlert, setFormAlert] = useState<string | null>(null);
  const seenVersion = useRef(event.consentVersion);
  const formRef = useRef<HTMLFormElement>(null);
  const doneRef = useRef<HTMLDivElement>(null);

  // The consent text was reloaded with a new version: the visitor must read and tick it again.
  useEffect(() => {
    if (event.consentVersion !== seenVersion.current) {
      seenVersion.current = event.consentVersion;
      setValues((v) => ({ ...v, consent: false }));
      setConsentChanged(true);
    }
  }, [event.consentVersion]);
  useEffect(() => {
    if (outcome) doneRef.current?.focus();
  }, [outcome]);

  const focusInvalid = () => requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());

  const submit = useMutation(async (v: RegistrationValues) => {
    try {
      const result = await call(register, { params: { eventId: event.id }, body: registrationBody(v, event, locale) });
      setOutcome({ kind: 'done', email: result.emailedTo });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      switch (err.code) {
        case 'EVENT_FULL':
          setOutcome({ kind: 'full' });
          onReload();
          return;
        case 'REGISTRATION_CLOSED':
          setOutcome({ kind: 'closed' });
          onReload();
          return;
        case 'ALREADY_REGISTERED':
          setErrors({ email: 'err.alreadyRegistered' });
          setFormAlert('public.error.alreadyRegistered');
          focusInvalid();
          return;
        case 'NOT_INVITED':
          setErrors({ email: 'err.notInvited' });
          setFormAlert('public.error.notInvited');
          focusInvalid();
          return;
        case 'EVENT_PASSWORD_REQUIRED':
          setErrors({ password: event.accessMode === 'password' && v.password ? 'err.passwordWrong' : 'err.passwordRequired' });
          if (event.accessMode !== 'password') onReload();
          focusInvalid();
          return;
        case 'CONSENT_OUTDATED':
        case 'CONSENT_REQUIRED':
          setValues((x) => ({ ...x, consent: false }));
          setConsentChanged(true);
          onReload();
          requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('.pub-consent')?.focus());
          return;
        case 'VALIDATION_FAILED': {
          const issues = (err.details as { issues?: { path: string }[] } | undefined)?.issues ?? [];
          const mapped: RegistrationErrors = {};
          for (const i of issues) {
            const f = registrationIssueField(i.path);
            if (f) mapped[f] ??= 'err.invalid';
          }
          if (Object.keys(mapped).length) {
            setErrors(mapped);
            focusInvalid();
            return;
          }
          throw err;
        }
        default:
          throw err;
      }
    }
  });

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setFormAlert(null);
    const found = validateRegistration(values, event);
    setErrors(found);
    if (Object.keys(found).length) {
      focusInvalid();
      return;
    }
    await submit.run(values);
  };

  const err = (field: string) => (errors[field] ? t(`public.${errors[field]}`) : undefined);
  const setField = (key: string, value: string | boolean) => {
    setValues((v) => ({ ...v, fields: { ...v.fields, [key]: value } }));
    setErrors(({ [`field.${key}`]: _, ...rest }) => rest);
  };

  if (event.status === 'cancelled') {
    return <Notice icon="✕" tone="danger" title={t('public.cancelledTitle')}><p>{t('public.cancelledText')}</p></Notice>;
  }
  if (event.status === 'ended') {
    return <Notice icon="✓" tone="neutral" title={t('public.endedTitle')}><p>{t('public.endedText')}</p></Notice>;
  }
  if (outcome?.kind === 'done') {
    return (
      <div ref={doneRef} tabIndex={-1} className="pub-done-wrap">
        <Notice icon="✉" tone="success" title={t('public.doneTitle')}>
          <p>{t('public.doneText')} <strong className="pub-email">{outcome.email}</strong></p>
          <p className="small muted">{t('public.doneHint')}</p>
        </Notice>
      </div>
    );
  }
  if (outcome?.kind === 'full' || (event.spotsLeft !== null && event.spotsLeft <= 0)) {
    return (
      <div ref={doneRef} tabIndex={-1}>
        <Notice icon="!" tone="warning" title={t('public.fullTitle')}><p>{t('public.fullText')}</p></Notice>
      </div>
    );
  }
  if (outcome?.kind === 'closed' || !event.registrationOpen) {
    return (
      <div ref={doneRef} tabIndex={-1}>
        <Notice icon="!" tone="neutral" title={t('public.closedTitle')}><p>{t('public.closedText')}</p></Notice>
      </div>
    );
  }

  return (
    <form ref={formRef} className="form pub-form" onSubmit={(e) => void onSubmit(e)} noValidate aria-labelledby="pub-form-title">
      <div>
        <h2 id="pub-form-title" className="pub-form-title">{t('public.registerTitle')}</h2>
        <p className="small muted pub-form-lead">
          {event.accessMode === 'invitation' ? t('public.leadInvitation') : t('public.lead')}
        </p>
      </div>
      {formAlert && <Alert kind="error">{t(formAlert)}</Alert>}
      <Field label={t('public.name')} required error={err('name')}>
        <TextInput value={values.name} autoComplete="name" maxLength={120} invalid={!!errors.name}
          onChange={(e) => { setValues({ ...values, name: e.target.value }); setErrors(({ name: _, ...r }) => r); }} />
      </Field>
      <Field label={t('public.email')} required error={err('email')}>
        <TextInput type="email" value={values.email} autoComplete="email" inputMode="email" maxLength={254} invalid={!!errors.email}
          onChange={(e) => { setValues({ ...values, email: e.target.value }); setErrors(({ email: _, ...r }) => r); setFormAlert(null); }} />
      </Field>
      {event.registrationFields.map((f) => {
        const value = values.fields[f.key];
        const error = err(`field.${f.key}`);
        if (f.type === 'checkbox') {
          return (
            <div key={f.key} className={`field${error ? ' has-error' : ''}`}>
              <Checkbox label={<>{f.label}{f.required && <span className="field-required"> *</span>}</>}
                checked={value === true} aria-invalid={!!error || undefined}
                onChange={(e) => setField(f.key, e.target.checked)} />
              {error && <div className="field-error">{error}</div>}
            </div>
          );
        }
        return (
          <Field key={f.key} label={f.label} required={f.required} error={error}>
            {f.type === 'textarea' ? (
              <TextArea rows={3} maxLength={2000} value={String(value ?? '')} invalid={!!error} onChange={(e) => setField(f.key, e.target.value)} />
            ) : f.type === 'select' ? (
              <Select value={String(value ?? '')} invalid={!!error} onChange={(e) => setField(f.key, e.target.value)}>
                <option value="">{t('public.choose')}</option>
                {(f.options ?? []).map((o) => <option key={o} value={o}>{o}</option>)}
              </Select>
            ) : (
              <TextInput maxLength={2000} value={String(value ?? '')} invalid={!!error} onChange={(e) => setField(f.key, e.target.value)} />
            )}
          </Field>
        );
      })}
      {event.accessMode === 'password' && (
        <Field label={t('public.password')} required error={err('password')} hint={t('public.passwordHint')}>
          <TextInput type="password" autoComplete="off" maxLength={200} value={values.password} invalid={!!errors.password}
            onChange={(e) => { setValues({ ...values, password: e.target.value }); setErrors(({ password: _, ...r }) => r); }} />
        </Field>
      )}
      <div className={`field${errors.consent ? ' has-error' : ''}`}>
        <span className="field-label" id="pub-consent-label">{t('public.consentTitle')}</span>
        {consentChanged && <Alert kind="warning">{t('public.consentChanged')}</Alert>}
        <div className="pub-consent" tabIndex={0} role="region" aria-labelledby="pub-consent-label">
          {event.consentText}
        </div>
        <Checkbox
          label={<>{t('public.consentAccept')}<span className="field-required"> *</span></>}
          checked={values.consent}
          aria-invalid={!!errors.consent || undefined}
          onChange={(e) => { setValues({ ...values, consent: e.target.checked }); setErrors(({ consent: _, ...r }) => r); }}
        />
        {errors.consent && <div className="field-error">{err('consent')}</div>}
      </div>
      <ErrorMessage error={submit.error} />
      <Button type="submit" variant="primary" className="btn-block btn-lg" busy={submit.busy}>
        {submit.busy ? t('public.registering') : t('public.register')}
      </Button>
      <p className="small muted pub-privacy">{t('public.privacyNote')}</p>
    </form>
  );
}
