import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

/**
 * A button that opens a small panel (a menu, a picker, a form). Escape or a click outside closes
 * it and gives the focus back to the button; the first control inside gets the focus on opening.
 * With `menu`, the panel is an ARIA menu whose items move with the arrow keys.
 */
export function Popover({
  label, content, children, className, panelClassName, align = 'start', placement = 'below', menu = false, disabled = false, pressed, title,
}: {
  /** Accessible name of the button. */
  label: string;
  /** What the button shows. */
  content: ReactNode;
  /** The panel; `close` shuts it. */
  children: (close: () => void) => ReactNode;
  className?: string;
  panelClassName?: string;
  align?: 'start' | 'end' | 'center';
  placement?: 'below' | 'above';
  menu?: boolean;
  disabled?: boolean;
  pressed?: boolean;
  title?: string;
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const wrap = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  const close = (focusButton = true) => {
    setOpen(false);
    if (focusButton) button.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    const first = panel.current?.querySelector<HTMLElement>('[role="menuitem"], [role="menuitemcheckbox"], button:not(:disabled), input, select, textarea, a[href]');
    first?.focus();
    const onDown = (e: PointerEvent) => {
      if (wrap.current && !wrap.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      close();
      return;
    }
    if (!menu || (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End')) return;
    const items = [...(panel.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"]), [role="menuitemcheckbox"]') ?? [])];
    if (items.length === 0) return;
    e.preventDefault();
    const i = items.indexOf(document.activeElement as HTMLElement);
    const next = e.key === 'Home' ? 0 : e.key === 'End' ? items.length - 1 : e.key === 'ArrowDown' ? (i + 1) % items.length : (i - 1 + items.length) % items.length;
    items[next].focus();
  };

  return (
    <div className={`rm-pop ${className ?? ''}`} ref={wrap} onKeyDown={onKeyDown}>
      <button
        ref={button}
        type="button"
        className="rm-pop-button"
        aria-label={label}
        title={title ?? label}
        aria-haspopup={menu ? 'menu' : 'dialog'}
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-pressed={pressed}
        disabled={disabled}
        onClick={() => setOpen((o) => !o)}
      >
        {content}
      </button>
      {open && (
        <div
          ref={panel}
          id={id}
          className={`rm-pop-panel rm-pop-${align} rm-pop-${placement} ${panelClassName ?? ''}`}
          role={menu ? 'menu' : 'dialog'}
          aria-label={label}
        >
          {children(() => close())}
        </div>
      )}
    </div>
  );
}

/** An item of a Popover menu. */
export function MenuItem({ children, onSelect, danger = false, disabled = false, checked }: {
  children: ReactNode; onSelect(): void; danger?: boolean; disabled?: boolean; checked?: boolean;
}) {
  return (
    <button
      type="button"
      role={checked === undefined ? 'menuitem' : 'menuitemcheckbox'}
      aria-checked={checked}
      aria-disabled={disabled || undefined}
      className={`rm-menu-item${danger ? ' is-danger' : ''}`}
      onClick={() => !disabled && onSelect()}
      tabIndex={-1}
    >
      {checked !== undefined && <span className="rm-menu-check" aria-hidden="true">{checked ? '✓' : ''}</span>}
      {children}
    </button>
  );
}
