import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import type { MembershipSummary } from '@podium/protocol';
import { useT } from '../i18n/I18nProvider';
import { IconCheck, IconChevrons, IconPlus } from './icons';

/** The organization picker of the sidebar: a button opening the list of the person's organizations and "New organization". */
export function OrgSwitcher({ memberships, current }: { memberships: readonly MembershipSummary[]; current: MembershipSummary | null }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const listId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    rootRef.current?.querySelector<HTMLElement>('[aria-current="true"], a')?.focus();
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  return (
    <div
      className="org-switcher"
      ref={rootRef}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setOpen(false);
          buttonRef.current?.focus();
        }
      }}
      onBlur={(e) => {
        if (open && !rootRef.current?.contains(e.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        className="org-switcher-button"
        aria-expanded={open}
        aria-controls={listId}
        title={current?.orgName}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="org-initial" aria-hidden="true">
          {(current?.orgName ?? '+').slice(0, 1).toUpperCase()}
        </span>
        <span className="org-switcher-text">
          <span className="org-switcher-label">{t('shell.organization')}</span>
          <span className="org-switcher-name">{current?.orgName ?? t('shell.noOrganization')}</span>
        </span>
        <IconChevrons />
      </button>
      {open && (
        <div className="org-menu" id={listId}>
          {memberships.length > 0 && (
            <ul className="org-menu-list" aria-label={t('shell.switchOrganization')}>
              {memberships.map((m) => (
                <li key={m.orgId}>
                  <Link to={`/o/${m.orgId}`} className="org-menu-item" aria-current={m.orgId === current?.orgId ? 'true' : undefined} onClick={() => setOpen(false)}>
                    <span className="org-initial small" aria-hidden="true">
                      {m.orgName.slice(0, 1).toUpperCase()}
                    </span>
                    <span className="org-menu-name">
                      {m.orgName}
                      <span className="org-menu-role">{t(`shell.role.${m.role}`)}</span>
                    </span>
                    {m.orgId === current?.orgId && <IconCheck />}
                  </Link>
                </li>
              ))}
            </ul>
          )}
          <Link to="/orgs/new" className="org-menu-item org-menu-new" onClick={() => setOpen(false)}>
            <IconPlus />
            <span>{t('shell.newOrganization')}</span>
          </Link>
        </div>
      )}
    </div>
  );
}
