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

function fromEnvString(key: keyof Config, raw: string): unknown {
  const schema = ConfigSchema.properties[key] as { type?: string };
  if (schema.type === 'integer') return /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
  if (schema.type === 'boolean') {
    const v = raw.trim().toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    return raw;
  }
  if (schema.type === 'array') return raw.split(',').map((s) => (/^\s*\d+\s*$/.test(s) ? Number(s) : s.trim()));
  return raw;
}

/**
 * Configuration from (lowest to highest precedence) defaults, an optional JSON file
 * (`PODIUM_CONFIG` or `./podium.config.json`) and environment variables. Unknown keys in the file
 * and invalid values are reported together, each naming its key and environment variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const problems: string[] = [];
  const raw: Record<string, unknown> = {};
  const file = env.PODIUM_CONFIG ?? (existsSync('podium.config.json') ? 'podium.config.json' : undefined);
  if (file) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        problems.push(`${file}: must hold a JSON object`);
      } else {
        for (const [k, v] of Object.entries(parsed)) {
          if (!(k in ConfigSchema.properties)) problems.push(`${file}: unknown key "${k}"`);
          else raw[k] = v;
        }
      }
    } catch (err) {
      problems.push(`${file}: ${(err as Error).message}`);
    }
  }
  for (const key of Object.keys(ENV_NAMES) as (keyof Config)[]) {
    const v = env[ENV_NAMES[key]];
    if (v !== undefined && v !== '') raw[key] = fromEnvString(key, v);
  }
  Object.assign(raw, overrides);
  const withDefaults = Value.Default(ConfigSchema, raw) as Record<string, unknown>;
  for (const err of Value.Errors(ConfigSchema, withDefaults)) {
    const key = err.path.split('/')[1] as keyof Config | undefined;
    const name = key ? `${key} (${ENV_NAMES[key] ?? '?'})` : err.path;
    problems.push(`${name}: ${err.message}`);
  }
  if (problems.length) throw new ConfigError([...new Set(problems)]);
  const config = withDefaults as Config;
  if (config.secret && config.secret.length < 32) throw new ConfigError([`secret (${ENV_NAMES.secret}): must be at least 32 characters`]);
  config.publicUrl = config.publicUrl.replace(/\/+$/, '');
  return config;
}
