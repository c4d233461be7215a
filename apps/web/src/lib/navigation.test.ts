import { describe, expect, it } from 'vitest';
import type { MembershipSummary } from '@podium/protocol';
import { pickOrg, safeNext } from './navigation';

const m = (orgId: string): MembershipSummary => ({ orgId: orgId as MembershipSummary['orgId'], orgName: orgId, orgSlug: orgId, dataRegion: 'eu-central', role: 'owner' });

describe('safeNext()', () => {
  it('keeps an in-app path with its query', () => {
    expect(safeNext('/o/org_1/members?x=1')).toBe('/o/org_1/members?x=1');
  });
  it('falls back for empty, absolute, protocol-relative and backslash URLs', () => {
    expect(safeNext(null)).toBe('/');
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('/\\evil.example/')).toBe('/');
    expect(safeNext('javascript:alert(1)', '/home')).toBe('/home');
  });
});

describe('pickOrg()', () => {
  const all = [m('org_a'), m('org_b')];
  it('prefers the organization in the URL when the person belongs to it', () => {
    expect(pickOrg(all, 'org_b', 'org_a')?.orgId).toBe('org_b');
  });
  it('uses the remembered organization when the URL has none or a foreign one', () => {
    expect(pickOrg(all, undefined, 'org_b')?.orgId).toBe('org_b');
    expect(pickOrg(all, 'org_zzz', 'org_b')?.orgId).toBe('org_b');
  });
  it('falls back to the first membership, or null without memberships', () => {
    expect(pickOrg(all, undefined, 'org_gone')?.orgId).toBe('org_a');
    expect(pickOrg([], 'org_a', 'org_a')).toBeNull();
  });
});
