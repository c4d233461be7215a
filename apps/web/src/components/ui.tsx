import {
  Children,
  cloneElement,
  forwardRef,
  isValidElement,
  useEffect,
  useId,
  useRef,
  useState,
  type ButtonHTMLAttributes,
  type InputHTMLAttributes,
  type ReactElement,
  type Ref,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import { Link } from 'react-router-dom';
import { ApiError } from '../api/client';
import { useT } from '../i18n/I18nProvider';

/** Visual weight of a button. */
export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'ghost';

/** Props of Button: a native button plus a variant and a busy state. */
export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** Defaults to `secondary`. */
  variant?: ButtonVariant;
  /** Shows a spinner and disables the button while a request runs. */
  busy?: boolean;
  ref?: Ref<HTMLButtonElement>;
}

const cx = (...names: unknown[]) => names.filter(Boolean).join(' ');

/** A button; `busy` shows progress and blocks double submits. Keeps the native `type` (submit inside forms). */
export function Button({ variant = 'secondary', busy = false, className, disabled, children, ...rest }: ButtonProps) {
  return (
    <button
      {...rest}
      className={cx('btn', `btn-${variant}`, busy && 'is-busy', className)}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
    >
      {busy && <span className="spinner spinner-inline" aria-hidden="true" />}
      {children}
    </button>
  );
}

/** A router link that looks like a button. */
export function LinkButton({ to, variant = 'secondary', children, describedBy }: { to: string; variant?: ButtonVariant; children: ReactNode; /** id of what the link acts on (e.g. a list item's title), read after its name. */ describedBy?: string }) {
  return (
    <Link to={to} className={cx('btn', `btn-${variant}`)} aria-describedby={describedBy}>
      {children}
    </Link>
  );
}

/** Props of Field. */
export interface FieldProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  required?: boolean;
  /** The control's id; generated (and given to the single child control) when omitted. */
  htmlFor?: string;
  children: ReactNode;
}

/** A labelled form row; ties label, hint and error to its control for screen readers. */
export function Field({ label, hint, error, required, htmlFor, children }: FieldProps) {
  const t = useT();
  const autoId = useId();
  const only = Children.count(children) === 1 && isValidElement(children) ? (children as ReactElement<Record<string, unknown>>) : null;
  const id = htmlFor ?? (only?.props.id as string | undefined) ?? `f${autoId}`;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [only?.props['aria-describedby'] as string | undefined, hintId, errorId].filter(Boolean).join(' ') || undefined;
  const control = only
    ? cloneElement(only, {
        id,
        'aria-describedby': describedBy,
        'aria-invalid': error ? true : (only.props['aria-invalid'] as boolean | undefined),
        ...(error && typeof only.type !== 'string' ? { invalid: true } : {}),
      })
    : children;
  return (
    <div className={cx('field', error && 'has-error')}>
      <label className="field-label" htmlFor={id}>
        {label}
        {required && (
          <span className="field-required" title={t('common.required')}>
            {' '}*<span className="sr-only">{t('common.required')}</span>
          </span>
        )}
      </label>
      {control}
      {hint && (
        <div className="field-hint" id={hintId}>
          {hint}
        </div>
      )}
      {error && (
        <div className="field-error" id={errorId}>
          {error}
        </div>
      )}
    </div>
  );
}

/** Props shared by the form controls: `invalid` marks the control red and sets aria-invalid. */
interface InvalidProp {
  invalid?: boolean;
}

/** A text input (any native input type except checkbox). */
export const TextInput = forwardRef<HTMLInputElement, InputHTMLAttributes<HTMLInputElement> & InvalidProp>(function TextInput(
  { invalid, className, ...rest },
  ref,
) {
  return <input ref={ref} {...rest} className={cx('input', invalid && 'is-invalid', className)} aria-invalid={invalid || rest['aria-invalid'] || undefined} />;
});

/** A multi-line text input. */
export const TextArea = forwardRef<HTMLTextAreaElement, TextareaHTMLAttributes<HTMLTextAreaElement> & InvalidProp>(function TextArea(
  { invalid, className, ...rest },
  ref,
) {
  return <textarea ref={ref} {...rest} className={cx('input', 'textarea', invalid && 'is-invalid', className)} aria-invalid={invalid || rest['aria-invalid'] || undefined} />;
});

/** A native select (keeps the platform's keyboard and mobile behaviour). */
export const Select = forwardRef<HTMLSelectElement, SelectHTMLAttributes<HTMLSelectElement> & InvalidProp>(function Select(
  { invalid, className, ...rest },
  ref,
) {
  return <select ref={ref} {...rest} className={cx('input', 'select', invalid && 'is-invalid', className)} aria-invalid={invalid || rest['aria-invalid'] || undefined} />;
});

/** A checkbox with its label beside it (the whole label is clickable). */
export function Checkbox({ label, className, ...rest }: { label: ReactNode } & Omit<InputHTMLAttributes<HTMLInputElement>, 'type'>) {
  return (
    <label className={cx('checkbox', className)}>
      <input type="checkbox" {...rest} />
      <span>{label}</span>
    </label>
  );
}

/** Kind of an alert. */
export type AlertKind = 'error' | 'success' | 'info' | 'warning';

/** A message box; errors are announced immediately, the others politely. */
export function Alert({ kind, children }: { kind: AlertKind; children: ReactNode }) {
  return (
    <div className={cx('alert', `alert-${kind}`)} role={kind === 'error' ? 'alert' : 'status'}>
      <span className="alert-icon" aria-hidden="true">
        {kind === 'error' ? '!' : kind === 'success' ? '✓' : kind === 'warning' ? '!' : 'i'}
      </span>
      <div className="alert-body">{children}</div>
    </div>
  );
}

/** A small loading indicator with an accessible label. */
export function Spinner({ label }: { label?: string }) {
  const t = useT();
  return (
    <span className="spinner-wrap" role="status">
      <span className="spinner" aria-hidden="true" />
      <span className="sr-only">{label ?? t('common.loading')}</span>
    </span>
  );
}

/** A spinner filling the page (or the content area) while something loads. */
export function FullPageSpinner() {
  return (
    <div className="full-page-spinner">
      <Spinner />
    </div>
  );
}

/** A bordered box with an optional title row and actions. */
export function Card({ title, actions, children }: { title?: ReactNode; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="card">
      {(title || actions) && (
        <header className="card-header">
          {title && <h2 className="card-title">{title}</h2>}
          {actions && <div className="card-actions">{actions}</div>}
        </header>
      )}
      <div className="card-body">{children}</div>
    </section>
  );
}

/** The title row of a page (the page's h1). */
export function PageHeader({ title, subtitle, actions }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div className="page-header-text">
        <h1 className="page-title">{title}</h1>
        {subtitle && <p className="page-subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}

/** What a list shows when it has nothing yet, with the action that fills it. */
export function EmptyState({ title, description, action }: { title: ReactNode; description?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty-state">
      <p className="empty-title">{title}</p>
      {description && <p className="empty-description">{description}</p>}
      {action && <div className="empty-action">{action}</div>}
    </div>
  );
}

/** Previous/next buttons for cursor-paginated lists. Renders nothing when there is only one page. */
export function Pager({ hasPrevious, hasNext, onPrevious, onNext }: { hasPrevious: boolean; hasNext: boolean; onPrevious(): void; onNext(): void }) {
  const t = useT();
  if (!hasPrevious && !hasNext) return null;
  return (
    <nav className="pager" aria-label={t('ui.pagination')}>
      <Button type="button" variant="secondary" disabled={!hasPrevious} onClick={onPrevious}>
        ← {t('common.previous')}
      </Button>
      <Button type="button" variant="secondary" disabled={!hasNext} onClick={onNext}>
        {t('common.next')} →
      </Button>
    </nav>
  );
}

/** Colour of a badge. */
export type BadgeTone = 'neutral' | 'success' | 'warning' | 'danger' | 'info';

/** A small status label. */
export function Badge({ tone, children }: { tone: BadgeTone; children: ReactNode }) {
  return <span className={cx('badge', `badge-${tone}`)}>{children}</span>;
}

/** The translated message for an error: the registry code's text, else the server's message. */
export function useErrorText(): (error: unknown) => string {
  const t = useT();
  return (error) => {
    if (error instanceof ApiError) {
      const key = `errors.${error.code}`;
      const text = t(key);
      return text === key ? error.message || t('errors.INTERNAL') : text;
    }
    if (error instanceof Error && error.message) return error.message;
    return t('errors.INTERNAL');
  };
}

/** Field names listed in a VALIDATION_FAILED error's details, e.g. ["email"]. */
function invalidFields(error: unknown): string[] {
  if (!(error instanceof ApiError) || error.code !== 'VALIDATION_FAILED') return [];
  const issues = (error.details as { issues?: { path?: string }[] } | undefined)?.issues;
  if (!Array.isArray(issues)) return [];
  const names = issues.map((i) => (i.path ?? '').split('/').filter(Boolean).slice(1).join('.')).filter(Boolean);
  return [...new Set(names)];
}

/** An error alert with the translated message for an API error; renders nothing when there is no error. */
export function ErrorMessage({ error }: { error: unknown }) {
  const t = useT();
  const text = useErrorText();
  if (error === null || error === undefined) return null;
  const fields = invalidFields(error);
  return (
    <Alert kind="error">
      {text(error)}
      {fields.length > 0 && <div className="alert-detail">{t('ui.checkFields', { fields: fields.join(', ') })}</div>}
    </Alert>
  );
}

/** A button that asks "Are you sure?" inline before running a destructive action; Escape cancels. */
export function ConfirmButton({
  children,
  confirmText,
  onConfirm,
  variant = 'danger',
  describedBy,
}: {
  children: ReactNode;
  /** Label of the button that confirms, e.g. "Yes, remove". */
  confirmText: ReactNode;
  onConfirm: () => Promise<void> | void;
  variant?: ButtonVariant;
  /** id of what the button acts on (e.g. a list item's title), read after its name. */
  describedBy?: string;
}) {
  const t = useT();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  const mounted = useRef(true);
  useEffect(() => () => void (mounted.current = false), []);
  useEffect(() => {
    if (asking) cancelRef.current?.focus();
    else if (wasAsking.current) triggerRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      if (mounted.current) setAsking(false);
    } catch (err) {
      if (mounted.current) setError(err);
    } finally {
      if (mounted.current) setBusy(false);
    }
  };

  if (!asking) {
    return (
      <Button ref={triggerRef} type="button" variant={variant === 'danger' ? 'ghost' : variant} className={variant === 'danger' ? 'btn-danger-ghost' : undefined} aria-describedby={describedBy} onClick={() => setAsking(true)}>
        {children}
      </Button>
    );
  }
  return (
    <span
      className="confirm-inline"
      role="group"
      aria-label={t('ui.areYouSure')}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !busy) {
          e.stopPropagation();
          setAsking(false);
        }
      }}
    >
      <span className="confirm-question">{t('ui.areYouSure')}</span>
      <Button type="button" variant={variant === 'ghost' || variant === 'secondary' ? 'primary' : variant} busy={busy} onClick={() => void confirm()}>
        {confirmText}
      </Button>
      <Button ref={cancelRef} type="button" variant="ghost" disabled={busy} onClick={() => setAsking(false)}>
        {t('common.cancel')}
      </Button>
      {error !== null && (
        <span className="confirm-error">
          <ErrorMessage error={error} />
        </span>
      )}
    </span>
  );
}

/** A read-only value (a secret, a link) with a copy button. */
export function CopyField({ value, label }: { value: string; label: ReactNode }) {
  const t = useT();
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
    } catch {
      // Clipboard API refused (insecure context): select the text so Ctrl+C works.
      inputRef.current?.select();
      setCopied(document.execCommand?.('copy') ?? false);
    }
  };
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <div className="copy-field">
        <input ref={inputRef} id={id} className="input input-mono" readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
        <Button type="button" variant="secondary" onClick={() => void copy()}>
          {copied ? t('common.copied') : t('common.copy')}
        </Button>
        <span className="sr-only" aria-live="polite">
          {copied ? t('common.copied') : ''}
        </span>
      </div>
    </div>
  );
}

/** What a list view needs of its loading state (the `useApi` state of a paged route). */
export interface ListSource<T extends { items: unknown[] }> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/**
 * One way for every list to show its states: a spinner on first load, the error with a retry
 * button, the empty state, or the loaded page (kept on screen while it reloads).
 */
export function ListStates<T extends { items: unknown[] }>({ source, empty, children }: {
  source: ListSource<T>;
  empty: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const t = useT();
  if (source.loading && !source.data) {
    return (
      <div className="full-page-spinner" style={{ minHeight: 120 }}>
        <Spinner />
      </div>
    );
  }
  if (source.error && !source.data) {
    return (
      <div className="stack">
        <ErrorMessage error={source.error} />
        <Button type="button" onClick={source.reload}>
          {t('common.retry')}
        </Button>
      </div>
    );
  }
  if (!source.data) return null;
  if (source.data.items.length === 0) return <>{empty}</>;
  return <>{children(source.data)}</>;
}
