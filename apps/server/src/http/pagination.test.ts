import { describe, expect, it } from 'vitest';
import { PodiumError } from '@podium/protocol';
import { decodeCursor, encodeCursor, pageLimit, slicePage } from './pagination';

describe('pagination helpers', () => {
  it('a cursor round-trips its sort key and is opaque base64url', () => {
    const c = encodeCursor(['2025-01-02T03:04:05.678Z', 'usr_abc', 7]);
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(c, ['string', 'string', 'number'] as const)).toEqual(['2025-01-02T03:04:05.678Z', 'usr_abc', 7]);
  });

  it('no cursor means the first page', () => {
    expect(decodeCursor(undefined, ['string'] as const)).toBeNull();
    expect(decodeCursor('', ['string'] as const)).toBeNull();
  });

  it('a cursor of the wrong shape or not base64url JSON is VALIDATION_FAILED', () => {
    for (const bad of ['%%%', encodeCursor(['a']), encodeCursor([1, 'a']), Buffer.from('not json').toString('base64url')]) {
      expect(() => decodeCursor(bad, ['string', 'string'] as const)).toThrow(PodiumError);
    }
  });

  it('slicePage shows `limit` items and gives a cursor only when more rows exist', () => {
    const rows = [1, 2, 3];
    expect(slicePage(rows, 2, (r) => [r], (r) => r * 10)).toEqual({ items: [10, 20], nextCursor: encodeCursor([2]) });
    expect(slicePage(rows, 3, (r) => [r], (r) => r)).toEqual({ items: [1, 2, 3], nextCursor: null });
  });

  it('pageLimit defaults to 50 and stays within 1..200', () => {
    expect(pageLimit({})).toBe(50);
    expect(pageLimit({ limit: 500 })).toBe(200);
    expect(pageLimit({ limit: 0 })).toBe(1);
  });
});
