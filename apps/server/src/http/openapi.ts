import type { FastifyInstance } from 'fastify';
import { API_ROUTES } from '@podium/protocol';
import { buildOpenApiDocument } from './openapi-document';
import { API_DOCS_PATHS, renderApiDocsPage } from './api-docs-page';
import { API_DOCS_CSS } from './api-docs-css';
import { PODIUM_VERSION } from './system-routes';

/**
 * Serves the OpenAPI 3.1 document and the browsable API reference. Both are built once at
 * start-up from the route catalogue (they cannot change while the process runs). They are meta
 * routes, outside API_ROUTES, so they do not document themselves.
 */
export function installOpenApi(app: FastifyInstance, publicUrl: string): void {
  const doc = buildOpenApiDocument(API_ROUTES, { publicUrl, version: PODIUM_VERSION });
  const json = JSON.stringify(doc);
  const page = renderApiDocsPage(doc);

  app.get(API_DOCS_PATHS.openapi, async (_req, reply) => reply.type('application/json; charset=utf-8').header('cache-control', 'no-cache').send(json));
  app.get(API_DOCS_PATHS.page, async (_req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page));
  app.get(API_DOCS_PATHS.css, async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(API_DOCS_CSS));
}
