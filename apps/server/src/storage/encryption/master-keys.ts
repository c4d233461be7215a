/**
 * Master keys of encryption at rest: they wrap the per-object data keys and never touch content.
 * Configured as `id:base64` entries (a 32-byte key each); new objects use the active key, and every
 * key listed stays usable for reading, so a rotation adds a key and makes it active.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A master key id: what the header of every object names. */
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
/** One configured master key, `id:base64 of 32 bytes`. */
export const MASTER_KEY_ENTRY = /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=$/;
/** The file in dataDir holding the key generated on first start when none is configured. */
export const GENERATED_KEY_FILE = 'storage-master-key';

/** An object names a master key this server does not have (removed from the configuration too early). */
export class MasterKeyMissingError extends Error {
  constructor(readonly keyId: string) {
    super(`the storage master key "${keyId}" is not configured (storageMasterKeys); objects encrypted under it cannot be read`);
    this.name = 'MasterKeyMissingError';
  }
}

/** The master keys a server holds, and which one encrypts new objects. */
export class MasterKeyring {
  private readonly keys: ReadonlyMap<string, Buffer>;

  /** A keyring of `keys` (id → 32 bytes) encrypting under `activeId`. */
  constructor(keys: Map<string, Buffer>, readonly activeId: string) {
    for (const [id, key] of keys) {
      if (!KEY_ID.test(id)) throw new TypeError(`invalid storage master key id "${id}"`);
      if (key.length !== 32) throw new TypeError(`the storage master key "${id}" must be 32 bytes`);
    }
    if (!keys.has(activeId)) throw new TypeError(`the active storage master key "${activeId}" is not among the configured keys`);
    this.keys = keys;
  }

  /** A keyring from `id:base64` entries; the active id defaults to the only entry. */
  static fromEntries(entries: readonly string[], activeId: string): MasterKeyring {
    const keys = new Map<string, Buffer>();
    for (const e of entries) {
      if (!MASTER_KEY_ENTRY.test(e)) throw new TypeError('a storage master key must be written id:base64 (32 random bytes, e.g. `openssl rand -base64 32`)');
      const [id, b64] = e.split(':');
      if (keys.has(id)) throw new TypeError(`the storage master key "${id}" is listed twice`);
      keys.set(id, Buffer.from(b64, 'base64'));
    }
    if (!activeId && keys.size !== 1) throw new TypeError('storageActiveKeyId must name the key new objects use when several storage master keys are configured');
    return new MasterKeyring(keys, activeId || [...keys.keys()][0]);
  }

  /** The key with this id; MasterKeyMissingError when there is none. */
  key(id: string): Buffer {
    const k = this.keys.get(id);
    if (!k) throw new MasterKeyMissingError(id);
    return k;
  }

  /** The key new objects are encrypted under. */
  get active(): { id: string; key: Buffer } {
    return { id: this.activeId, key: this.key(this.activeId) };
  }
}

/**
 * The keyring of the configuration: the configured entries, plus the key generated into `dataDir`
 * (still readable after keys are configured). With nothing configured, that key is generated on the
 * first start (mode 0600) and is the active one, so encryption is on without any setting.
 */
export function loadMasterKeyring(o: { entries: readonly string[]; activeId: string; dataDir: string; generate: boolean }): MasterKeyring {
  const file = join(o.dataDir, GENERATED_KEY_FILE);
  const entries = [...o.entries];
  let generated: string | undefined;
  if (existsSync(file)) generated = readFileSync(file, 'utf8').trim();
  else if (entries.length === 0 && o.generate) {
    mkdirSync(o.dataDir, { recursive: true });
    generated = `local-${Date.now().toString(36)}:${randomBytes(32).toString('base64')}`;
    writeFileSync(file, `${generated}\n`, { mode: 0o600, flag: 'wx' });
  }
  if (generated !== undefined) {
    if (!MASTER_KEY_ENTRY.test(generated)) throw new TypeError(`${file} does not hold a storage master key (id:base64)`);
    if (!entries.some((e) => e.split(':')[0] === generated!.split(':')[0])) entries.push(generated);
  }
  if (entries.length === 0) throw new TypeError('storageMasterKeys is empty: configure a master key (or set storageEncrypt to false)');
  const active = o.activeId || (o.entries.length === 1 ? o.entries[0].split(':')[0] : o.entries.length === 0 ? generated!.split(':')[0] : '');
  return MasterKeyring.fromEntries(entries, active);
}
