import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server';

describe('system routes', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => t.close());

  it('GET /api/v1/health reports the store and mail mode', async () => {
    const res = await t.client().get('/api/v1/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', store: 'pglite', mail: 'outbox', protocolVersion: 1 });
  });

  it('an unknown API route answers 404 ROUTE_NOT_FOUND in JSON', async () => {
    const res = await t.client().get('/api/v1/nope');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('ROUTE_NOT_FOUND');
  });
});
