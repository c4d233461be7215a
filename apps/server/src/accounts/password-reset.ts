import { PodiumError, type UserId } from '@podium/protocol';
import type { AppContext } from '../context';
import { hashToken, randomToken } from '../security/secrets';
import type { SqlRunner } from '../storage/sql';
import { emailLower } from './email-address';
import { passwordResetEmail } from './emails';
import { newPasswordHash, type AccountDeps } from './service';
import {
  consumePasswordReset, deletePasswordResetsOfUser, deleteUserSessions, findUserByEmail, insertPasswordReset, setPasswordHash,
} from './store';

/** How long a reset link works. */
export const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;

/** What requesting a reset needs: account deps plus the mailer. */
export type PasswordResetDeps = AccountDeps & Pick<AppContext, 'mailer'>;

/**
 * Emails a single-use reset link when the account exists; does nothing visible otherwise, so the
 * caller answers the same either way (no account enumeration).
 */
export async function requestPasswordReset(deps: PasswordResetDeps, email: string): Promise<void> {
  const user = await findUserByEmail(deps.sql, emailLower(email));
  if (!user) return;
  const token = randomToken();
  const now = deps.now();
  const link = `${deps.config.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
  const mail = passwordResetEmail({ name: user.name, link });
  await deps.sql.transaction(async (tx) => {
    await insertPasswordReset(tx, { tokenHash: hashToken(token), userId: user.id, createdAt: now, expiresAt: new Date(now.getTime() + PASSWORD_RESET_TTL_MS) });
    await deps.mailer.send({ orgId: null, to: user.email, ...mail }, tx);
  });
}

/** Sets a new password, then ends every session and every other reset link of the user. */
async function replacePassword(tx: SqlRunner, userId: UserId, passwordHash: string): Promise<void> {
  await setPasswordHash(tx, userId, passwordHash);
  await deleteUserSessions(tx, userId);
  await deletePasswordResetsOfUser(tx, userId);
}

/** Sets the new password with an emailed token (TOKEN_INVALID when unknown, used or expired). */
export async function confirmPasswordReset(deps: AccountDeps, token: string, password: string): Promise<void> {
  // Check the password first: a weak one must not use up the link.
  const passwordHash = await newPasswordHash(password);
  await deps.sql.transaction(async (tx) => {
    const userId = await consumePasswordReset(tx, hashToken(token), deps.now());
    if (!userId) throw new PodiumError('TOKEN_INVALID');
    await replacePassword(tx, userId, passwordHash);
  });
}

/** Sets a person's password directly (operator command); false when no account has this email. */
export async function setPasswordByEmail(deps: AccountDeps, email: string, password: string): Promise<boolean> {
  const passwordHash = await newPasswordHash(password);
  return deps.sql.transaction(async (tx) => {
    const user = await findUserByEmail(tx, emailLower(email));
    if (!user) return false;
    await replacePassword(tx, user.id, passwordHash);
    return true;
  });
}
