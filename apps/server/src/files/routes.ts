import {
  PodiumError, deleteFile, fileContent, fileLink, listFiles, uploadFile,
  type EventId, type FileId, type OrgId,
} from '@podium/protocol';
import type { AppContext } from '../context';
import type { ApiRegistry } from '../http/api-registry';
import { rawBodyOf } from '../http/body-parsing';
import { cursorDate, decodeCursor, pageLimit, slicePage } from '../http/pagination';
import { sendFileContent } from './content';
import { signFileLink, verifyFileLink } from './links';
import { PdfChecker } from './pdf/pdf-checker';
import { deleteEventFile, housekeeping, uploadEventFile } from './service';
import { fileUsage } from './quota';
import { eventExists, findEventFile, findReadyFile, listEventFileRows, toRoomFile } from './store';

/** How long a download link made for a host in the app lasts. */
export const HOST_LINK_TTL_SECONDS = 3600;
/** How often stored bytes of deleted files (also those that went with their event) and crashed uploads are cleaned up. */
const HOUSEKEEPING_INTERVAL_MS = 10 * 60_000;

// Path ids are checked against their pattern by the route schema; here they get their brand.
const org = (p: { orgId: string }) => p.orgId as OrgId;
const evt = (p: { eventId: string }) => p.eventId as EventId;
const fil = (p: { fileId: string }) => p.fileId as FileId;

/** The request's Content-Length as a number, when it sent a valid one. */
function declaredLength(header: string | undefined): number | undefined {
  return header && /^\d{1,16}$/.test(header) ? Number(header) : undefined;
}

/** Registers the files domain's routes; the returned `close` stops the PDF checker's threads (call it when the app closes). */
export function registerFileRoutes(api: ApiRegistry, ctx: AppContext): { close(): Promise<void> } {
  const pdf = new PdfChecker({ maxPages: ctx.config.filePdfMaxPages, timeoutMs: ctx.config.filePdfTimeoutMs });
  // Deleting an event or organization queues its files' bytes for deletion in SQL; this removes them.
  const sweeper = setInterval(() => void housekeeping(ctx, { sweepStores: true }), HOUSEKEEPING_INTERVAL_MS);
  sweeper.unref();

  api.handle(uploadFile, async ({ params, query, principal, req, reply }) => {
    try {
      return await uploadEventFile(ctx, pdf, {
        orgId: org(params), eventId: evt(params), purpose: query.purpose, name: query.name,
        uploadedBy: principal.kind === 'user' ? principal.userId : null,
        body: rawBodyOf(req), declaredLength: declaredLength(req.headers['content-length']),
      });
    } catch (err) {
      // Refused before the whole body arrived: the rest is not read, so the connection cannot carry another request.
      if (!req.raw.complete) reply.header('connection', 'close');
      throw err;
    }
  });

  api.handle(listFiles, async ({ params, query }) => {
    if (!(await eventExists(ctx.sql, org(params), evt(params)))) throw new PodiumError('EVENT_NOT_FOUND');
    const limit = pageLimit(query);
    const after = decodeCursor(query.cursor, ['string', 'string'] as const);
    const rows = await listEventFileRows(ctx.sql, evt(params), after ? { createdAt: cursorDate(after[0]), id: after[1] } : null, limit);
    const usage = await fileUsage(ctx.sql, org(params), ctx.config.fileQuotaBytes);
    return { ...slicePage(rows, limit, (r) => [r.created_at.toISOString(), r.id], toRoomFile), maxUploadBytes: ctx.config.fileMaxUploadBytes, usage };
  });

  api.handle(deleteFile, async ({ params }) => {
    await deleteEventFile(ctx, org(params), evt(params), fil(params));
    return { ok: true as const };
  });

  api.handle(fileLink, async ({ params }) => {
    const file = await findEventFile(ctx.sql, org(params), evt(params), fil(params));
    if (!file) throw new PodiumError((await eventExists(ctx.sql, org(params), evt(params))) ? 'FILE_NOT_FOUND' : 'EVENT_NOT_FOUND');
    return signFileLink(ctx, file.id, HOST_LINK_TTL_SECONDS);
  });

  api.handle(fileContent, async ({ params, query, req, reply }) => {
    // The signature first: a forged link learns nothing, not even whether the file exists.
    verifyFileLink(ctx, fil(params), query.exp, query.sig);
    const file = await findReadyFile(ctx.sql, fil(params));
    if (!file) throw new PodiumError('FILE_NOT_FOUND');
    return sendFileContent(req, reply, ctx.blobs, file, query.exp - Math.floor(ctx.now().getTime() / 1000));
  });

  return {
    async close() {
      clearInterval(sweeper);
      await pdf.close();
    },
  };
}
