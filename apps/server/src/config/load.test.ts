import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load';
import { ConfigSchema, ENV_NAMES } from './schema';

const dir = mkdtempSync(join(tmpdir(), 'podium-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFile(content: unknown): string {
  const file = join(dir, `c${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig()', () => {
  it('gives every key its default when nothing is set', () => {
    const c = loadConfig({ PODIUM_CONFIG: configFile({}) });
    expect(c).toMatchObject({ port: 8080, host: '0.0.0.0', publicUrl: 'http://localhost:8080', smtpUrl: '', secureCookies: false, reminderMinutes: [1440, 60] });
  });

  it('reads environment variables over the config file, and converts their text', () => {
    const file = configFile({ port: 9000, publicUrl: 'https://file.example.org', trustProxy: false });
    const c = loadConfig({ PODIUM_CONFIG: file, PORT: '9100', PODIUM_TRUST_PROXY: 'yes', PODIUM_REMINDER_MINUTES: '30, 5', PODIUM_PUBLIC_URL: 'https://podium.example.org/' });
    expect(c.port).toBe(9100);
    expect(c.trustProxy).toBe(true);
    expect(c.reminderMinutes).toEqual([30, 5]);
    expect(c.publicUrl).toBe('https://podium.example.org');
  });

  it('a bad port names the key and its environment variable', () => {
    const p = problemsOf(() => loadConfig({ PODIUM_CONFIG: configFile({}), PORT: 'eighty' }));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^port \(PORT\): must be a whole number from 0 to 65535, got "eighty"/);
    expect(problemsOf(() => loadConfig({ PODIUM_CONFIG: configFile({ port: 70000 }) }))[0]).toMatch(/^port \(PORT\):.*got 70000 \[set in .*\.json\]$/);
  });

  it('an unknown key in the config file is named', () => {
    const file = configFile({ port: 8081, smtpURL: 'smtp://x' });
    const p = problemsOf(() => loadConfig({ PODIUM_CONFIG: file }));
    expect(p).toEqual([`${file}: unknown key "smtpURL" (the keys are listed in docs/configuration.md)`]);
  });

  it('a bad boolean names the key and the accepted spellings', () => {
    const p = problemsOf(() => loadConfig({ PODIUM_CONFIG: configFile({}), PODIUM_SECURE_COOKIES: 'maybe' }));
    expect(p).toEqual(['secureCookies (PODIUM_SECURE_COOKIES): must be true or false (also 1/0, yes/no, on/off), got "maybe" [set in the environment]']);
  });

  it('a short secret is refused without repeating it', () => {
    const p = problemsOf(() => loadConfig({ PODIUM_CONFIG: configFile({}), PODIUM_SECRET: 'hunter2' }));
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^secret \(PODIUM_SECRET\): must be at least 32 characters/);
    expect(p.join()).not.toContain('hunter2');
  });

  it('reports every problem at once, one line per key', () => {
    const p = problemsOf(() => loadConfig({ PODIUM_CONFIG: configFile({ bogus: 1 }), LOG_LEVEL: 'loud', PORT: '-1', PODIUM_PUBLIC_URL: 'ftp://x' }));
    expect(p).toHaveLength(4);
    expect(p.some((l) => l.startsWith('logLevel (LOG_LEVEL): must be one of fatal, error, warn, info, debug, trace, silent'))).toBe(true);
    expect(p.some((l) => l.startsWith('publicUrl (PODIUM_PUBLIC_URL): must be an http:// or https:// URL'))).toBe(true);
  });

  it('a config file that is not a JSON object, or missing, is reported', () => {
    expect(problemsOf(() => loadConfig({ PODIUM_CONFIG: configFile('[1]') }))[0]).toMatch(/must hold a JSON object$/);
    expect(problemsOf(() => loadConfig({ PODIUM_CONFIG: configFile('{ port: ') }))[0]).toMatch(/\.json: /);
    expect(problemsOf(() => loadConfig({ PODIUM_CONFIG: join(dir, 'missing.json') }))).toEqual([`${join(dir, 'missing.json')}: file not found (PODIUM_CONFIG)`]);
  });

  it('never repeats the value of a key that may hold a password', () => {
    const p = problemsOf(() => loadConfig({ PODIUM_CONFIG: configFile({ smtpUrl: 42, databaseUrl: ['postgres://u:pw@h/db'] }) }));
    expect(p).toHaveLength(2);
    expect(p.join()).not.toContain('pw@');
    expect(p.join()).not.toContain('42');
  });

  it('every key of the schema has an environment variable', () => {
    expect(Object.keys(ENV_NAMES).sort()).toEqual(Object.keys(ConfigSchema.properties).sort());
  });

  it('docs/configuration.md documents every key with its environment variable, and no other key', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../../docs/configuration.md', import.meta.url)), 'utf8');
    const rows = new Map<string, string>();
    for (const m of doc.matchAll(/^\| `(\w+)` \| `(\w+)` \|/gm)) rows.set(m[1], m[2]);
    expect(Object.fromEntries(rows)).toEqual(ENV_NAMES);
  });
});
