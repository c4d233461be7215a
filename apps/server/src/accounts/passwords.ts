import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';
import { PodiumError } from '@podium/protocol';
import { randomToken } from '../security/secrets';

/** Shortest password accepted (in characters); longer passphrases beat complexity rules. */
export const MIN_PASSWORD_LENGTH = 10;

// argon2id with OWASP's baseline (19 MiB, 2 passes, 1 lane): tens of ms per hash on one core.
// `Algorithm` is a const enum, which isolated modules cannot read: 2 is Argon2id.
const ARGON2: Options = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Throws WEAK_PASSWORD unless the password is long enough (counted in characters, not bytes). */
export function assertStrongPassword(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) throw new PodiumError('WEAK_PASSWORD');
}

/** The argon2id hash (PHC string) of a password. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

/** True when the password matches the hash; false (never throws) for a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the same time as a real check when there is no account, so the answer time does not
 * reveal which emails have accounts. Always false.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomToken());
  await verifyPassword(await dummyHash, password);
  return false;
}
