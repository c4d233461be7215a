import { useEffect, useRef, useState, type ReactNode } from 'react';
import { NavLink, useLocation, useParams } from 'react-router-dom';
import { roleAtLeast, signOut } from '@podium/protocol';
import { call } from '../api/client';
import { useMutation } from '../hooks/useApi';
import { useT } from '../i18n/I18nProvider';
import { pickOrg, readLastOrg, writeLastOrg } from '../lib/navigation';
import { useSession } from '../session';
import { Logo } from './Brand';
import { IconClose, IconEvents, IconInbox, IconKey, IconMail, IconMembers, IconMenu, IconRecordings, IconServer, IconSettings } from './icons';
import { LanguageSelect } from './LanguageSelect';
import { OrgSwitcher } from './OrgSwitcher';
import { Button, ErrorMessage } from './ui';

/** Initials for the avatar circle, e.g. "Ada Lovelace" → "AL". */
function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? parts[parts.length - 1][0] : '')).toUpperCase() || '?';
}

/** The signed-in app frame: sidebar (a top bar with a menu on small screens), org switcher, navigation, account. */
export function AppShell({ children }: { children: ReactNode }) {
  const t = useT();
  const { me } = useSession();
  const { orgId: urlOrgId } = useParams();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const sidebarRef = useRef<HTMLElement>(null);
  const menuButtonRef = useRef<HTMLButtonElement>(null);
  const signOutAction = useMutation(async () => {
    await call(signOut);
    // A fresh page load, not setMe(null): clearing the session first let the page guard win the race
    // and land on /sign-in?next=<this person's page>, where the next person to sign in was then sent.
    window.location.replace('/sign-in');
  });

  const memberships = me?.memberships ?? [];
  const current = pickOrg(memberships, urlOrgId, readLastOrg());
  useEffect(() => {
    if (urlOrgId && current?.orgId === urlOrgId) writeLastOrg(urlOrgId);
  }, [urlOrgId, current?.orgId]);

  // Navigating closes the mobile menu.
  useEffect(() => setMenuOpen(false), [location.pathname]);
  useEffect(() => {
    if (!menuOpen) return;
    sidebarRef.current?.querySelector<HTMLElement>('a, button')?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setMenuOpen(false);
        menuButtonRef.current?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  if (!me) return <>{children}</>;
  const isAdmin = current ? roleAtLeast(current.role, 'admin') : false;
  const base = current ? `/o/${current.orgId}` : '';

  return (
    <div className={menuOpen ? 'shell menu-open' : 'shell'}>
      <a href="#main" className="skip-link">
        {t('shell.skipToContent')}
      </a>
      <header className="topbar">
        <Logo />
        <span className="topbar-org">{current?.orgName}</span>
        <button
          ref={menuButtonRef}
          type="button"
          className="btn btn-ghost menu-button"
          aria-expanded={menuOpen}
          aria-controls="app-sidebar"
          aria-label={menuOpen ? t('shell.closeMenu') : t('shell.openMenu')}
          onClick={() => setMenuOpen((o) => !o)}
        >
          <IconMenu />
        </button>
      </header>
      <div className="backdrop" onClick={() => setMenuOpen(false)} aria-hidden="true" />
      <aside className="sidebar" id="app-sidebar" ref={sidebarRef} aria-label={t('shell.sidebar')}>
        <div className="sidebar-top">
          <div className="row-between">
            <Logo />
            {menuOpen && (
              <button type="button" className="btn btn-ghost menu-button sidebar-close" aria-label={t('shell.closeMenu')} onClick={() => setMenuOpen(false)}>
                <IconClose />
              </button>
            )}
          </div>
        </div>
        <div className="sidebar-section">
          <OrgSwitcher memberships={memberships} current={current} />
        </div>
        {current && (
          <nav className="sidebar-section" aria-label={t('shell.orgNavigation')}>
            <ul className="nav">
              <li>
                <NavLink to={base} end className="nav-link">
                  <IconEvents />
                  {t('shell.events')}
                </NavLink>
              </li>
              <li>
                <NavLink to={`${base}/recordings`} className="nav-link">
                  <IconRecordings />
                  {t('shell.recordings')}
                </NavLink>
              </li>
              <li>
                <NavLink to={`${base}/members`} className="nav-link">
                  <IconMembers />
                  {t('shell.members')}
                </NavLink>
              </li>
              {isAdmin && (
                <li>
                  <NavLink to={`${base}/api-keys`} className="nav-link">
                    <IconKey />
                    {t('shell.apiKeys')}
                  </NavLink>
                </li>
              )}
              {isAdmin && (
                <li>
                  <NavLink to={`${base}/outbox`} className="nav-link">
                    <IconMail />
                    {t('shell.outbox')}
                  </NavLink>
                </li>
              )}
              <li>
                <NavLink to={`${base}/settings`} className="nav-link">
                  <IconSettings />
                  {t('shell.settings')}
                </NavLink>
              </li>
            </ul>
          </nav>
        )}
        {me.user.isInstanceAdmin && (
          <nav className="sidebar-section" aria-label={t('shell.instance')}>
            <span className="sidebar-label">{t('shell.instance')}</span>
            <ul className="nav">
              <li>
                <NavLink to="/admin/outbox" className="nav-link">
                  <IconInbox />
                  {t('shell.allMail')}
                </NavLink>
              </li>
              <li>
                <NavLink to="/admin/media" className="nav-link">
                  <IconServer />
                  {t('shell.mediaServers')}
                </NavLink>
              </li>
            </ul>
          </nav>
        )}
        <div className="sidebar-bottom">
          <div className="user-box">
            <span className="avatar" aria-hidden="true">
              {initials(me.user.name)}
            </span>
            <div style={{ minWidth: 0 }}>
              <div className="user-name">{me.user.name}</div>
              <div className="user-email">{me.user.email}</div>
            </div>
          </div>
          <div className="user-actions">
            <NavLink to="/account" className="btn btn-ghost btn-sm">
              {t('shell.account')}
            </NavLink>
            <Button type="button" variant="ghost" className="btn-sm" busy={signOutAction.busy} onClick={() => void signOutAction.run()}>
              {t('shell.signOut')}
            </Button>
          </div>
          <ErrorMessage error={signOutAction.error} />
          <LanguageSelect compact />
        </div>
      </aside>
      <main className="main" id="main" tabIndex={-1}>
        <div className="main-inner">{children}</div>
      </main>
    </div>
  );
}
