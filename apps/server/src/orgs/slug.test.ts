import { describe, expect, it } from 'vitest';
import { Value } from '@sinclair/typebox/value';
import { Slug } from '@podium/protocol';
import { MAX_SLUG_LENGTH, slugCandidate, slugFromName } from './slug';

describe('organization slugs', () => {
  it('slugFromName drops accents and symbols and joins words with dashes', () => {
    expect(slugFromName('  Fjörd Académie — Łódź & Co. ')).toBe('fjord-academie-lodz-co');
    expect(slugFromName('Straße 42')).toBe('strasse-42');
  });

  it('a name with nothing usable gives "org"', () => {
    expect(slugFromName('日本語')).toBe('org');
    expect(slugFromName('!!!')).toBe('org');
  });

  it('long names and numbered candidates stay valid slugs within the length limit', () => {
    const base = slugFromName('a'.repeat(30) + ' ' + 'b'.repeat(40));
    expect(base.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    for (const n of [1, 2, 17, 123]) {
      const s = slugCandidate(base, n);
      expect(s.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
      expect(Value.Check(Slug, s)).toBe(true);
    }
    expect(slugCandidate('acme', 2)).toBe('acme-2');
  });
});
