import * as P from '@podium/protocol';
import { PodiumError, type Me, type UserId } from '@podium/protocol';
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../context';
import type { ApiRegistry } from '../http/api-registry';
import type { Principal } from '../http/principal';
import { buildMe } from './dto';
import { confirmPasswordReset, requestPasswordReset } from './password-reset';
import { signIn, signOut, signUp, updateProfile } from './service';
import { clearSessionCookie, setSessionCookie, type NewSession } from './sessions';
import { needsSetup, setupInstance } from './setup';

/** The signed-in person behind a `user` route (the registry has already refused everyone else). */
export function sessionUser(principal: Principal): Extract<Principal, { kind: 'user' }> {
  if (principal.kind !== 'user') throw new PodiumError('UNAUTHENTICATED');
  return principal;
}

/** Sets the cookie of a session just started and answers with the new `Me`. */
export async function answerSignedIn(ctx: AppContext, reply: FastifyReply, userId: UserId, session: NewSession): Promise<Me> {
  setSessionCookie(reply, ctx.config, session.token);
  return buildMe(ctx.sql, userId, session.csrfToken);
}

/** Registers setup, sign-up/in/out, profile and password-reset routes. */
export function registerAccountRoutes(api: ApiRegistry, ctx: AppContext): void {
  api.handle(P.setupStatus, async () => ({ needsSetup: await needsSetup(ctx) }));

  api.handle(P.setupCreate, async ({ body, reply }) => {
    const r = await setupInstance(ctx, body, { signIn: true });
    ctx.log.info({ userId: r.user.id, orgId: r.org.id }, 'instance set up');
    return answerSignedIn(ctx, reply, r.user.id, r.session!);
  });

  api.handle(P.signUp, async ({ body, reply }) => {
    const r = await signUp(ctx, body);
    return answerSignedIn(ctx, reply, r.userId, r.session);
  });

  api.handle(P.signIn, async ({ body, principal, reply }) => {
    const r = await signIn(ctx, body, principal.kind === 'user' ? principal.sessionHash : undefined);
    return answerSignedIn(ctx, reply, r.userId, r.session);
  });

  api.handle(P.signOut, async ({ principal, reply }) => {
    await signOut(ctx, sessionUser(principal).sessionHash);
    clearSessionCookie(reply, ctx.config);
    return { ok: true as const };
  });

  api.handle(P.getMe, async ({ principal }) => {
    const me = sessionUser(principal);
    return buildMe(ctx.sql, me.userId, me.csrfToken);
  });

  api.handle(P.updateMe, async ({ principal, body }) => {
    const me = sessionUser(principal);
    await updateProfile(ctx, me.userId, body);
    return buildMe(ctx.sql, me.userId, me.csrfToken);
  });

  api.handle(P.requestPasswordReset, async ({ body }) => {
    await requestPasswordReset(ctx, body.email);
    return { ok: true as const };
  });

  api.handle(P.confirmPasswordReset, async ({ body, principal, reply }) => {
    await confirmPasswordReset(ctx, body.token, body.password);
    // Every session of the account just ended; this browser's cookie, if any, is dead too.
    if (principal.kind === 'user') clearSessionCookie(reply, ctx.config);
    return { ok: true as const };
  });
}
