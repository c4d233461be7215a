import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Keyed operations derived from the installation secret. */
export interface Secrets {
  /** HMAC-SHA256 of `data` under a key derived for `purpose`. */
  hmac(purpose: string, data: string): Buffer;
}

/** Secrets from a configured secret, or one generated once into `dataDir/secret` (mode 0600). */
export function loadSecrets(secret: string, dataDir: string): Secrets {
  let key = secret;
  if (!key) {
    const file = join(dataDir, 'secret');
    if (existsSync(file)) key = readFileSync(file, 'utf8').trim();
    else {
      mkdirSync(dataDir, { recursive: true });
      key = randomBytes(32).toString('base64url');
      writeFileSync(file, key, { mode: 0o600 });
    }
  }
  return secretsFromKey(key);
}

/** Secrets from a key held in memory (tests). */
export function secretsFromKey(key: string): Secrets {
  const derived = new Map<string, Buffer>();
  const keyFor = (purpose: string) => {
    let k = derived.get(purpose);
    if (!k) {
      k = createHmac('sha256', key).update(`podium:${purpose}`).digest();
      derived.set(purpose, k);
    }
    return k;
  };
  return { hmac: (purpose, data) => createHmac('sha256', keyFor(purpose)).update(data).digest() };
}

/** A random token for links and cookies (256 bits, base64url). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** SHA-256 hex of a token: what the database keeps instead of the token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
