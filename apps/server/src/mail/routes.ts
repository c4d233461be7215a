import {
  getAnyOutboxMessage, getOrgOutboxMessage, listAllOutbox, listOrgOutbox, type MailId, type OrgId,
} from '@podium/protocol';
import type { AppContext } from '../context';
import type { ApiRegistry } from '../http/api-registry';
import { pageLimit } from '../http/pagination';
import { getOutboxMessage, listOutbox } from './outbox-store';

// Ids in params were checked against their pattern by the route schema, so the brand casts hold.

/** Registers the outbox routes: org admins read their organization's mail, the instance admin reads all. */
export function registerOutboxRoutes(api: ApiRegistry, ctx: AppContext): void {
  api.handle(listOrgOutbox, async ({ params, query }) => listOutbox(ctx.sql, params.orgId as OrgId, pageLimit(query), query.cursor));
  api.handle(getOrgOutboxMessage, async ({ params }) => getOutboxMessage(ctx.sql, params.orgId as OrgId, params.mailId as MailId));
  api.handle(listAllOutbox, async ({ query }) => listOutbox(ctx.sql, null, pageLimit(query), query.cursor));
  api.handle(getAnyOutboxMessage, async ({ params }) => getOutboxMessage(ctx.sql, null, params.mailId as MailId));
}
