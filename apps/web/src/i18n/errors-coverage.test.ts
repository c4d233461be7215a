import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@podium/protocol';
import errors from './messages/errors';

describe('errors messages', () => {
  it('translate every code of the error registry, plus NETWORK, in every language', () => {
    for (const locale of ['en', 'de', 'pl', 'fr'] as const) {
      const messages = errors.messages[locale] as Record<string, string>;
      for (const code of [...ERROR_CODES, 'NETWORK']) expect(messages[code], `${locale} ${code}`).toBeTruthy();
    }
  });
});
