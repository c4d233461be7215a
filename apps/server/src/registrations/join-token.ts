import { PodiumError, isId, type EventId, type JoinRole } from '@podium/protocol';
import { safeEqual, type Secrets } from '../security/secrets';

/** What a join link carries: event, person (registration id, or user id for hosts), role and expiry. */
export interface JoinClaims {
  v: 1;
  /** Event id. */
  e: EventId;
  /** Registration id (attendees, presenters) or user id (hosts). */
  r: string;
  role: JoinRole;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

const HMAC_PURPOSE = 'join';
// How long a join link outlives the event's planned end (late joiners, overruns).
const GRACE_MS = 24 * 3_600_000;
const ROLES: readonly JoinRole[] = ['host', 'presenter', 'attendee'];

/** When join links of an event expire: its planned end plus 24 hours. */
export function joinTokenExpiry(startsAt: Date, durationMinutes: number): Date {
  return new Date(startsAt.getTime() + durationMinutes * 60_000 + GRACE_MS);
}

function mac(secrets: Secrets, payload: string): string {
  return secrets.hmac(HMAC_PURPOSE, payload).toString('base64url');
}

/** Signs claims into `base64url(JSON).base64url(HMAC)`; stateless, so links need no table. */
export function signJoinToken(secrets: Secrets, claims: Omit<JoinClaims, 'v'>): string {
  const payload = Buffer.from(JSON.stringify({ v: 1, e: claims.e, r: claims.r, role: claims.role, exp: claims.exp }), 'utf8').toString('base64url');
  return `${payload}.${mac(secrets, payload)}`;
}

function invalid(): PodiumError {
  return new PodiumError('TOKEN_INVALID');
}

/**
 * The claims of a genuine token (signature checked in constant time, shape checked), whatever its
 * expiry. Anything else is TOKEN_INVALID, without saying why.
 */
export function readJoinToken(secrets: Secrets, token: string): JoinClaims {
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) throw invalid();
  const payload = token.slice(0, dot);
  const sig = token.slice(dot + 1);
  if (!/^[A-Za-z0-9_-]+$/.test(payload) || !safeEqual(sig, mac(secrets, payload))) throw invalid();
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const c = claims as Partial<JoinClaims> | null;
  if (
    !c || c.v !== 1 || !isId('event', c.e) || typeof c.r !== 'string' || !ROLES.includes(c.role as JoinRole) ||
    typeof c.exp !== 'number' || !Number.isFinite(c.exp)
  ) throw invalid();
  if (c.role === 'host' ? !isId('user', c.r) : !isId('registration', c.r)) throw invalid();
  return c as JoinClaims;
}

/**
 * The claims of a valid token: genuine, not expired at `now`, and, when `eventId` is given, issued
 * for that event. Anything else is TOKEN_INVALID.
 */
export function verifyJoinToken(secrets: Secrets, token: string, now: Date, eventId?: EventId): JoinClaims {
  const c = readJoinToken(secrets, token);
  if (c.exp * 1000 <= now.getTime()) throw invalid();
  if (eventId !== undefined && c.e !== eventId) throw invalid();
  return c;
}
