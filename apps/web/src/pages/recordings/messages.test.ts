import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import recordings from '../../i18n/messages/recordings';

const FILES = readdirSync(__dirname).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts')).map((f) => `${__dirname}/${f}`);
const LOCALES = ['en', 'de', 'pl', 'fr'] as const;
const has = (l: (typeof LOCALES)[number], k: string) => !!(recordings.messages[l] as Record<string, string>)[k];

describe('recordings messages', () => {
  it('define every literal key the pages use, in every language', () => {
    const missing: string[] = [];
    for (const file of FILES) {
      for (const m of readFileSync(file, 'utf8').matchAll(/'recordings\.([A-Za-z0-9_.-]+)'/g)) {
        for (const l of LOCALES) if (!has(l, m[1]!)) missing.push(`${l} ${m[1]} (${file})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('define the keys built from statuses, track kinds, roles and question states', () => {
    const keys = [
      ...['recording', 'processing', 'ready', 'failed', 'expired'].map((s) => `status.${s}`),
      ...['recording', 'processing', 'failed', 'expired'].flatMap((s) => [`play.state.${s}`, `play.stateText.${s}`]),
      ...['audio', 'video', 'screen'].flatMap((k) => [`item.kind.${k}`, `item.tracks.${k}`]),
      ...['host', 'presenter', 'attendee'].map((r) => `play.role.${r}`),
      ...['open', 'answered', 'answered-live', 'dismissed'].map((s) => `play.qstatus.${s}`),
    ];
    for (const l of LOCALES) expect(keys.filter((k) => !has(l, k)), l).toEqual([]);
  });

  it('keep the same placeholders in every language', () => {
    const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
    for (const [k, en] of Object.entries(recordings.messages.en)) {
      for (const l of LOCALES) expect(vars((recordings.messages[l] as Record<string, string>)[k]!), `${l} ${k}`).toBe(vars(en));
    }
  });
});
