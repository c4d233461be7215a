import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server';

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const INDEX = '<!doctype html><html><head><script type="module" src="/assets/app-1a2b3c.js"></script></head><body><div id="root"></div></body></html>';

describe('web app serving (built)', () => {
  let t: TestServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podium-web-'));
    mkdirSync(join(dir, 'assets'));
    mkdirSync(join(dir, 'api'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'app-1a2b3c.js'), 'console.log("podium")');
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(dir, 'api', 'stray.txt'), 'should never be served');
    t = await startTestServer({ config: { webDir: dir } });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GET / serves index.html, revalidated on every load, under the strict CSP', async () => {
    const res = await t.client().get('/', HTML);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toBe(INDEX);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('serves hashed assets with an immutable cache, other files revalidated', async () => {
    const asset = await t.client().get('/assets/app-1a2b3c.js');
    expect(asset.status).toBe(200);
    expect(asset.text).toBe('console.log("podium")');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const icon = await t.client().get('/favicon.svg');
    expect(icon.status).toBe(200);
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers index.html to a page navigation of a client-side route', async () => {
    for (const path of ['/events/evt_0123', '/orgs/org_1/settings?tab=members', '/setup']) {
      const res = await t.client().get(path, HTML);
      expect(res.status, path).toBe(200);
      expect(res.text, path).toBe(INDEX);
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('keeps the API\'s JSON 404 for unknown API routes, even when the client accepts HTML', async () => {
    for (const headers of [HTML, {}]) {
      const res = await t.client().get('/api/v1/nope', headers);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(res.body.code).toBe('ROUTE_NOT_FOUND');
    }
    const post = await t.client().post('/api/v1/nope', {});
    expect(post.status).toBe(404);
    expect(post.body.code).toBe('ROUTE_NOT_FOUND');
  });

  it('never serves a file of the build under /api', async () => {
    const res = await t.client().get('/api/stray.txt', HTML);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('ROUTE_NOT_FOUND');
  });

  it('answers index.html to curl-style clients (Accept */* or none) on app routes, not on file names', async () => {
    const page = await t.client().get('/setup', { accept: '*/*' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<div id="root">');
    const file = await t.client().get('/robots.txt', { accept: '*/*' });
    expect(file.status).toBe(404);
  });

  it('answers a plain 404 to a missing asset or a request that is not a page navigation', async () => {
    const missingAsset = await t.client().get('/assets/gone-9z9z.js', HTML);
    expect(missingAsset.status).toBe(404);
    expect(missingAsset.text).toBe('Not found');
    const image = await t.client().get('/logo.png', { accept: 'image/avif,image/webp,*/*' });
    expect(image.status).toBe(404);
    const post = await t.client().post('/events/evt_0123', 'x', { ...HTML, 'content-type': 'text/plain' });
    expect(post.status).toBe(404);
  });
});

describe('web app serving (not built)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ config: { webDir: '/nonexistent-podium-web-dir' } });
  });
  afterAll(async () => t.close());

  it('GET / tells to run npm run build:web', async () => {
    const res = await t.client().get('/', HTML);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toContain('npm run build:web');
  });

  it('other paths answer 404, and unknown API routes keep their JSON 404', async () => {
    expect((await t.client().get('/events/evt_1', HTML)).status).toBe(404);
    const api = await t.client().get('/api/v1/nope', HTML);
    expect(api.status).toBe(404);
    expect(api.body.code).toBe('ROUTE_NOT_FOUND');
  });
});
