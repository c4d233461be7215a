import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network a registration came from, truncated so it no longer names a person's device:
 * IPv4 to /24, IPv6 to /48. Null for anything that is not an IP address.
 */
export function ipPrefix(ip: string | undefined | null): string | null {
  if (!ip) return null;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  const v4 = mapped ? mapped[1] : ip;
  if (isIPv4(v4)) {
    const [a, b, c] = v4.split('.');
    return `${a}.${b}.${c}.0/24`;
  }
  const bare = ip.split('%')[0];
  if (!isIPv6(bare)) return null;
  const groups = expandIPv6(bare).slice(0, 3).map((g) => g.replace(/^0+(?=.)/, ''));
  return `${groups.join(':')}::/48`;
}

/** The eight 16-bit groups of an IPv6 address (lower-case hex, an embedded IPv4 tail converted). */
function expandIPv6(ip: string): string[] {
  let text = ip.toLowerCase();
  const v4tail = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4tail) {
    const [a, b, c, d] = v4tail.slice(1).map(Number);
    text = text.slice(0, v4tail.index) + ((a << 8) | b).toString(16) + ':' + ((c << 8) | d).toString(16);
  }
  const [head, tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const fill = text.includes('::') ? Array(8 - h.length - t.length).fill('0') : [];
  return [...h, ...fill, ...t];
}
