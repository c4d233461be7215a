/** The GDPR routes (packages/protocol/src/api/privacy.ts). */
import { Readable } from 'node:stream';
import {
  PodiumError, anyAuditLog, dataLocation, downloadAccess, eraseAnySubject, eraseOrgSubject, exportAnySubject,
  exportOrgSubject, getRetention, acceptConsent, listRecordingFlags as listFlagsRoute, resolveRecordingFlag, orgAuditLog, requestAccess as requestAccessRoute, setRetention, withdrawConsent,
  type DataRegionName, type OrgId,
} from '@podium/protocol';
import type { FastifyReply } from 'fastify';
import type { AppContext } from '../context';
import type { ApiRegistry } from '../http/api-registry';
import { appendAudit, auditRows } from './audit-log';
import { auditActor } from './actor';
import { redeemAccessToken, requestAccess } from './access-requests';
import { eraseSubject } from './erasure';
import { estimateExportBytes, exportEntries } from './export';
import { findSubject, subjectRef, type SubjectScope } from './subjects';
import { zipStream } from './zip';
import { orgRetention, setOrgRetention } from './retention';
import { acceptConsentByToken, withdrawConsentByToken } from './consent';
import { orgDataLocation } from './residency';
import { listRecordingFlags, resolveRecordingFlags } from './recordings-hook';

function sendZip(reply: FastifyReply, name: string, gen: AsyncGenerator<Buffer>, estimate: number): FastifyReply {
  return reply
    .header('x-podium-export-estimate', String(estimate))
    .header('content-type', 'application/zip')
    .header('content-disposition', `attachment; filename="${name}"`)
    .header('cache-control', 'no-store')
    .send(Readable.from(gen));
}

/** Registers the privacy routes. */
export function registerPrivacyRoutes(api: ApiRegistry, ctx: AppContext): void {
  const exportFor = async (scope: SubjectScope, actor: string, reply: FastifyReply, via: string) => {
    const subject = await findSubject(ctx.sql, scope);
    const ref = subjectRef(ctx.secrets, scope.email);
    await appendAudit(ctx.sql, { orgId: scope.orgId ?? null, actor, action: 'subject.export', subjectRef: ref, details: { via, found: subject.personIds.length > 0 } }, ctx.now());
    return sendZip(reply, 'personal-data.zip', zipStream(exportEntries(ctx, scope, subject)), await estimateExportBytes(ctx, scope, subject));
  };

  api.handle(requestAccessRoute, async ({ body }) => {
    await requestAccess(ctx, body.email);
    return { ok: true as const };
  });
  api.handle(downloadAccess, async ({ query, reply }) => {
    const { subject, ref } = await redeemAccessToken(ctx, query.token);
    await appendAudit(ctx.sql, { orgId: null, actor: `subject:${ref}`, action: 'subject.export', subjectRef: ref, details: { via: 'emailed-link' } }, ctx.now());
    return sendZip(reply, 'personal-data.zip', zipStream(exportEntries(ctx, { email: subject.email }, subject)), await estimateExportBytes(ctx, { email: subject.email }, subject));
  });
  api.handle(exportOrgSubject, async ({ params, body, principal, reply }) =>
    exportFor({ email: body.email, orgId: params.orgId as OrgId }, auditActor(principal), reply, 'organization-admin'));
  api.handle(exportAnySubject, async ({ body, principal, reply }) => exportFor({ email: body.email }, auditActor(principal), reply, 'instance-admin'));
  api.handle(eraseOrgSubject, async ({ params, body, principal }) => {
    const { liveRooms: _l, ...r } = await eraseSubject(ctx, { email: body.email, orgId: params.orgId as OrgId }, auditActor(principal));
    return r;
  });
  api.handle(eraseAnySubject, async ({ body, principal }) => {
    const { liveRooms: _l, ...r } = await eraseSubject(ctx, { email: body.email }, auditActor(principal));
    return r;
  });

  const ndjson = async (orgId: OrgId | null, actor: string, reply: FastifyReply) => {
    await appendAudit(ctx.sql, { orgId, actor, action: 'audit.export' }, ctx.now());
    async function* lines() {
      for await (const r of auditRows(ctx.sql, orgId ? { orgId } : {})) yield Buffer.from(`${JSON.stringify(r)}\n`);
    }
    return reply.header('content-type', 'application/x-ndjson').header('cache-control', 'no-store').send(Readable.from(lines()));
  };
  api.handle(orgAuditLog, async ({ params, principal, reply }) => ndjson(params.orgId as OrgId, auditActor(principal), reply));
  api.handle(anyAuditLog, async ({ principal, reply }) => ndjson(null, auditActor(principal), reply));

  api.handle(getRetention, async ({ params }) => orgRetention(ctx.sql, params.orgId, ctx.config));
  api.handle(setRetention, async ({ params, body, principal }) =>
    setOrgRetention(ctx.sql, params.orgId, body as Record<string, number>, auditActor(principal), ctx.now(), ctx.config));
  api.handle(dataLocation, async ({ params }) => {
    const [org] = await ctx.sql.query<{ data_region: string }>('select data_region from organizations where id = $1', [params.orgId]);
    if (!org) throw new PodiumError('ORG_NOT_FOUND');
    return orgDataLocation(ctx, params.orgId as OrgId, org.data_region as DataRegionName);
  });
  api.handle(withdrawConsent, async ({ body }) => {
    await withdrawConsentByToken(ctx, body.token, body.kind);
    return { ok: true as const };
  });
  api.handle(listFlagsRoute, async ({ params }) => listRecordingFlags(ctx.sql, params.orgId));
  api.handle(resolveRecordingFlag, async ({ params, body, principal }) => {
    await resolveRecordingFlags(ctx.sql, params.orgId, params.recordingId, body.resolution, auditActor(principal), ctx.now());
    return { ok: true as const };
  });
  api.handle(acceptConsent, async ({ body }) => {
    await acceptConsentByToken(ctx, body.token, body.kind, body.version);
    return { ok: true as const };
  });
}
