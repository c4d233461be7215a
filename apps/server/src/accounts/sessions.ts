import { PodiumError, type UserId } from '@podium/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config/schema';
import { CSRF_HEADER, SESSION_COOKIE } from '../http/principal';
import { hashToken, randomToken, safeEqual } from '../security/secrets';
import type { SqlRunner } from '../storage/sql';
import { deleteExpiredSessions, insertSession } from './store';

/** A session just created: the cookie value (never stored) and its CSRF token. */
export interface NewSession {
  token: string;
  csrfToken: string;
}

/** Starts a session for a user; the database keeps only the hash of the cookie value. */
export async function createSession(db: SqlRunner, config: Pick<Config, 'sessionHours'>, userId: UserId, now: Date): Promise<NewSession> {
  const token = randomToken();
  const csrfToken = randomToken();
  await deleteExpiredSessions(db, userId, now);
  await insertSession(db, {
    tokenHash: hashToken(token),
    userId,
    csrfToken,
    createdAt: now,
    expiresAt: new Date(now.getTime() + config.sessionHours * 3_600_000),
  });
  return { token, csrfToken };
}

/** Sets the session cookie: httpOnly so scripts cannot read it, SameSite=Lax against cross-site writes. */
export function setSessionCookie(reply: FastifyReply, config: Pick<Config, 'secureCookies' | 'sessionHours'>, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: config.secureCookies,
    maxAge: config.sessionHours * 3600,
  });
}

/** Removes the session cookie from the browser. */
export function clearSessionCookie(reply: FastifyReply, config: Pick<Config, 'secureCookies'>): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', path: '/', secure: config.secureCookies });
}

/**
 * Checks the CSRF header of a public route that acts with the session cookie when one is present
 * (the registry checks CSRF only on routes that require a session).
 */
export function assertCsrf(req: FastifyRequest, principal: { csrfToken: string }): void {
  const sent = req.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || !safeEqual(sent, principal.csrfToken)) throw new PodiumError('CSRF_FAILED');
}
