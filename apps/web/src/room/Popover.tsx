import { useEffect, useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

/**
 * A button that opens a small panel (a menu, a picker, a form). Escape or a click outside closes
 * it and gives the focus back to the button; the first control inside gets the focus on opening.
 * With `menu`, the panel is an ARIA menu whose items move with the arrow keys. The panel is
 * placed on the page itself (fixed, kept inside the window), so scrolling lists and the controls
 * bar never clip it.
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

  const [pos, setPos] = useState<{ top: number; left: number } | null>(null);
  useLayoutEffect(() => {
    if (!open) {
      setPos(null);
      return;
    }
    const place = () => {
      const b = button.current?.getBoundingClientRect();
      const p = panel.current;
      if (!b || !p) return;
      const w = p.offsetWidth;
      const h = p.offsetHeight;
      const vw = window.innerWidth;
      const vh = window.innerHeight;
      let left = align === 'end' ? b.right - w : align === 'center' ? b.left + b.width / 2 - w / 2 : b.left;
      left = Math.max(8, Math.min(left, vw - w - 8));
      let top = placement === 'above' ? b.top - h - 8 : b.bottom + 6;
      if (placement === 'below' && top + h > vh - 8 && b.top - h - 8 >= 8) top = b.top - h - 8;
      if (placement === 'above' && top < 8) top = Math.min(b.bottom + 6, vh - h - 8);
      setPos({ top: Math.max(8, top), left });
    };
    place();
    window.addEventListener('resize', place);
    window.addEventListener('scroll', place, true);
    return () => {
      window.removeEventListener('resize', place);
      window.removeEventListener('scroll', place, true);
    };
  }, [open, align, placement]);

  const placed = pos !== null;
  useEffect(() => {
    if (!open || !placed) return;
    const first = panel.current?.querySelector<HTMLElement>('[role="menuitem"], [role="menuitemcheckbox"], button:not(:disabled), input, select, textarea, a[href]');
    first?.focus();
    const onDown = (e: PointerEvent) => {
      const target = e.target as Node;
      if (wrap.current?.contains(target) || panel.current?.contains(target)) return;
      setOpen(false);
    };
    // Escape also closes it when the focus has left the panel (a control inside became disabled).
    const onEscape = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      const active = document.activeElement;
      if (active && active !== document.body && !panel.current?.contains(active) && !wrap.current?.contains(active)) return;
      close();
    };
    document.addEventListener('pointerdown', onDown);
    document.addEventListener('keydown', onEscape);
    return () => {
      document.removeEventListener('pointerdown', onDown);
      document.removeEventListener('keydown', onEscape);
    };
  }, [open, placed]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      close();
      return;
    }
    if (e.key === 'Tab') {
      // The panel lives at the end of the page: tabbing out of it goes back to its button.
      const tabbables = [...(panel.current?.querySelectorAll<HTMLElement>('button:not(:disabled):not([tabindex="-1"]), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), a[href]') ?? [])];
      const first = tabbables[0];
      const last = tabbables[tabbables.length - 1];
      const active = document.activeElement;
      if (menu || tabbables.length === 0 || (!e.shiftKey && active === last) || (e.shiftKey && active === first)) {
        e.preventDefault();
        close();
      }
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
      {open && createPortal(
        <div
          ref={panel}
          id={id}
          className={`rm-pop-panel ${panelClassName ?? ''}`}
          role={menu ? 'menu' : 'dialog'}
          aria-label={label}
          style={{ top: pos?.top ?? 0, left: pos?.left ?? 0, visibility: pos ? 'visible' : 'hidden' }}
        >
          {children(() => close())}
        </div>,
        document.body,
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
