import { newId, PodiumError, type Locale, type UserId } from '@podium/protocol';
import type { AppContext } from '../context';
import type { SqlRunner } from '../storage/sql';
import { emailAsTyped, emailLower } from './email-address';
import { assertStrongPassword, hashPassword, verifyAgainstDummy, verifyPassword } from './passwords';
import { createSession, type NewSession } from './sessions';
import { assertSetupDone } from './setup-lock';
import { deleteSession, findUserByEmail, insertUser, updateUserProfile, type UserRow } from './store';

/** What account services need from the application context. */
export type AccountDeps = Pick<AppContext, 'sql' | 'now' | 'config'>;

/** A person signed in by an action: whose session was created. */
export interface SignedIn {
  userId: UserId;
  session: NewSession;
}

/** What creating an account needs (the password already checked and hashed). */
export interface NewAccount {
  email: string;
  name: string;
  passwordHash: string;
  locale?: Locale;
  isInstanceAdmin?: boolean;
}

/** Creates an account inside the caller's transaction; EMAIL_TAKEN when the email has one (unique index, race-safe). */
export async function createAccount(tx: SqlRunner, a: NewAccount, now: Date): Promise<UserRow> {
  const user = await insertUser(tx, {
    id: newId('user'),
    email: emailAsTyped(a.email),
    emailLower: emailLower(a.email),
    name: a.name.trim() || a.name,
    passwordHash: a.passwordHash,
    locale: a.locale ?? null,
    isInstanceAdmin: a.isInstanceAdmin ?? false,
    createdAt: now,
  });
  if (!user) throw new PodiumError('EMAIL_TAKEN');
  return user;
}

/** Checks and hashes a new password (WEAK_PASSWORD when too short). */
export async function newPasswordHash(password: string): Promise<string> {
  assertStrongPassword(password);
  return hashPassword(password);
}

/** Creates an account (not instance admin, in no organization) and signs it in. Needs a set-up instance. */
export async function signUp(deps: AccountDeps, b: { email: string; password: string; name: string; locale?: Locale }): Promise<SignedIn> {
  const passwordHash = await newPasswordHash(b.password);
  return deps.sql.transaction(async (tx) => {
    await assertSetupDone(tx);
    const now = deps.now();
    const user = await createAccount(tx, { email: b.email, name: b.name, passwordHash, locale: b.locale }, now);
    return { userId: user.id, session: await createSession(tx, deps.config, user.id, now) };
  });
}

/**
 * Checks email and password and starts a session. A wrong email costs the same argon2 work as a
 * wrong password and gets the same INVALID_CREDENTIALS, so neither reveals which accounts exist.
 */
export async function signIn(deps: AccountDeps, b: { email: string; password: string }, previousSessionHash?: string): Promise<SignedIn> {
  const user = await findUserByEmail(deps.sql, emailLower(b.email));
  const ok = user ? await verifyPassword(user.password_hash, b.password) : await verifyAgainstDummy(b.password);
  if (!user || !ok) throw new PodiumError('INVALID_CREDENTIALS');
  return deps.sql.transaction(async (tx) => {
    // Signing in again from the same browser replaces its session instead of leaving a live orphan.
    if (previousSessionHash) await deleteSession(tx, previousSessionHash);
    return { userId: user.id, session: await createSession(tx, deps.config, user.id, deps.now()) };
  });
}

/** Ends the session with this cookie hash. */
export async function signOut(deps: AccountDeps, sessionHash: string): Promise<void> {
  await deleteSession(deps.sql, sessionHash);
}

/** Changes the signed-in person's name or language. */
export async function updateProfile(deps: AccountDeps, userId: UserId, p: { name?: string; locale?: Locale }): Promise<void> {
  await updateUserProfile(deps.sql, userId, { name: p.name?.trim() || undefined, locale: p.locale });
}
