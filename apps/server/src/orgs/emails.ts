// Texts of organization emails, kept together so they can be translated later (English for now).
import type { OrgRole } from '@podium/protocol';
import { simpleHtml, type EmailContent } from '../accounts/emails';

const ROLE_LABELS: Record<OrgRole, string> = { host: 'host', admin: 'administrator', owner: 'owner' };

/** The invitation email with its link (valid 7 days). `inviterName` is null when an API key invited. */
export function invitationEmail(p: { orgName: string; inviterName: string | null; role: OrgRole; link: string }): EmailContent {
  const who = p.inviterName ?? 'An administrator';
  const body = `${who} invited you to join ${p.orgName} on Podium as ${ROLE_LABELS[p.role]}.`;
  const how = 'Open this link to accept; it expires in 7 days:';
  const note = 'If you do not know this organization, ignore this email.';
  return {
    subject: `Join ${p.orgName} on Podium`,
    text: `Hello,\n\n${body}\n${how}\n\n${p.link}\n\n${note}\n`,
    html: simpleHtml({ paragraphs: ['Hello,', body, how], action: { label: 'Accept the invitation', url: p.link }, note }),
  };
}
