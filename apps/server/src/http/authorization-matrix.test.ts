// Every route of the API catalogue × every kind of caller → the exact status its access rule
// promises, on a real server whose rows were made through the real routes. A route added to the
// catalogue without a sample request here fails this file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, roleAtLeast, type OrgRole, type RouteDef } from '@podium/protocol';
import { startTestServer, type TestServer } from '../testing/server';
import { STORE_KINDS } from '../testing/sql';
import { fillPath } from '../testing/http-call';
import { diffSnapshots, snapshotDatabase } from '../testing/db-snapshot';
import { ROUTE_SAMPLES, foreignIds, type RouteSample } from '../testing/route-samples';
import { PRINCIPALS, buildTenantFixture, type PrincipalName, type TenantFixture } from '../testing/tenant-fixture';

/** Role each principal holds in org A (API keys act as admin, never as owner). */
const ROLE_IN_A: Partial<Record<PrincipalName, OrgRole>> = { host: 'host', admin: 'admin', owner: 'owner', apiKey: 'admin' };
const PEOPLE: ReadonlySet<PrincipalName> = new Set(['hostOfB', 'ownerOfB', 'instanceAdmin', 'host', 'admin', 'owner']);

/** The status a caller must get from a route, derived from the route's access rule. */
function expectedStatus(route: RouteDef, principal: PrincipalName, sample: RouteSample): number {
  const ok = route.successStatus ?? 200;
  const exception = sample.except?.[principal];
  if (exception !== undefined) return exception;
  if (route.access === 'public') return sample.publicStatus ?? ok;
  // A join token is not an API credential: its holder is anonymous to every non-public route.
  if (principal === 'anonymous' || principal === 'attendee') return 401;
  if (route.access === 'user') return PEOPLE.has(principal) ? ok : 403;
  if (route.access === 'instance-admin') return principal === 'instanceAdmin' ? ok : 403;
  const role = ROLE_IN_A[principal];
  return role && roleAtLeast(role, route.access.slice(4) as OrgRole) ? ok : 403;
}

const DENIAL_CODES: Record<number, string> = { 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN' };

interface Cell {
  principal: PrincipalName;
  expected: number;
  got: number;
  code: string | undefined;
}

function formatRow(route: RouteDef, cells: Cell[]): string {
  return `${route.id.padEnd(28)} ${route.access.padEnd(14)} ${cells.map((c) => `${c.got}${c.got === c.expected ? ' ' : `≠${c.expected}`}`.padEnd(14)).join('')}`;
}

/** The path parameters of a route that name an object inside the organization. */
function objectParams(route: RouteDef): string[] {
  return [...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]).filter((p) => p !== 'orgId');
}

describe.each(STORE_KINDS)('authorization matrix on %s', (store) => {
  let t: TestServer;
  let fx: TenantFixture;
  const printed: string[] = [];

  beforeAll(async () => {
    t = await startTestServer({ store, config: { rateLimitPerMinute: 10_000_000, authRateLimitPerMinute: 1_000_000 } });
    fx = await buildTenantFixture(t);
  });
  afterAll(async () => {
    if (printed.length) {
      const header = `${'route'.padEnd(28)} ${'access'.padEnd(14)} ${PRINCIPALS.map((p) => p.padEnd(14)).join('')}`;
      console.log(`authorization matrix on ${store} (status got, ≠expected when wrong)\n${header}\n${printed.join('\n')}`);
    }
    await t?.close();
  });

  it('has a sample request for every route of the catalogue and none for routes that do not exist', () => {
    const ids = API_ROUTES.map((r) => r.id);
    expect(ids.filter((id) => !ROUTE_SAMPLES[id]), 'routes without a matrix entry in testing/route-samples.ts').toEqual([]);
    expect(Object.keys(ROUTE_SAMPLES).filter((id) => !ids.includes(id)), 'matrix entries for routes not in the catalogue').toEqual([]);
  });

  for (const route of API_ROUTES) {
    it(`${route.id} (${route.method} ${route.path}, access ${route.access}) gives each caller the status of its access rule`, async () => {
      const sample = ROUTE_SAMPLES[route.id];
      if (!sample) throw new Error(`route ${route.id} has no entry in ROUTE_SAMPLES (apps/server/src/testing/route-samples.ts)`);
      const cells: Cell[] = [];
      for (const principal of PRINCIPALS) {
        const credentials = fx.principals[principal];
        const req = await sample.build({ fx, principal, credentials });
        const res = await fx.f.call({
          method: route.method, path: fillPath(route.path, req.params), query: req.query, body: req.body,
          rawBody: req.rawBody, contentType: req.contentType, credentials: req.credentials ?? credentials,
        });
        cells.push({ principal, expected: expectedStatus(route, principal, sample), got: res.status, code: res.json?.code });
      }
      printed.push(formatRow(route, cells));
      const wrong = cells
        .filter((c) => c.got !== c.expected || (DENIAL_CODES[c.expected] && c.code !== DENIAL_CODES[c.expected] && !sample.except?.[c.principal]))
        .map((c) => `${route.id} as ${c.principal}: expected ${c.expected}${DENIAL_CODES[c.expected] ? ` ${DENIAL_CODES[c.expected]}` : ''}, got ${c.got} ${c.code ?? ''}`);
      expect(wrong, `${route.id}${sample.why ? ` (${sample.why})` : ''}`).toEqual([]);
    });
  }

  it('every org route that takes an object id has a foreign id to try', () => {
    const known = Object.keys(foreignIds(fx));
    const missing = API_ROUTES.filter((r) => r.access.startsWith('org:'))
      .flatMap((r) => objectParams(r).filter((p) => !known.includes(p)).map((p) => `${r.id} :${p}`));
    expect(missing).toEqual([]);
  });

  for (const route of API_ROUTES.filter((r) => r.access.startsWith('org:') && objectParams(r).length > 0)) {
    it(`${route.id} answers org B's ids under org A's path with a not-found code, shows nothing of B and changes nothing`, async () => {
      const foreign = foreignIds(fx);
      const sample = ROUTE_SAMPLES[route.id]!;
      const params = objectParams(route);
      // Each object id from B alone (the others A's own), then all of them from B.
      const variants: string[][] = params.map((p) => [p]);
      if (params.length > 1) variants.push(params);
      const failures: string[] = [];
      for (const principal of (['owner', 'apiKey'] as const).filter((p) => sample.except?.[p] === undefined)) {
        for (const swapped of variants) {
          const req = await sample.build({ fx, principal, credentials: fx.principals[principal] });
          const before = await snapshotDatabase(t.server.ctx.sql);
          const p = { ...req.params };
          for (const name of swapped) p[name] = foreign[name]!.b;
          const res = await fx.f.call({
            method: route.method, path: fillPath(route.path, p), query: req.query, body: req.body,
            rawBody: req.rawBody, contentType: req.contentType, credentials: fx.principals[principal],
          });
          const codes = swapped.map((name) => foreign[name]!.code);
          const what = `${route.id} as ${principal} with B's ${swapped.join(' + ')}`;
          if (res.status !== 404 || !codes.includes(res.json?.code)) failures.push(`${what}: expected 404 ${codes.join('|')}, got ${res.status} ${res.json?.code ?? res.text.slice(0, 80)}`);
          for (const secret of [fx.b.orgName, ...Object.values(foreign).map((f) => f.b)]) {
            if (res.text.includes(secret)) failures.push(`${what}: the answer shows B's ${secret}`);
          }
          const diff = diffSnapshots(before, await snapshotDatabase(t.server.ctx.sql));
          if (Object.keys(diff).length) failures.push(`${what}: the database changed ${JSON.stringify(diff)}`);
        }
      }
      expect(failures).toEqual([]);
    });
  }
});
