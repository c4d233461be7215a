import { readFileSync, existsSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import { ConfigSchema, ENV_NAMES, type Config } from './schema';

/** Thrown when configuration is invalid; names every bad key. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Default config file, read from the working directory when PODIUM_CONFIG is not set. */
export const DEFAULT_CONFIG_FILE = 'podium.config.json';

/** Keys whose values may hold passwords: never repeated in error messages. */
const SECRET_KEYS = new Set<keyof Config>([
  'secret', 'smtpUrl', 'databaseUrl', 'mediaTurnSecret', 'storageS3SecretAccessKey', 'storageStores', 'storageMasterKeys',
]);

const MIN_SECRET_LENGTH = 32;

type Source = 'default' | 'file' | 'env' | 'override';

function fromEnvString(key: keyof Config, raw: string): unknown {
  const schema = ConfigSchema.properties[key] as { type?: string };
  if (schema.type === 'integer') return /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
  if (schema.type === 'boolean') {
    const v = raw.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    return raw;
  }
  // A list of objects (storageStores) comes as JSON; left as text when it is not, so the error names the key.
  if (schema.type === 'array' && (schema as { items?: { type?: string } }).items?.type === 'object') {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  }
  if (schema.type === 'array') return raw.split(',').map((s) => (/^\s*\d+\s*$/.test(s) ? Number(s) : s.trim()));
  return raw;
}

/** What a value of this key must look like, in words, for the common kinds of mistake. */
function expectation(key: keyof Config, fallback: string): string {
  const schema = ConfigSchema.properties[key] as { type?: string; anyOf?: { const?: unknown }[]; minimum?: number; maximum?: number };
  if (schema.anyOf?.every((s) => 'const' in s)) return `must be one of ${schema.anyOf.map((s) => String(s.const)).join(', ')}`;
  if (schema.type === 'boolean') return 'must be true or false (also 1/0, yes/no, on/off)';
  if (schema.type === 'integer') return `must be a whole number from ${schema.minimum} to ${schema.maximum}`;
  if (schema.type === 'array') return 'must be a comma-separated list of whole numbers (minutes, 1 to 43200)';
  if (key === 'publicUrl') return 'must be an http:// or https:// URL, e.g. https://podium.example.org';
  return fallback;
}

function describeProblem(key: keyof Config, value: unknown, source: Source, file: string | undefined, message: string): string {
  const from = source === 'env' ? 'set in the environment' : source === 'file' ? `set in ${file}` : source === 'override' ? 'given by the caller' : 'the default';
  const shown = SECRET_KEYS.has(key) ? '' : `, got ${JSON.stringify(value)}`;
  return `${key} (${ENV_NAMES[key]}): ${expectation(key, message)}${shown} [${from}]`;
}

/**
 * Configuration from (lowest to highest precedence) defaults, an optional JSON file
 * (`PODIUM_CONFIG` or `./podium.config.json`) and environment variables. Unknown keys in the file
 * and invalid values are reported together, each naming its key, its environment variable and
 * where the bad value came from.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const problems: string[] = [];
  const raw: Record<string, unknown> = {};
  const source = new Map<string, Source>();
  const file = env.PODIUM_CONFIG || (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (file) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        problems.push(`${file}: must hold a JSON object`);
      } else {
        for (const [k, v] of Object.entries(parsed)) {
          if (!(k in ConfigSchema.properties)) problems.push(`${file}: unknown key "${k}" (the keys are listed in docs/configuration.md)`);
          else {
            raw[k] = v;
            source.set(k, 'file');
          }
        }
      }
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      problems.push(e.code === 'ENOENT' ? `${file}: file not found (PODIUM_CONFIG)` : `${file}: ${e.message}`);
    }
  }
  for (const key of Object.keys(ENV_NAMES) as (keyof Config)[]) {
    const v = env[ENV_NAMES[key]];
    if (v !== undefined && v !== '') {
      raw[key] = fromEnvString(key, v);
      source.set(key, 'env');
    }
  }
  for (const k of Object.keys(overrides)) source.set(k, 'override');
  Object.assign(raw, overrides);
  const withDefaults = Value.Default(ConfigSchema, raw) as Record<string, unknown>;
  const badKeys = new Set<string>();
  for (const err of Value.Errors(ConfigSchema, withDefaults)) {
    const key = err.path.split('/')[1] as keyof Config | undefined;
    if (!key || !(key in ENV_NAMES)) {
      problems.push(`${err.path || '(root)'}: ${err.message}`);
      continue;
    }
    // One line per key: a union or array value would otherwise report the same mistake many times.
    if (badKeys.has(key)) continue;
    badKeys.add(key);
    problems.push(describeProblem(key, withDefaults[key], source.get(key) ?? 'default', file, err.message));
  }
  const secret = withDefaults.secret;
  if (!badKeys.has('secret') && typeof secret === 'string' && secret !== '' && secret.length < MIN_SECRET_LENGTH) {
    problems.push(`secret (${ENV_NAMES.secret}): must be at least ${MIN_SECRET_LENGTH} characters (leave it empty to have one generated into dataDir)`);
  }
  if (problems.length) throw new ConfigError([...new Set(problems)]);
  const config = withDefaults as Config;
  config.publicUrl = config.publicUrl.replace(/\/+$/, '');
  return config;
}
