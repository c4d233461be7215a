import { describe, expect, it } from 'vitest';
import { FILE_INVALID_REASONS, FILE_PURPOSES, HANDOUT_TYPES, LOCALES } from '@podium/protocol';
import { ApiError } from '../../api/client';
import { CATALOG } from '../../i18n/catalog';
import { fileKind, formatBytes, uploadRefusal } from './eventFiles';

describe('files section helpers', () => {
  it('formats sizes in the reader’s language', () => {
    expect(formatBytes(820, 'en')).toBe('820\u00a0B');
    expect(formatBytes(2.5 * 1024 * 1024, 'en')).toBe('2.5\u00a0MB');
    expect(formatBytes(2.5 * 1024 * 1024, 'de')).toBe('2,5\u00a0MB');
    expect(formatBytes(100 * 1024 * 1024, 'pl')).toBe('100\u00a0MB');
    expect(formatBytes(14 * 1024, 'fr')).toBe('14\u00a0Ko');
  });

  it('gives every accepted content type a kind with a label in every language', () => {
    for (const type of HANDOUT_TYPES) {
      for (const locale of LOCALES) expect(CATALOG[locale][`files.kind.${fileKind(type)}`], `${locale} ${type}`).toBeTruthy();
    }
    expect(fileKind('application/pdf')).toBe('pdf');
    expect(fileKind('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')).toBe('spreadsheet');
  });

  it('explains every refusal of an upload in every language', () => {
    const errors = [
      new ApiError(413, 'PAYLOAD_TOO_LARGE', 'x', { maxBytes: 1024 }),
      new ApiError(415, 'FILE_TYPE_NOT_ALLOWED', 'x'),
      ...FILE_INVALID_REASONS.map((reason) => new ApiError(422, 'FILE_INVALID', 'x', { reason })),
    ];
    for (const purpose of FILE_PURPOSES) {
      for (const err of errors) {
        const refusal = uploadRefusal(err, purpose, 'en');
        expect(refusal, err.code).not.toBeNull();
        for (const locale of LOCALES) expect(CATALOG[locale][refusal!.key], `${locale} ${refusal!.key}`).toBeTruthy();
      }
    }
    expect(uploadRefusal(new ApiError(404, 'EVENT_NOT_FOUND', 'x'), 'slides', 'en')).toBeNull();
  });

  it('has a page-count text for every plural form of every language', () => {
    for (const locale of LOCALES) {
      for (const n of [0, 1, 2, 5, 12, 22, 101]) {
        expect(CATALOG[locale][`files.pages.${new Intl.PluralRules(locale).select(n)}`], `${locale} ${n}`).toBeTruthy();
      }
    }
  });
});
