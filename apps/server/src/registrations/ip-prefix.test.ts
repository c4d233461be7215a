import { describe, expect, it } from 'vitest';
import { ipPrefix } from './ip-prefix';

describe('ipPrefix()', () => {
  it('truncates IPv4 to /24', () => {
    expect(ipPrefix('203.0.113.77')).toBe('203.0.113.0/24');
  });
  it('treats IPv4-mapped IPv6 as IPv4', () => {
    expect(ipPrefix('::ffff:198.51.100.9')).toBe('198.51.100.0/24');
  });
  it('truncates IPv6 to /48, expanding ::', () => {
    expect(ipPrefix('2001:db8:abcd:12:1:2:3:4')).toBe('2001:db8:abcd::/48');
    expect(ipPrefix('2001:db8::1')).toBe('2001:db8:0::/48');
    expect(ipPrefix('::1')).toBe('0:0:0::/48');
    expect(ipPrefix('FE80::1%eth0')).toBe('fe80:0:0::/48');
  });
  it('returns null for anything that is not an address', () => {
    expect(ipPrefix(undefined)).toBeNull();
    expect(ipPrefix('')).toBeNull();
    expect(ipPrefix('localhost')).toBeNull();
    expect(ipPrefix('999.1.1.1')).toBeNull();
  });
});
