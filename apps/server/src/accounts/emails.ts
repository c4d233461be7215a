// Texts of account emails, kept together so they can be translated later (English for now).

/** An email's subject and bodies, ready for `ctx.mailer.send`. */
export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A plain, client-safe HTML body: paragraphs, one button, a closing note. Every part is escaped. */
export function simpleHtml(parts: { paragraphs: string[]; action: { label: string; url: string }; note: string }): string {
  const p = (t: string) => `<p style="margin:0 0 16px">${escapeHtml(t)}</p>`;
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;font-size:15px;line-height:1.5;color:#1d2433">
${parts.paragraphs.map(p).join('\n')}
<p style="margin:24px 0"><a href="${escapeHtml(parts.action.url)}" style="background:#2f5bea;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">${escapeHtml(parts.action.label)}</a></p>
<p style="margin:0 0 16px;color:#5b6478;font-size:13px">${escapeHtml(parts.note)}</p>
</body></html>`;
}

/** The password-reset email with its single-use link (valid one hour). */
export function passwordResetEmail(p: { name: string; link: string }): EmailContent {
  const intro = `Hello ${p.name},`;
  const body = 'Someone asked to reset the password of your Podium account. Use this link to choose a new password; it works once and expires in one hour:';
  const note = 'If you did not ask for this, ignore this email: your password stays as it is.';
  return {
    subject: 'Reset your Podium password',
    text: `${intro}\n\n${body}\n\n${p.link}\n\n${note}\n`,
    html: simpleHtml({ paragraphs: [intro, body], action: { label: 'Choose a new password', url: p.link }, note }),
  };
}
