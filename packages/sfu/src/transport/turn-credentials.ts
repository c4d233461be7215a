/**
 * Time-limited TURN credentials from a secret shared with the TURN server ("TURN REST API",
 * draft-uberti-behave-turn-rest-00), as coturn checks them with `use-auth-secret` +
 * `static-auth-secret`: username `<expiry unix seconds>:<user id>`, password
 * base64(HMAC-SHA1(secret, username)). The server hands them to a participant with the ICE server
 * list; nothing is stored, and coturn refuses them after the expiry.
 *
 * Only the servers named in configuration are ever returned: with no STUN/TURN URLs configured the
 * list is empty, so no client is sent to a public STUN server by us.
 */
import { createHmac } from 'node:crypto';
import { MediaError } from './media-error';

/** One entry of RTCConfiguration.iceServers. */
export interface IceServerEntry {
  /** stun:, turn: or turns: URLs. */
  urls: string[];
  /** TURN username (`<expiry>:<user id>`); absent for STUN. */
  username?: string;
  /** TURN password; absent for STUN. */
  credential?: string;
}

/** What the media settings say about STUN and TURN. */
export interface IceServerSettings {
  /** STUN URLs (`stun:host:port`); empty: none. */
  stunUrls: readonly string[];
  /** TURN URLs (`turn:host:3478?transport=udp`, `turns:host:443?transport=tcp`); empty: none. */
  turnUrls: readonly string[];
  /** The secret shared with the TURN server (coturn static-auth-secret). */
  turnSecret: string;
  /** Lifetime of a credential, seconds. */
  turnCredentialTtlSeconds: number;
}

/** ICE servers for one participant, with when their TURN credential stops working. */
export interface IceServersGrant {
  /** For RTCConfiguration.iceServers. */
  iceServers: IceServerEntry[];
  /** Expiry of the TURN credential, unix seconds (0 without TURN). */
  expiresAt: number;
}

const URL_PATTERN = /^(stun|stuns|turn|turns):[^\s?]+(\?transport=(udp|tcp))?$/;
const USER_ID_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;
/** Shorter secrets are guessable offline from one captured credential. */
const MIN_SECRET_LENGTH = 16;

/**
 * A TURN credential for `userId` valid until now + ttlSeconds (see file comment). Throws
 * MediaError BAD_REQUEST for a user id with characters outside [A-Za-z0-9_.-] (a ':' would shift
 * coturn's parse of the username), an empty or short secret, or a ttl outside 1 s … 7 days.
 */
export function turnCredential(secret: string, userId: string, ttlSeconds: number, nowMs: number = Date.now()): { username: string; credential: string; expiresAt: number } {
  if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) throw new MediaError('BAD_REQUEST', `The TURN secret must have at least ${MIN_SECRET_LENGTH} characters.`);
  if (typeof userId !== 'string' || !USER_ID_PATTERN.test(userId)) throw new MediaError('BAD_REQUEST', 'A TURN user id has 1–128 characters of [A-Za-z0-9_.-].');
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > 7 * 86_400) throw new MediaError('BAD_REQUEST', 'The TURN credential lifetime must be 1 s to 7 days.');
  const expiresAt = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiresAt}:${userId}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential, expiresAt };
}

/**
 * The ICE server list for participant `userId`: the configured STUN URLs, and the TURN URLs with a
 * fresh time-limited credential when a secret is configured. Empty when nothing is configured.
 * Throws MediaError BAD_REQUEST for a malformed URL, or TURN URLs without a secret.
 */
export function iceServersFor(settings: IceServerSettings, userId: string, nowMs: number = Date.now()): IceServersGrant {
  for (const url of [...settings.stunUrls, ...settings.turnUrls]) {
    if (!URL_PATTERN.test(url)) throw new MediaError('BAD_REQUEST', 'An ICE server URL must look like stun:host:port or turn:host:port?transport=udp|tcp.');
  }
  if (settings.stunUrls.some((u) => u.startsWith('turn')) || settings.turnUrls.some((u) => u.startsWith('stun'))) {
    throw new MediaError('BAD_REQUEST', 'STUN URLs and TURN URLs are configured apart.');
  }
  const iceServers: IceServerEntry[] = [];
  if (settings.stunUrls.length > 0) iceServers.push({ urls: [...settings.stunUrls] });
  let expiresAt = 0;
  if (settings.turnUrls.length > 0) {
    if (!settings.turnSecret) throw new MediaError('BAD_REQUEST', 'TURN URLs are configured without a TURN secret.');
    const c = turnCredential(settings.turnSecret, userId, settings.turnCredentialTtlSeconds, nowMs);
    iceServers.push({ urls: [...settings.turnUrls], username: c.username, credential: c.credential });
    expiresAt = c.expiresAt;
  }
  return { iceServers, expiresAt };
}
