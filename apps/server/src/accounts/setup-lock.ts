import { PodiumError } from '@podium/protocol';
import type { SqlRunner } from '../storage/sql';
import { anyUserExists } from './store';

// Advisory lock key of "the instance's first account". Setup takes it exclusively, sign-up shared:
// sign-ups never wait for each other, and none slips in between setup's check and its insert.
const SETUP_LOCK_KEY = 4242002;

/** Inside a transaction: waits out any running setup, then throws SETUP_REQUIRED if the instance has no account yet. */
export async function assertSetupDone(tx: SqlRunner): Promise<void> {
  await tx.query('select pg_advisory_xact_lock_shared($1)', [SETUP_LOCK_KEY]);
  if (!(await anyUserExists(tx))) throw new PodiumError('SETUP_REQUIRED');
}

/** Inside a transaction: takes the setup lock exclusively, then throws SETUP_ALREADY_DONE if any account exists. */
export async function assertSetupPending(tx: SqlRunner): Promise<void> {
  await tx.query('select pg_advisory_xact_lock($1)', [SETUP_LOCK_KEY]);
  if (await anyUserExists(tx)) throw new PodiumError('SETUP_ALREADY_DONE');
}
