import { describe, expect, it } from 'vitest';
import { newId, type EventId } from '@podium/protocol';
import { secretsFromKey } from '../security/secrets';
import { joinTokenExpiry, signJoinToken, verifyJoinToken } from './join-token';

const secrets = secretsFromKey('unit-test-secret-unit-test-secret-0000');
const now = new Date('2026-03-01T10:00:00Z');
const eventId = newId('event');
const regId = newId('registration');
const exp = Math.floor(now.getTime() / 1000) + 3600;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
}

describe('join tokens', () => {
  it('verify() returns the claims of a token it signed', () => {
    const token = signJoinToken(secrets, { e: eventId, r: regId, role: 'attendee', exp });
    expect(verifyJoinToken(secrets, token, now, eventId)).toEqual({ v: 1, e: eventId, r: regId, role: 'attendee', exp });
  });

  it('a host token carries the user id', () => {
    const userId = newId('user');
    const token = signJoinToken(secrets, { e: eventId, r: userId, role: 'host', exp });
    expect(verifyJoinToken(secrets, token, now).r).toBe(userId);
  });

  it('a tampered payload is TOKEN_INVALID', () => {
    const token = signJoinToken(secrets, { e: eventId, r: regId, role: 'attendee', exp });
    const [, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ v: 1, e: eventId, r: regId, role: 'presenter', exp })).toString('base64url');
    expect(codeOf(() => verifyJoinToken(secrets, `${forged}.${sig}`, now))).toBe('TOKEN_INVALID');
  });

  it('a tampered signature is TOKEN_INVALID', () => {
    const token = signJoinToken(secrets, { e: eventId, r: regId, role: 'attendee', exp });
    const flipped = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect(codeOf(() => verifyJoinToken(secrets, flipped, now))).toBe('TOKEN_INVALID');
  });

  it('a token signed with another secret is TOKEN_INVALID', () => {
    const other = secretsFromKey('another-secret-another-secret-another');
    const token = signJoinToken(other, { e: eventId, r: regId, role: 'attendee', exp });
    expect(codeOf(() => verifyJoinToken(secrets, token, now))).toBe('TOKEN_INVALID');
  });

  it('an expired token is TOKEN_INVALID', () => {
    const token = signJoinToken(secrets, { e: eventId, r: regId, role: 'attendee', exp });
    expect(codeOf(() => verifyJoinToken(secrets, token, new Date(exp * 1000)))).toBe('TOKEN_INVALID');
    expect(codeOf(() => verifyJoinToken(secrets, token, new Date(exp * 1000 - 1000)))).toBeUndefined();
  });

  it('a token for another event is TOKEN_INVALID', () => {
    const token = signJoinToken(secrets, { e: eventId, r: regId, role: 'attendee', exp });
    expect(codeOf(() => verifyJoinToken(secrets, token, now, newId('event') as EventId))).toBe('TOKEN_INVALID');
  });

  it('garbage is TOKEN_INVALID, never a crash', () => {
    for (const bad of ['', '.', 'abc', 'a.b.c', '!!!.???', `${Buffer.from('null').toString('base64url')}.x`]) {
      expect(codeOf(() => verifyJoinToken(secrets, bad, now))).toBe('TOKEN_INVALID');
    }
  });

  it('joinTokenExpiry() is the planned end plus 24 hours', () => {
    expect(joinTokenExpiry(new Date('2026-03-03T13:00:00Z'), 90).toISOString()).toBe('2026-03-04T14:30:00.000Z');
  });
});
