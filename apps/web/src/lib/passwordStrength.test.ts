import { describe, expect, it } from 'vitest';
import { passwordStrength } from './passwordStrength';

describe('passwordStrength()', () => {
  it('is 0 for an empty password and 1 below the 10-character minimum', () => {
    expect(passwordStrength('')).toBe(0);
    expect(passwordStrength('Abc!12345')).toBe(1);
  });
  it('rates long passwords with mixed characters higher than short plain ones', () => {
    expect(passwordStrength('aaaaaaaaaaaa')).toBe(2);
    expect(passwordStrength('abcdefghij')).toBe(2);
    expect(passwordStrength('Correct-Horse-42')).toBe(4);
  });
});
