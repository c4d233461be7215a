import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, ERROR_CODES } from '@podium/protocol';
import { startTestServer, type TestServer } from '../testing/server';
import { buildOpenApiDocument, toOpenApiPath, type OpenApiDocument } from './openapi-document';
import { PODIUM_VERSION } from './system-routes';

const plain = (schema: unknown) => JSON.parse(JSON.stringify(schema)) as unknown;

describe('OpenAPI document', () => {
  const doc = buildOpenApiDocument(API_ROUTES, { publicUrl: 'https://podium.example.org', version: PODIUM_VERSION });

  it('is an OpenAPI 3.1 document with info, the public URL as server, tags and security schemes', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Podium API', version: PODIUM_VERSION });
    expect(doc.servers).toEqual([{ url: 'https://podium.example.org' }]);
    expect(new Set(doc.tags.map((t) => t.name))).toEqual(new Set(API_ROUTES.map((r) => r.tag)));
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['apiKey', 'session']);
    expect(doc.components.schemas.ErrorBody).toMatchObject({ type: 'object', required: ['code', 'message'] });
    expect(doc.components.schemas.ErrorCode).toMatchObject({ enum: ERROR_CODES });
  });

  it('has every catalogue route under its OpenAPI path and method, with its operation id', () => {
    const operations = Object.values(doc.paths).flatMap((ops) => Object.keys(ops));
    expect(operations).toHaveLength(API_ROUTES.length);
    for (const r of API_ROUTES) {
      const path = toOpenApiPath(r.path);
      expect(path, r.id).not.toContain(':');
      const op = doc.paths[path]?.[r.method.toLowerCase()];
      expect(op, `${r.method} ${r.path}`).toBeDefined();
      expect(op.operationId).toBe(r.id);
      expect(op.summary).toBe(r.summary);
      expect(op.tags).toEqual([r.tag]);
      expect(op['x-podium-access']).toBe(r.access);
    }
  });

  it('declares every {param} of a path as a required path parameter', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(ops)) {
        const declared = (op.parameters ?? []).filter((p) => p.in === 'path');
        expect(declared.map((p) => p.name).sort(), `${path} ${op.operationId}`).toEqual([...names].sort());
        expect(declared.every((p) => p.required)).toBe(true);
      }
    }
  });

  it('uses the very schemas the server validates with for parameters, bodies and responses', () => {
    for (const r of API_ROUTES) {
      const op = doc.paths[toOpenApiPath(r.path)][r.method.toLowerCase()];
      if (r.body) expect(op.requestBody?.content['application/json'].schema, r.id).toEqual(plain(r.body));
      else if (r.rawBody) expect(Object.keys(op.requestBody?.content ?? {}), r.id).toEqual(['application/octet-stream']);
      else expect(op.requestBody, r.id).toBeUndefined();
      for (const [where, schema] of [['path', r.params], ['query', r.query]] as const) {
        const props = (plain(schema ?? { properties: {} }) as { properties: Record<string, unknown> }).properties;
        const params = (op.parameters ?? []).filter((p) => p.in === where);
        expect(Object.fromEntries(params.map((p) => [p.name, p.schema])), `${r.id} ${where}`).toEqual(props);
      }
      const success = op.responses[String(r.successStatus ?? 200)] as { content: Record<string, { schema: unknown }> };
      if (r.response) expect(success.content['application/json'].schema, r.id).toEqual(plain(r.response));
      else expect(Object.keys(success.content)).toEqual([r.produces ?? 'application/octet-stream']);
    }
  });

  it('answers 4XX and 5XX with the ErrorBody, and protects non-public routes with a security requirement', () => {
    for (const r of API_ROUTES) {
      const op = doc.paths[toOpenApiPath(r.path)][r.method.toLowerCase()];
      expect(op.responses['4XX']).toEqual({ $ref: '#/components/responses/Error' });
      if (r.access === 'public') expect(op.security).toEqual([]);
      else expect(op.security.length, r.id).toBeGreaterThan(0);
      if (r.access === 'org:host' || r.access === 'org:admin') expect(op.security).toContainEqual({ apiKey: [] });
      if (r.access === 'user' || r.access === 'instance-admin' || r.access === 'org:owner') expect(op.security).toEqual([{ session: [] }]);
    }
  });

  it('holds no symbols or functions: it survives a JSON round trip unchanged', () => {
    expect(plain(doc)).toEqual(doc);
  });
});

describe('OpenAPI and reference routes', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.close());

  it('GET /api/v1/openapi.json serves the document', async () => {
    const res = await t.client().get<OpenApiDocument>('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.paths['/api/v1/orgs/{orgId}/outbox'].get.operationId).toBe('outbox.listOrg');
  });

  it('GET /api/docs is a self-contained HTML reference grouped by tag with every operation and the error codes', async () => {
    const res = await t.client().get('/api/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = res.text;
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<style/i);
    expect(html).not.toMatch(/\sstyle="/i);
    expect(html).not.toMatch(/https?:\/\/(?!podium\.example|localhost|127\.0\.0\.1)/);
    expect(html).toContain('<link rel="stylesheet" href="/api/docs.css">');
    for (const tag of new Set(API_ROUTES.map((r) => r.tag))) expect(html).toContain(`id="tag-${tag}"`);
    for (const r of API_ROUTES) {
      expect(html, r.id).toContain(`>${r.id}</code>`);
      expect(html, r.id).toContain(r.summary.replace(/&/g, '&amp;').replace(/'/g, '&#39;').replace(/"/g, '&quot;'));
    }
    for (const code of ERROR_CODES) expect(html).toContain(`id="err-${code}"`);
    // The CSP forbids inline scripts: the page works with it unchanged.
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('GET /api/docs.css serves the stylesheet of the reference', async () => {
    const res = await t.client().get('/api/docs.css');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/css');
    expect(res.text).toContain('.method');
  });
});
