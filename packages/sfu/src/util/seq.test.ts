import { describe, expect, it } from 'vitest';
import { SeqUnwrapper, seqAdd, seqDiff, seqIsNewer } from './seq';

describe('sequence-number arithmetic', () => {
  it('seqDiff() is the signed shortest distance, across the 16-bit wrap', () => {
    expect(seqDiff(5, 3)).toBe(2);
    expect(seqDiff(3, 5)).toBe(-2);
    expect(seqDiff(2, 65534)).toBe(4);
    expect(seqDiff(65534, 2)).toBe(-4);
  });

  it('seqIsNewer() treats 0 as newer than 65535', () => {
    expect(seqIsNewer(0, 65535)).toBe(true);
    expect(seqIsNewer(65535, 0)).toBe(false);
  });

  it('seqAdd() wraps into 0..65535', () => {
    expect(seqAdd(65535, 1)).toBe(0);
    expect(seqAdd(0, -1)).toBe(65535);
  });
});

describe('SeqUnwrapper', () => {
  it('keeps counting up across a wrap', () => {
    const u = new SeqUnwrapper();
    const a = u.unwrap(65534);
    expect(u.unwrap(65535)).toBe(a + 1);
    expect(u.unwrap(0)).toBe(a + 2);
    expect(u.unwrap(1)).toBe(a + 3);
  });

  it('maps a reordered packet below the highest, even across a wrap, and stays non-negative', () => {
    const u = new SeqUnwrapper();
    const first = u.unwrap(1);
    expect(u.unwrap(65535)).toBe(first - 2);
    expect(first - 2).toBeGreaterThan(0);
    expect(u.highestSeen).toBe(first);
  });

  it('peek() does not move the highest', () => {
    const u = new SeqUnwrapper();
    const first = u.unwrap(10);
    expect(u.peek(20)).toBe(first + 10);
    expect(u.highestSeen).toBe(first);
  });
});
