import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import board from '../../i18n/messages/board';
import { COLORS, STROKE_TOOLS, WIDTHS } from './strokes';

const DIRS = [__dirname, join(__dirname, '..', 'notes')];
const FILES = DIRS.flatMap((d) => readdirSync(d).filter((f) => /\.tsx?$/.test(f) && !f.endsWith('.test.ts')).map((f) => join(d, f)));
const LOCALES = ['en', 'de', 'pl', 'fr'] as const;

describe('board and notes messages', () => {
  it('define every literal key the components use, in every language', () => {
    const missing: string[] = [];
    for (const file of FILES) {
      for (const m of readFileSync(file, 'utf8').matchAll(/'board\.([A-Za-z0-9_.]+)'/g)) {
        for (const l of LOCALES) if (!(board.messages[l] as Record<string, string>)[m[1]]) missing.push(`${l} ${m[1]} (${file})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('define the keys built from tools, colours, widths, notes modes and sync states', () => {
    const keys = [
      ...[...STROKE_TOOLS, 'eraser', 'laser'].map((t) => `tool.${t}`),
      ...['black', 'red', 'green', 'blue', 'orange', 'purple', 'white'].map((c) => `color.${c}`),
      ...WIDTHS.map((w) => `width.${w}`),
      ...['write', 'preview', 'saved', 'saving', 'offline'].map((k) => `notes.${k}`),
    ];
    expect(COLORS).toHaveLength(7);
    for (const l of LOCALES) expect(keys.filter((k) => !(board.messages[l] as Record<string, string>)[k]), l).toEqual([]);
  });

  it('keep the same placeholders in every language', () => {
    const vars = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
    for (const [k, en] of Object.entries(board.messages.en)) {
      for (const l of LOCALES) expect(vars((board.messages[l] as Record<string, string>)[k]), `${l} ${k}`).toBe(vars(en));
    }
  });
});
