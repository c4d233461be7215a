import * as P from '@podium/protocol';
import { PodiumError, type ApiKeyId, type InvitationId, type OrgId, type OrgRole, type UserId } from '@podium/protocol';
import type { AppContext } from '../context';
import { buildMe } from '../accounts/dto';
import { answerSignedIn, sessionUser } from '../accounts/routes';
import { assertCsrf } from '../accounts/sessions';
import type { ApiRegistry } from '../http/api-registry';
import { appendAudit } from '../privacy/audit-log';
import { auditActor } from '../privacy/actor';
import type { Principal } from '../http/principal';
import { createApiKey, listOrgApiKeys, revokeOrgApiKey } from './api-keys';
import { toApiKey, toInvitation, toMember, toOrg } from './dto';
import {
  acceptAsMember, acceptAsNewAccount, createInvitation, listOrgInvitations, previewInvitation, revokeOrgInvitation,
} from './invitations';
import { changeMemberRole, createOrg, getOrg, listOrgMembers, removeMember, updateOrg, type OrgActor } from './service';

/** The caller of an `org:*` route as an actor: a member, or an API key acting as admin. */
function actorOf(principal: Principal, orgRole: OrgRole | null): OrgActor {
  if (!orgRole || principal.kind === 'anonymous') throw new PodiumError('FORBIDDEN');
  return { userId: principal.kind === 'user' ? principal.userId : null, role: orgRole };
}

/** Registers organization, member, invitation and API key routes. */
export function registerOrgRoutes(api: ApiRegistry, ctx: AppContext): void {
  api.handle(P.createOrg, async ({ body, principal }) =>
    toOrg(await createOrg(ctx, { ...body, ownerId: sessionUser(principal).userId })));

  api.handle(P.getOrg, async ({ params }) => toOrg(await getOrg(ctx, params.orgId as OrgId)));

  api.handle(P.updateOrg, async ({ params, body }) => toOrg(await updateOrg(ctx, params.orgId as OrgId, body)));

  api.handle(P.listMembers, async ({ params, query }) => listOrgMembers(ctx, params.orgId as OrgId, query));

  api.handle(P.updateMember, async ({ params, body, principal, orgRole }) => {
    const member = toMember(await changeMemberRole(ctx, params.orgId as OrgId, actorOf(principal, orgRole), params.userId as UserId, body.role));
    await appendAudit(ctx.sql, { orgId: params.orgId, actor: auditActor(principal), action: 'member.role-change', subjectRef: params.userId, details: { userId: params.userId, role: body.role } }, ctx.now());
    return member;
  });

  api.handle(P.removeMember, async ({ params, principal, orgRole }) => {
    await removeMember(ctx, params.orgId as OrgId, actorOf(principal, orgRole), params.userId as UserId);
    await appendAudit(ctx.sql, { orgId: params.orgId, actor: auditActor(principal), action: 'member.remove', subjectRef: params.userId, details: { userId: params.userId } }, ctx.now());
    return { ok: true as const };
  });

  api.handle(P.listInvitations, async ({ params, query }) => listOrgInvitations(ctx, params.orgId as OrgId, query));

  api.handle(P.createInvitation, async ({ params, body, principal, orgRole }) => {
    const invitation = toInvitation(await createInvitation(ctx, params.orgId as OrgId, actorOf(principal, orgRole), body));
    // A role offered is a role change to come: audited with ids only (the address stays out of the log).
    await appendAudit(ctx.sql, { orgId: params.orgId, actor: auditActor(principal), action: 'member.role-change', subjectRef: invitation.id, details: { invitationId: invitation.id, role: body.role, via: 'invitation' } }, ctx.now());
    return invitation;
  });

  api.handle(P.revokeInvitation, async ({ params }) => {
    await revokeOrgInvitation(ctx, params.orgId as OrgId, params.invitationId as InvitationId);
    return { ok: true as const };
  });

  api.handle(P.previewInvitation, async ({ query }) => previewInvitation(ctx, query.token));

  api.handle(P.acceptInvitation, async ({ body, principal, req, reply }) => {
    if (principal.kind === 'apiKey') throw new PodiumError('FORBIDDEN', 'Invitations are accepted by people, not API keys.');
    if (principal.kind === 'user') {
      // A public route, so the registry did not check CSRF; this one acts with the cookie, so we do.
      assertCsrf(req, principal);
      await acceptAsMember(ctx, body.token, principal.userId);
      return buildMe(ctx.sql, principal.userId, principal.csrfToken);
    }
    const r = await acceptAsNewAccount(ctx, body);
    return answerSignedIn(ctx, reply, r.userId, r.session);
  });

  api.handle(P.listApiKeys, async ({ params, query }) => listOrgApiKeys(ctx, params.orgId as OrgId, query));

  api.handle(P.createApiKey, async ({ params, body, principal, orgRole }) => {
    const k = await createApiKey(ctx, params.orgId as OrgId, actorOf(principal, orgRole), body);
    return { apiKey: toApiKey(k.row), secret: k.secret };
  });

  api.handle(P.revokeApiKey, async ({ params }) => {
    await revokeOrgApiKey(ctx, params.orgId as OrgId, params.apiKeyId as ApiKeyId);
    return { ok: true as const };
  });
}
