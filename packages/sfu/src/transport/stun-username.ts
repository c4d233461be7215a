/**
 * Which transport a STUN binding request is for, before any transport looks at it: the first half
 * of its USERNAME (`<our ufrag>:<their ufrag>`, RFC 8445 §7.2.2) names the transport. Used by the
 * ports several transports share (ICE-TCP, a shared UDP port); integrity is the transport's check.
 * Read straight from the bytes (RFC 8489 §5, §14): only the header and the attribute list's
 * type/length words are looked at, so a check costs the port next to nothing before its transport
 * parses it fully.
 */

const MAGIC_COOKIE = 0x2112a442;
const BINDING_REQUEST = 0x0001;
const USERNAME = 0x0006;
const COLON = 0x3a;

/** Our ufrag from a binding request's USERNAME, or undefined (not a request, malformed, no USERNAME). */
export function stunLocalUfrag(packet: Buffer): string | undefined {
  if (packet.length < 20 || packet.readUInt16BE(0) !== BINDING_REQUEST || packet.readUInt32BE(4) !== MAGIC_COOKIE) return undefined;
  const end = 20 + packet.readUInt16BE(2);
  if (end > packet.length || (end & 3) !== 0) return undefined;
  let i = 20;
  while (i + 4 <= end) {
    const type = packet.readUInt16BE(i);
    const length = packet.readUInt16BE(i + 2);
    const value = i + 4;
    if (value + length > end) return undefined;
    if (type === USERNAME) {
      const colon = packet.indexOf(COLON, value);
      return colon > value && colon < value + length ? packet.toString('utf8', value, colon) : undefined;
    }
    i = value + ((length + 3) & ~3);
  }
  return undefined;
}
