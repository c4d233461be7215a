// Malformed input to every write route and every route with query parameters, sent by a caller
// who IS allowed to call it, addressed at real objects of org A: nothing may answer 5xx, every
// refusal is a typed {code, message} from the error registry, and the whole database is the same
// after each route's batch as before it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, ERRORS, ID_PREFIXES, type RouteDef } from '@podium/protocol';
import type { TObject } from '@sinclair/typebox';
import { startTestServer, type TestServer } from '../testing/server';
import { STORE_KINDS } from '../testing/sql';
import { fillPath, type HttpCall, type HttpResult } from '../testing/http-call';
import { diffSnapshots, snapshotDatabase } from '../testing/db-snapshot';
import { ROUTE_SAMPLES } from '../testing/route-samples';
import { buildTenantFixture, type PrincipalName, type TenantFixture } from '../testing/tenant-fixture';
import {
  Rng, deeplyNested, deeplyNestedArrayText, deeplyNestedObjectText, fieldCases, randomMutation, seedOf, strictChecker,
  textMutations, unicodeCases, unstorableTextCases, type Json,
} from '../testing/fuzz-inputs';
import { BODY_LIMIT } from './app';
import { badSlideUploads } from '../files/testing/bad-uploads';

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
/** Every route that takes input beyond its path: writes, and reads with query parameters. */
const FUZZED_ROUTES = API_ROUTES.filter((r) => WRITE_METHODS.has(r.method) || r.query);
/** Random mutated bodies tried per route (only those the schema refuses are sent). */
const RANDOM_BODIES = 220;
const TEXT_MUTATIONS = 30;
const RANDOM_QUERIES = 40;

/** A request variant and what the API must answer. */
interface Case {
  label: string;
  call: Partial<HttpCall>;
  /** Allowed statuses (default: any 4xx). */
  status?: number[];
  /** Allowed error codes (default: any code of the registry). */
  code?: string[];
  /** Valid input that may succeed: only "no 5xx, typed 4xx" is checked. */
  mayPass?: boolean;
}

/** The caller allowed to use a route: fuzzing checks input handling, not authorization. */
function callerFor(route: RouteDef): PrincipalName {
  if (route.access === 'public') return 'anonymous';
  if (route.access === 'instance-admin') return 'instanceAdmin';
  return 'owner';
}

/** What is wrong with an answer, or null when it is a correct one. */
function judge(c: Case, res: HttpResult): string | null {
  const got = `${res.status} ${res.text.slice(0, 160)}`;
  if (res.status >= 500) return `${c.label}: server error ${got}`;
  if (res.status < 400) return c.mayPass ? null : `${c.label}: accepted (${got})`;
  const body = res.json as { code?: unknown; message?: unknown } | undefined;
  if (!body || typeof body.code !== 'string' || typeof body.message !== 'string') return `${c.label}: error without {code, message}: ${got}`;
  const entry = (ERRORS as Record<string, { status: number }>)[body.code];
  if (!entry) return `${c.label}: code ${body.code} is not in the error registry`;
  if (entry.status !== res.status) return `${c.label}: ${body.code} sent with status ${res.status}, registry says ${entry.status}`;
  if (c.status && !c.status.includes(res.status)) return `${c.label}: expected ${c.status.join('|')}, got ${got}`;
  if (c.code && !c.code.includes(body.code)) return `${c.label}: expected ${c.code.join('|')}, got ${got}`;
  return null;
}

const BAD_JSON: Case['status'] = [400];
const json = (rawBody: string, contentType = 'application/json') => ({ rawBody, contentType });

/** Bodies that are not JSON at all, in JSON's clothing. */
function brokenJsonCases(sampleText: string, rng: Rng): Case[] {
  const texts = ['{', '{"a":', '{"a":1,}', "{'a':1}", 'undefined', 'NaN', '{"a":01}', '{"a":"\\x"}', '{"a" 1}', '\u0001', ' ', '', sampleText.slice(0, sampleText.length >> 1)];
  const cases: Case[] = texts.map((t) => ({ label: `broken JSON ${JSON.stringify(t.slice(0, 30))}`, call: json(t), status: BAD_JSON, code: ['BAD_JSON'] }));
  cases.push({ label: 'prototype pollution (__proto__)', call: json(`{"__proto__":{"isInstanceAdmin":true},${sampleText.slice(1)}`), status: BAD_JSON, code: ['BAD_JSON'] });
  cases.push({ label: 'prototype pollution (constructor)', call: json(`{"constructor":{"prototype":{"isInstanceAdmin":true}},${sampleText.slice(1)}`), status: BAD_JSON, code: ['BAD_JSON'] });
  for (let i = 0; i < 4; i++) {
    const cut = sampleText.slice(0, 1 + rng.int(Math.max(1, sampleText.length - 1)));
    cases.push({ label: `truncated JSON at ${cut.length}`, call: json(cut), status: BAD_JSON, code: ['BAD_JSON'] });
  }
  return cases;
}

/** Bodies too large, or not JSON by content type. */
function envelopeCases(sampleText: string): Case[] {
  const big = `{"pad":"${'a'.repeat(BODY_LIMIT + 10_000)}"}`;
  return [
    { label: 'oversized JSON body', call: json(big), status: [413], code: ['PAYLOAD_TOO_LARGE'] },
    { label: 'oversized garbage body', call: json('x'.repeat(BODY_LIMIT * 2)), status: [413], code: ['PAYLOAD_TOO_LARGE'] },
    { label: 'text/plain body', call: json(sampleText, 'text/plain'), status: [400, 415] },
    { label: 'text/plain;charset=utf-8 body', call: json(sampleText, 'text/plain; charset=utf-8'), status: [400, 415] },
    { label: 'form-urlencoded body', call: json('name=x&email=y%40example.com', 'application/x-www-form-urlencoded'), status: [400, 415] },
    { label: 'multipart body', call: json('--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--\r\n', 'multipart/form-data; boundary=b'), status: [400, 415] },
    { label: 'XML body', call: json('<a>1</a>', 'application/xml'), status: [400, 415] },
    { label: 'json-patch body', call: json(sampleText, 'application/json-patch+json'), status: [400, 415] },
    { label: 'body without content type', call: { rawBody: new TextEncoder().encode(sampleText) }, status: [400, 415] },
  ];
}

/** Whole bodies of the wrong JSON type, and a first field nested far too deep. */
function shapeCases(sample: Json): Case[] {
  const texts = ['[]', JSON.stringify([sample]), '42', '-0.5', '"text"', 'null', 'true', deeplyNestedArrayText(50_000)];
  const first = Object.keys(sample as Record<string, Json>)[0];
  if (first) texts.push(`{${JSON.stringify(first)}:${deeplyNestedObjectText(20_000)}}`);
  const cases: Case[] = texts.map((t) => ({ label: `body ${t.slice(0, 30)}${t.length > 30 ? '…' : ''}`, call: json(t), status: [400], code: ['VALIDATION_FAILED'] }));
  cases.push({ label: 'no body at all', call: {}, status: [400], code: ['VALIDATION_FAILED'] });
  return cases;
}

/** Mutated bodies: every field wrong in every way, NUL bytes, Unicode edges and random mutations. */
function bodyCases(route: RouteDef, sample: Json, rng: Rng): { refused: Case[]; tolerated: Case[] } {
  const isValid = strictChecker(route.body!);
  if (!isValid(sample)) throw new Error(`the sample body of ${route.id} is not valid: fix ROUTE_SAMPLES`);
  const refused: Case[] = [];
  const tolerated: Case[] = [];
  const seen = new Set<string>();
  const add = (label: string, body: Json, force = false) => {
    const text = JSON.stringify(body);
    if (seen.has(text)) return;
    seen.add(text);
    if (Buffer.byteLength(text) > BODY_LIMIT) refused.push({ label, call: json(text), status: [413], code: ['PAYLOAD_TOO_LARGE'] });
    else if (force || !isValid(body)) refused.push({ label, call: json(text), status: [400], code: ['VALIDATION_FAILED'] });
    else tolerated.push({ label, call: json(text), mayPass: true });
  };
  for (const c of fieldCases(sample)) add(c.label, c.body);
  for (const c of unstorableTextCases(sample)) add(c.label, c.body, true);
  for (const c of unicodeCases(sample)) add(c.label, c.body);
  add('unknown field holding a deeply nested object', { ...(sample as Record<string, Json>), zzExtra: deeplyNested(1_000) });
  let sent = 0;
  for (let i = 0; i < RANDOM_BODIES * 3 && sent < RANDOM_BODIES; i++) {
    const body = randomMutation(rng, sample);
    if (isValid(body)) continue;
    sent++;
    add(`random mutation #${i} ${JSON.stringify(body).slice(0, 120)}`, body);
  }
  for (const text of textMutations(rng, JSON.stringify(sample), TEXT_MUTATIONS)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      refused.push({ label: `mutated JSON text ${JSON.stringify(text.slice(0, 80))}`, call: json(text), status: [400], code: ['BAD_JSON'] });
      continue;
    }
    if (!isValid(parsed)) refused.push({ label: `mutated JSON text ${JSON.stringify(text.slice(0, 80))}`, call: json(text), status: [400] });
  }
  return { refused, tolerated };
}

/** Bad values in each path parameter: wrong prefix, too long, SQL, traversal, NUL, Unicode, absent objects. */
function paramCases(route: RouteDef, params: Record<string, string>, body: unknown): Case[] {
  const cases: Case[] = [];
  for (const name of Object.keys(params)) {
    const good = params[name];
    const prefix = good.split('_')[0];
    const otherPrefix = Object.values(ID_PREFIXES).find((p) => p !== prefix)!;
    const values = [
      `${otherPrefix}_${good.split('_')[1]}`, `${good}${'a'.repeat(300)}`, `${good}x`, good.toUpperCase(), `${prefix}_`,
      `${prefix}_' or '1'='1`, "1; drop table events; --", '../../etc/passwd', `${prefix}_\u0000${'a'.repeat(19)}`,
      `${prefix}_ąęśćżźńół${'a'.repeat(11)}`, `${prefix}_${'0'.repeat(20)}`, ' ', '%',
    ];
    for (const v of values) {
      // The rest of the request is valid: only the path is wrong.
      cases.push({ label: `:${name} = ${JSON.stringify(v.slice(0, 40))}`, call: { path: fillPath(route.path, { ...params, [name]: v }), body } });
    }
  }
  // Broken percent-encoding, which the router itself refuses.
  const first = Object.keys(params)[0];
  if (first) cases.push({ label: `:${first} = malformed percent-encoding`, call: { path: fillPath(route.path, params).replace(params[first], '%E0%A4%A'), body } });
  return cases;
}

/** Bad and random values for each query parameter the route reads. */
function queryCases(route: RouteDef, query: Record<string, string>, path: string, rng: Rng): { refused: Case[]; tolerated: Case[] } {
  const keys = Object.keys((route.query as TObject).properties);
  const bad: Record<string, string[]> = {
    limit: ['-1', '0', 'abc', '1.5', '201', '99999999999999999999999', '', ' ', 'NaN', 'Infinity', '-Infinity', '1e400', '[1]', 'true'],
    cursor: ['!!!', 'garbage', 'eyJ4IjoxfQ', 'W10', 'WyIyMDI0IiwxXQ', 'WzEsMiwzLDRd', 'x'.repeat(201), "' or 1=1 --", '\u0000', '%'],
    when: ['never', 'ALL', '1', '', 'upcoming;drop'],
    token: ['', 'short', 'x'.repeat(1001), '\u0000'.repeat(30), '../'.repeat(10), 'a.b', `${'A'.repeat(40)}.${'B'.repeat(40)}`],
    purpose: ['', 'slide', 'SLIDES', 'handouts', '1', 'slides;'],
    name: ['', 'a'.repeat(256), '\u0000', 'a\u0001b.pdf', 'x\u007f.pdf', 'deck\n.pdf'],
    exp: ['', '-1', 'abc', '1.5', '1e400', '999999999999999999999'],
    eventId: ['', 'evt_', 'evt_ABCDEFGHIJKLMNOPQRST', 'org_00000000000000000000', '1', "' or 1=1 --"],
    sig: ['', 'short', 'x'.repeat(44), '!'.repeat(43), 'A'.repeat(42), 'A'.repeat(43)],
  };
  const refused: Case[] = [];
  const tolerated: Case[] = [];
  const qs = (q: Record<string, string>) => `${path}?${new URLSearchParams(q).toString()}`;
  for (const key of keys) {
    if (!bad[key]) throw new Error(`no bad values for query parameter ${key} of ${route.id}: add them to input-fuzz.test.ts`);
    for (const v of bad[key]) refused.push({ label: `?${key}=${JSON.stringify(v.slice(0, 30))}`, call: { path: qs({ ...query, [key]: v }), query: {} } });
    refused.push({ label: `?${key} twice`, call: { path: `${qs(query)}&${key}=1&${key}=2`, query: {} } });
  }
  const noise = ['', '1', '-5', 'zzz', '%F0%9F%98%80', '\u202E', 'null', '[]', '{}', 'a'.repeat(500)];
  for (let i = 0; i < RANDOM_QUERIES; i++) {
    const q = { ...query, [rng.pick([...keys, 'extra', 'limit[]', '__proto__'])]: rng.pick(noise) + (rng.next() < 0.3 ? String(rng.int(300)) : '') };
    tolerated.push({ label: `random query ${JSON.stringify(q).slice(0, 100)}`, call: { path: qs(q), query: {} }, mayPass: true });
  }
  return { refused, tolerated };
}

describe.each(STORE_KINDS)('input fuzz on %s', (store) => {
  let t: TestServer;
  let fx: TenantFixture;

  beforeAll(async () => {
    t = await startTestServer({ store, config: { rateLimitPerMinute: 10_000_000, authRateLimitPerMinute: 1_000_000 } });
    fx = await buildTenantFixture(t);
  });
  afterAll(async () => t?.close());

  it('covers every write route and every route with query parameters', () => {
    expect(FUZZED_ROUTES.length).toBeGreaterThan(20);
    expect(FUZZED_ROUTES.filter((r) => !ROUTE_SAMPLES[r.id]).map((r) => r.id)).toEqual([]);
  });

  for (const route of FUZZED_ROUTES) {
    it(`${route.id} (${route.method} ${route.path}) refuses malformed input with a typed 4xx and changes nothing`, async () => {
      const caller = callerFor(route);
      const sample = await ROUTE_SAMPLES[route.id]!.build({ fx, principal: caller, credentials: fx.principals[caller] });
      const credentials = sample.credentials ?? fx.principals[caller];
      const path = fillPath(route.path, sample.params);
      const base: HttpCall = { method: route.method, path, query: sample.query, rawBody: sample.rawBody, contentType: sample.contentType, credentials };
      const rng = new Rng(seedOf(route.id));
      const refused: Case[] = [];
      const tolerated: Case[] = [];

      if (route.rawBody) {
        // An upload takes any bytes under any content type: what it must refuse is bad files.
        for (const bad of badSlideUploads()) refused.push({ label: `upload: ${bad.label}`, call: { rawBody: bad.bytes }, code: [bad.code] });
      } else if (WRITE_METHODS.has(route.method)) {
        const sampleBody = (sample.body ?? {}) as Json;
        const sampleText = JSON.stringify(sampleBody);
        refused.push(...brokenJsonCases(sampleText, rng), ...envelopeCases(sampleText));
        // A route without a body schema does not read its body: a well-formed JSON body is ignored
        // like an unknown field, so only bodies that are not JSON are refusals there.
        if (route.body) {
          refused.push(...shapeCases(sampleBody));
          const b = bodyCases(route, sampleBody, rng);
          refused.push(...b.refused);
          tolerated.push(...b.tolerated);
        }
      }
      if (sample.params) refused.push(...paramCases(route, sample.params, sample.body));
      if (route.query) {
        const q = queryCases(route, sample.query ?? {}, path, rng);
        refused.push(...q.refused);
        tolerated.push(...q.tolerated);
      }

      const failures: string[] = [];
      const before = await snapshotDatabase(t.server.ctx.sql);
      for (const c of refused) {
        const problem = judge(c, await fx.f.call({ ...base, ...c.call }));
        if (problem) failures.push(problem);
      }
      const diff = diffSnapshots(before, await snapshotDatabase(t.server.ctx.sql));
      for (const c of tolerated) {
        const problem = judge(c, await fx.f.call({ ...base, ...c.call }));
        if (problem) failures.push(problem);
      }
      expect(failures.slice(0, 30), `${failures.length} wrong answers of ${refused.length + tolerated.length} (${route.id})`).toEqual([]);
      expect(diff, `the database changed while ${route.id} refused ${refused.length} malformed requests`).toEqual({});
    });
  }

  const bodyRoutes = API_ROUTES.filter((r) => r.body && !ROUTE_SAMPLES[r.id]?.publicStatus);
  it.each(bodyRoutes.map((r) => [r.id, r] as const))('%s ignores unknown fields: still succeeds, stores none of them', async (_id, route) => {
    const caller = callerFor(route);
    const sample = await ROUTE_SAMPLES[route.id]!.build({ fx, principal: caller, credentials: fx.principals[caller] });
    const known = new Set(Object.keys((route.body as TObject).properties ?? {}));
    const extras: Record<string, Json> = {
      zzUnknownMarker: 'zz-unknown-marker', isInstanceAdmin: true, ownerId: fx.b.owner.userId, orgId: fx.b.orgId, id: 'evt_aaaaaaaaaaaaaaaaaaaa',
      createdAt: '2000-01-01T00:00:00.000Z', revision: 99, status: 'ended', nested: deeplyNested(100, 'zz-unknown-marker'),
    };
    const body = { ...Object.fromEntries(Object.entries(extras).filter(([k]) => !known.has(k))), ...(sample.body as Record<string, Json>) };
    const bRowsBefore = Object.values(await snapshotDatabase(t.server.ctx.sql)).flat().filter((r) => r.includes(fx.b.orgId));
    const res = await fx.f.call({
      method: route.method, path: fillPath(route.path, sample.params), query: sample.query, body,
      credentials: sample.credentials ?? fx.principals[caller],
    });
    expect(res.status, res.text.slice(0, 300)).toBe(route.successStatus ?? 200);
    const after = await snapshotDatabase(t.server.ctx.sql);
    expect(Object.values(after).flat().filter((r) => r.includes('zz-unknown-marker'))).toEqual([]);
    expect(Object.values(after).flat().filter((r) => r.includes(fx.b.orgId))).toEqual(bRowsBefore);
    const admins = await t.server.ctx.sql.query<{ n: number }>('select count(*)::int as n from users where is_instance_admin');
    expect(admins[0].n).toBe(1);
  });
});
