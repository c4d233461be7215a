import { PodiumError, type DataRegionName, type Locale } from '@podium/protocol';
import { createOrgWithOwner } from '../orgs/service';
import type { OrgRow } from '../orgs/store';
import { anyUserExists, type UserRow } from './store';
import { createAccount, newPasswordHash, type AccountDeps } from './service';
import { createSession, type NewSession } from './sessions';
import { assertSetupPending } from './setup-lock';

/** What the first start needs: the owner's account and the first organization. */
export interface SetupInput {
  email: string;
  password: string;
  name: string;
  orgName: string;
  dataRegion: DataRegionName;
  locale?: Locale;
}

/** What setup created; `session` only when asked for (the web setup signs in, the CLI does not). */
export interface SetupResult {
  user: UserRow;
  org: OrgRow;
  session: NewSession | null;
}

/** True while the instance has no account: the first organization and owner are still to be created. */
export async function needsSetup(deps: AccountDeps): Promise<boolean> {
  return !(await anyUserExists(deps.sql));
}

/**
 * Creates the first organization and its owner, who administers the instance, in one transaction.
 * Exactly one of concurrent calls wins; the others, and every later call, get SETUP_ALREADY_DONE.
 * Used by POST /api/v1/setup and by `podium admin create`.
 */
export async function setupInstance(deps: AccountDeps, input: SetupInput, opts: { signIn: boolean }): Promise<SetupResult> {
  // Cheap early answer: once set up, nobody gets to spend argon2 time here. The check that counts is in the transaction.
  if (await anyUserExists(deps.sql)) throw new PodiumError('SETUP_ALREADY_DONE');
  const passwordHash = await newPasswordHash(input.password);
  return deps.sql.transaction(async (tx) => {
    await assertSetupPending(tx);
    const now = deps.now();
    const user = await createAccount(tx, {
      email: input.email, name: input.name, passwordHash, locale: input.locale, isInstanceAdmin: true,
    }, now);
    const org = await createOrgWithOwner(tx, { name: input.orgName, dataRegion: input.dataRegion, ownerId: user.id, now });
    const session = opts.signIn ? await createSession(tx, deps.config, user.id, now) : null;
    return { user, org, session };
  });
}
