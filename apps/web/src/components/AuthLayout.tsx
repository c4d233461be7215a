import { useEffect, type ReactNode } from 'react';
import { Logo } from './Brand';
import { LanguageSelect } from './LanguageSelect';

/** The frame of the full-screen account pages (sign-in, setup, invitation): logo, a card, the language switch. */
export function AuthLayout({ title, lead, wide, children, footer }: { title: string; lead?: ReactNode; wide?: boolean; children: ReactNode; footer?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Podium`;
  }, [title]);
  return (
    <div className="auth-page">
      <div className="auth-brand">
        <Logo />
      </div>
      <main className={wide ? 'auth-card wide' : 'auth-card'}>
        <h1>{title}</h1>
        {lead && <p className="auth-lead">{lead}</p>}
        {children}
      </main>
      {footer && <div className="auth-footer">{footer}</div>}
      <div className="auth-lang">
        <LanguageSelect compact />
      </div>
    </div>
  );
}
