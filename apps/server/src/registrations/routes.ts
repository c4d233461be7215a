import {
  PodiumError, exportRegistrations, getJoinInfo, hostJoinLink as hostJoinLinkRoute, listRegistrations as listRoute, register,
  removeRegistration as removeRoute, type EventId, type OrgId, type RegistrationId,
} from '@podium/protocol';
import type { AppContext } from '../context';
import type { ApiRegistry } from '../http/api-registry';
import { hostJoinLink, joinInfo } from './join-info';
import { Registrar } from './register';
import { exportRegistrationsCsv, listRegistrations, removeRegistration } from './registrants';
import { appendAudit } from '../privacy/audit-log';
import { auditActor } from '../privacy/actor';

// Path ids are checked against their pattern by the route schema; here they get their brand.
const org = (p: { orgId: string }) => p.orgId as OrgId;
const evt = (p: { eventId: string }) => p.eventId as EventId;

/** Registers this domain's API routes. */
export function registerRegistrationRoutes(api: ApiRegistry, ctx: AppContext): void {
  const registrar = new Registrar(ctx);

  api.handle(register, async ({ params, body, req }) => registrar.register(evt(params), body, req.ip));

  api.handle(listRoute, async ({ params, query, principal }) => {
    const page = await listRegistrations(ctx, org(params), evt(params), query);
    // An admin's read of a registrant list is processing of those people's data: audited (GDPR).
    await appendAudit(ctx.sql, { orgId: org(params), actor: auditActor(principal), action: 'registrants.read', subjectRef: evt(params), details: { eventId: evt(params), rows: page.items.length } }, ctx.now());
    return page;
  });

  api.handle(exportRegistrations, async ({ params, reply, principal }) => {
    const csv = await exportRegistrationsCsv(ctx, org(params), evt(params));
    await appendAudit(ctx.sql, { orgId: org(params), actor: auditActor(principal), action: 'registrants.export-csv', subjectRef: evt(params), details: { eventId: evt(params) } }, ctx.now());
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="registrations-${evt(params)}.csv"`)
      .header('cache-control', 'no-store')
      .send(csv);
  });

  api.handle(removeRoute, async ({ params }) => {
    await removeRegistration(ctx, org(params), evt(params), params.registrationId as RegistrationId);
    return { ok: true as const };
  });

  api.handle(hostJoinLinkRoute, async ({ params, principal }) => {
    if (principal.kind !== 'user') throw new PodiumError('FORBIDDEN', 'A host join link is personal: sign in as a person, not with an API key.');
    return hostJoinLink(ctx, org(params), evt(params), principal.userId);
  });

  api.handle(getJoinInfo, async ({ query }) => joinInfo(ctx, query.token));
}
