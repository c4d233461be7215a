import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG } from './catalog';

/** Areas whose keys this test checks: the shell, account and organization pages and the UI kit. */
const AREAS = ['common', 'ui', 'errors', 'shell', 'auth', 'org', 'members', 'apiKeys', 'outbox', 'media'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('message keys', () => {
  const src = join(__dirname, '..');
  const used = new Set<string>();
  for (const file of sourceFiles(src)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([A-Za-z]+)\.([A-Za-z0-9_.]+)'/g)) {
      if (AREAS.includes(m[1])) used.add(`${m[1]}.${m[2]}`);
    }
  }

  it('every literal key used by the pages exists in English and in every translation', () => {
    expect(used.size).toBeGreaterThan(50);
    for (const key of used) {
      for (const locale of ['en', 'de', 'pl', 'fr'] as const) expect(CATALOG[locale][key], `${locale} ${key}`).toBeTruthy();
    }
  });

  it('dynamic role, state and jurisdiction keys exist for every value', () => {
    const dynamic = [
      ...['host', 'admin', 'owner'].map((r) => `shell.role.${r}`),
      ...['pending', 'accepted', 'expired'].map((s) => `members.state.${s}`),
      ...['active', 'revoked', 'expired'].map((s) => `apiKeys.state.${s}`),
      ...['queued', 'sent', 'failed', 'stored'].flatMap((s) => [`outbox.state.${s}`, `outbox.stateHelp.${s}`]),
      ...['eu', 'uk', 'us'].map((j) => `org.jurisdiction.${j}`),
    ];
    for (const key of dynamic) for (const locale of ['en', 'de', 'pl', 'fr'] as const) expect(CATALOG[locale][key], `${locale} ${key}`).toBeTruthy();
  });
});
