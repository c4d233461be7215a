import {
  newId, PodiumError,
  type Invitation, type InvitationId, type InvitationPreview, type Locale, type OrgId, type OrgRole, type PageOf, type PageQuery, type UserId,
} from '@podium/protocol';
import type { AppContext } from '../context';
import { emailAsTyped, emailLower } from '../accounts/email-address';
import { createAccount, newPasswordHash, type SignedIn } from '../accounts/service';
import { createSession } from '../accounts/sessions';
import { findUserByEmail, findUserById } from '../accounts/store';
import { cursorDate, decodeCursor, pageLimit, slicePage } from '../http/pagination';
import { hashToken, randomToken } from '../security/secrets';
import { toInvitation } from './dto';
import { invitationEmail } from './emails';
import {
  findUsableInvitation, insertInvitation, listInvitations, markInvitationAccepted, revokeInvitation, revokePendingForEmail,
  type InvitationRow,
} from './invitations-store';
import type { OrgActor } from './service';
import { findOrg, insertMembership, isMemberByEmail } from './store';

/** How long an invitation link works. */
export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** What invitation services need from the application context. */
export type InvitationDeps = Pick<AppContext, 'sql' | 'now' | 'config' | 'mailer'>;

/**
 * Invites an email with a role and emails the link. Only owners invite owners; members cannot be
 * invited again; a new invitation replaces a pending one for the same email.
 */
export async function createInvitation(
  deps: InvitationDeps, orgId: OrgId, actor: OrgActor, b: { email: string; role: OrgRole },
): Promise<InvitationRow> {
  if (b.role === 'owner' && actor.role !== 'owner') throw new PodiumError('FORBIDDEN', 'Only owners can invite owners.');
  const lower = emailLower(b.email);
  const token = randomToken();
  const now = deps.now();
  return deps.sql.transaction(async (tx) => {
    const org = await findOrg(tx, orgId);
    if (!org) throw new PodiumError('ORG_NOT_FOUND');
    if (await isMemberByEmail(tx, orgId, lower)) throw new PodiumError('ALREADY_MEMBER');
    await revokePendingForEmail(tx, orgId, lower, now);
    const row = await insertInvitation(tx, {
      id: newId('invitation'), orgId, email: emailAsTyped(b.email), emailLower: lower, role: b.role,
      tokenHash: hashToken(token), invitedBy: actor.userId, createdAt: now, expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
    });
    const inviter = actor.userId ? await findUserById(tx, actor.userId) : undefined;
    const link = `${deps.config.publicUrl}/invite?token=${encodeURIComponent(token)}`;
    const mail = invitationEmail({ orgName: org.name, inviterName: inviter?.name ?? null, role: b.role, link });
    await deps.mailer.send({ orgId, to: row.email, ...mail }, tx);
    return row;
  });
}

/** A page of pending and accepted invitations, newest first. */
export async function listOrgInvitations(deps: InvitationDeps, orgId: OrgId, query: PageQuery): Promise<PageOf<Invitation>> {
  const limit = pageLimit(query);
  const after = decodeCursor(query.cursor, ['string', 'string'] as const);
  const rows = await listInvitations(deps.sql, orgId, after && { createdAt: cursorDate(after[0]), id: after[1] }, limit + 1);
  return slicePage(rows, limit, (r) => [r.created_at.toISOString(), r.id], toInvitation);
}

/** Withdraws a pending invitation (INVITATION_NOT_FOUND when none is pending with this id). */
export async function revokeOrgInvitation(deps: InvitationDeps, orgId: OrgId, id: InvitationId): Promise<void> {
  if (!(await revokeInvitation(deps.sql, orgId, id, deps.now()))) throw new PodiumError('INVITATION_NOT_FOUND');
}

/** What an invitation link offers, so the page can ask to sign in or to create the account. */
export async function previewInvitation(deps: InvitationDeps, token: string): Promise<InvitationPreview> {
  const inv = await findUsableInvitation(deps.sql, hashToken(token), deps.now());
  if (!inv) throw new PodiumError('INVITATION_NOT_FOUND');
  const account = await findUserByEmail(deps.sql, inv.email_lower);
  return { orgName: inv.org_name, email: inv.email, role: inv.role, accountExists: account !== undefined };
}

/** Accepts an invitation as the signed-in person, whose email must be the invited one. */
export async function acceptAsMember(deps: InvitationDeps, token: string, userId: UserId): Promise<void> {
  await deps.sql.transaction(async (tx) => {
    const now = deps.now();
    const inv = await findUsableInvitation(tx, hashToken(token), now, true);
    if (!inv) throw new PodiumError('INVITATION_NOT_FOUND');
    const user = await findUserById(tx, userId);
    if (!user) throw new PodiumError('UNAUTHENTICATED');
    if (user.email_lower !== inv.email_lower) throw new PodiumError('INVITATION_EMAIL_MISMATCH');
    if (!(await insertMembership(tx, { orgId: inv.org_id, userId, role: inv.role, createdAt: now }))) {
      throw new PodiumError('ALREADY_MEMBER');
    }
    await markInvitationAccepted(tx, inv.id, now);
  });
}

/**
 * Accepts an invitation by creating the account for the invited email, and signs it in.
 * EMAIL_TAKEN when that email already has an account: its owner signs in first.
 */
export async function acceptAsNewAccount(
  deps: InvitationDeps, b: { token: string; name?: string; password?: string; locale?: Locale },
): Promise<SignedIn> {
  const tokenHash = hashToken(b.token);
  // Fail fast on a dead link before spending argon2 time on the password.
  if (!(await findUsableInvitation(deps.sql, tokenHash, deps.now()))) throw new PodiumError('INVITATION_NOT_FOUND');
  const missing = (['name', 'password'] as const).filter((k) => b[k] === undefined);
  if (missing.length) {
    throw new PodiumError('VALIDATION_FAILED', 'Give a name and a password to create your account.', {
      issues: missing.map((k) => ({ path: `/body/${k}`, message: 'is required to create the account' })),
    });
  }
  const passwordHash = await newPasswordHash(b.password!);
  return deps.sql.transaction(async (tx) => {
    const now = deps.now();
    const inv = await findUsableInvitation(tx, tokenHash, now, true);
    if (!inv) throw new PodiumError('INVITATION_NOT_FOUND');
    const user = await createAccount(tx, { email: inv.email, name: b.name!, passwordHash, locale: b.locale }, now);
    await insertMembership(tx, { orgId: inv.org_id, userId: user.id, role: inv.role, createdAt: now });
    await markInvitationAccepted(tx, inv.id, now);
    return { userId: user.id, session: await createSession(tx, deps.config, user.id, now) };
  });
}
