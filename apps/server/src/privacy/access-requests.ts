/**
 * The data subject's own access request: they give an email, Podium emails a one-time link to
 * that address (proving they hold it), the link downloads the export once. The answer to the
 * request is the same whether or not anything is stored for the address.
 */
import { PodiumError } from '@podium/protocol';
import type { AppContext } from '../context';
import { hashToken, randomToken } from '../security/secrets';
import { appendAudit } from './audit-log';
import { findSubject, normalizeEmail, subjectRef, type SubjectIds } from './subjects';

/** How long an emailed link works. */
export const ACCESS_LINK_HOURS = 24;

/** Records a request and emails the link when data is held for the address. */
export async function requestAccess(ctx: AppContext, emailIn: string): Promise<void> {
  const email = normalizeEmail(emailIn);
  const subject = await findSubject(ctx.sql, { email });
  if (!subject.personIds.length) return;
  const token = randomToken();
  const now = ctx.now();
  const ref = subjectRef(ctx.secrets, email);
  const link = `${ctx.config.publicUrl}/api/v1/privacy/access-requests/export?token=${encodeURIComponent(token)}`;
  await ctx.sql.transaction(async (tx) => {
    await tx.query(
      'insert into privacy_requests (token_hash, subject_ref, email, created_at, expires_at) values ($1, $2, $3, $4, $5)',
      [hashToken(token), ref, email, now, new Date(now.getTime() + ACCESS_LINK_HOURS * 3_600_000)],
    );
    await ctx.mailer.send({
      orgId: null, to: email, subject: 'Your data held by Podium',
      text: [
        'You (or someone using your address) asked for a copy of the personal data this Podium installation holds about you.',
        '',
        `Download it here (once, within ${ACCESS_LINK_HOURS} hours): ${link}`,
        '',
        'If you did not ask for this, ignore this email: nothing is sent anywhere else.',
        `To ask again later: ${ctx.config.publicUrl}/my-data`,
      ].join('\n'),
    }, tx);
    await appendAudit(tx, { orgId: null, actor: `subject:${ref}`, action: 'subject.export-requested', subjectRef: ref }, now);
  });
}

/** Uses up a link: the subject it was for, or TOKEN_INVALID. */
export async function redeemAccessToken(ctx: AppContext, token: string): Promise<{ subject: SubjectIds; ref: string }> {
  const [row] = await ctx.sql.query<{ email: string; subject_ref: string }>(
    'delete from privacy_requests where token_hash = $1 and expires_at > $2 returning email, subject_ref', [hashToken(token), ctx.now()],
  );
  if (!row) throw new PodiumError('TOKEN_INVALID');
  return { subject: await findSubject(ctx.sql, { email: row.email }), ref: row.subject_ref };
}
