// Malformed request inputs derived from one valid request: a deterministic PRNG, mutations of JSON
// bodies, and a strict schema check (no coercion, no defaults) that tells which mutated bodies the
// API must refuse. Everything is seeded, so a failing case can be replayed exactly.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A small, fast, seeded PRNG (mulberry32): the same seed gives the same cases on every run. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

/** A seed from a label (FNV-1a), so each route gets its own stable stream of cases. */
export function seedOf(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Strings at the edges of Unicode: valid text a server must store or refuse cleanly, never choke on. */
export const UNICODE_EDGES: readonly string[] = [
  'abc\u202Egnp.exe', // right-to-left override
  'emoji 😀👩‍👩‍👧‍👦🏳️‍🌈',
  'e\u0301\u0301\u0301 combining',
  '\uFEFFbyte order mark',
  'zero\u200Bwidth\u200D',
  '𝕌𝕟𝕚𝕔𝕠𝕕𝕖 \u{10FFFF}',
  'ﷺ ﷽ Ꙃ',
  '\u0085\u2028\u2029 separators',
];

/** A string far longer than any field allows, yet well under the body limit. */
export const HUGE_STRING = 'a'.repeat(200_000);

const WRONG_TYPED: readonly Json[] = [42, -1.5, 'not-a-valid-value', '42', true, false, null, {}, { nested: { deeper: [1] } }, [], ['x', 1]];
const BOUNDARY_NUMBERS: readonly Json[] = [-1, 0, 0.5, 1e21, 2 ** 31, -(2 ** 63), Number.MAX_SAFE_INTEGER + 2];

/** A value nested `depth` levels deep in objects. */
export function deeplyNested(depth: number, leaf: Json = 1): Json {
  let v: Json = leaf;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** A JSON text of arrays nested `depth` levels deep (built as text: no recursion anywhere). */
export function deeplyNestedArrayText(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** A JSON text of objects nested `depth` levels deep. */
export function deeplyNestedObjectText(depth: number): string {
  return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** The paths of every value inside a JSON value (the root is the empty path). */
export function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

function clone<T extends Json>(v: T): T {
  return structuredClone(v);
}

/** The value at a path. */
export function getAt(root: Json, path: readonly (string | number)[]): Json | undefined {
  let v: Json | undefined = root;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<string, Json>)[k as string] : undefined;
  return v;
}

/** A copy of `root` with the value at `path` replaced (or removed when `value` is undefined). */
export function setAt(root: Json, path: readonly (string | number)[], value: Json | undefined): Json {
  if (!path.length) return value === undefined ? null : value;
  const copy = clone(root);
  let parent: Json = copy;
  for (const k of path.slice(0, -1)) parent = (parent as Record<string, Json>)[k as string];
  const last = path[path.length - 1];
  if (Array.isArray(parent)) {
    if (value === undefined) parent.splice(last as number, 1);
    else parent[last as number] = value;
  } else if (parent && typeof parent === 'object') {
    if (value === undefined) delete (parent as Record<string, Json>)[last as string];
    else (parent as Record<string, Json>)[last as string] = value;
  }
  return copy;
}

/** A named body case. */
export interface BodyCase {
  label: string;
  body: Json;
}

/** For each value in the body: every wrong type, boundary numbers, a huge string, and its absence. */
export function fieldCases(sample: Json): BodyCase[] {
  const cases: BodyCase[] = [];
  for (const path of pathsOf(sample).filter((p) => p.length > 0)) {
    const at = `/${path.join('/')}`;
    const current = getAt(sample, path);
    for (const v of WRONG_TYPED) cases.push({ label: `${at} = ${JSON.stringify(v)}`, body: setAt(sample, path, v) });
    if (typeof current === 'number') for (const v of BOUNDARY_NUMBERS) cases.push({ label: `${at} = ${v}`, body: setAt(sample, path, v) });
    cases.push({ label: `${at} = huge string`, body: setAt(sample, path, HUGE_STRING) });
    cases.push({ label: `${at} = deeply nested object`, body: setAt(sample, path, deeplyNested(2000)) });
    if (Array.isArray(current)) cases.push({ label: `${at} with 600 items`, body: setAt(sample, path, Array(600).fill(current[0] ?? 'x')) });
    cases.push({ label: `${at} missing`, body: setAt(sample, path, undefined) });
  }
  return cases;
}

/** Strings that are not storable text: a NUL character, a lone high and a lone low surrogate half. */
export const UNSTORABLE_TEXT: readonly { label: string; insert: string }[] = [
  { label: 'a NUL', insert: '\u0000' },
  { label: 'a lone high surrogate', insert: '\uD800' },
  { label: 'a lone low surrogate', insert: '\uDC00' },
];

/** The body with unstorable text inside each string value: PostgreSQL cannot store it, so the API must refuse it. */
export function unstorableTextCases(sample: Json): BodyCase[] {
  return pathsOf(sample)
    .filter((p) => typeof getAt(sample, p) === 'string')
    .flatMap((p) => UNSTORABLE_TEXT.map((u) => ({ label: `/${p.join('/')} with ${u.label}`, body: setAt(sample, p, `${getAt(sample, p) as string}${u.insert}x`) })));
}

/** The body with each string value replaced by each Unicode edge case. */
export function unicodeCases(sample: Json): BodyCase[] {
  const cases: BodyCase[] = [];
  for (const p of pathsOf(sample).filter((q) => typeof getAt(sample, q) === 'string')) {
    for (const s of UNICODE_EDGES) cases.push({ label: `/${p.join('/')} = ${JSON.stringify(s)}`, body: setAt(sample, p, s) });
  }
  return cases;
}

function randomValue(rng: Rng, depth = 0): Json {
  switch (rng.int(depth > 2 ? 6 : 8)) {
    case 0: return rng.pick([0, -1, 1, 3.14, 1e300, -1e-300, 2 ** 53, 65536]);
    case 1: return rng.pick(['', ' ', 'a', 'null', 'true', '1', '<script>', "' or 1=1 --", '../../etc/passwd', '%00', '\\u0000', 'evt_', ...UNICODE_EDGES]);
    case 2: return 'z'.repeat(rng.pick([1, 41, 121, 201, 255, 2001, 10001, 70000]));
    case 3: return rng.next() < 0.5;
    case 4: return null;
    case 5: return new Date(rng.int(4e12) - 1e12).toISOString().replace(rng.next() < 0.5 ? 'Z' : '@', rng.pick(['', '+25:00', 'Z', ' ']));
    case 6: return Array.from({ length: rng.int(4) }, () => randomValue(rng, depth + 1));
    default: return Object.fromEntries(Array.from({ length: rng.int(3) }, (_, i) => [rng.pick(['a', 'key', '__x', `k${i}`, '']), randomValue(rng, depth + 1)]));
  }
}

/** One random mutation of a body: 1–3 edits at random paths (replace, remove, wrap, duplicate, add). */
export function randomMutation(rng: Rng, sample: Json): Json {
  let body = clone(sample);
  const edits = 1 + rng.int(3);
  for (let i = 0; i < edits; i++) {
    const paths = pathsOf(body);
    const path = rng.pick(paths);
    const current = getAt(body, path);
    switch (rng.int(6)) {
      case 0: body = setAt(body, path, randomValue(rng)); break;
      case 1: body = path.length ? setAt(body, path, undefined) : body; break;
      case 2: body = setAt(body, path, [current ?? null]); break;
      case 3: body = setAt(body, path, { value: current ?? null }); break;
      case 4: body = setAt(body, path, typeof current === 'string' ? current.repeat(2 + rng.int(300)) : randomValue(rng)); break;
      default:
        if (current && typeof current === 'object' && !Array.isArray(current)) body = setAt(body, [...path, rng.pick(['extra', 'id', 'orgId', 'role', 'isInstanceAdmin'])], randomValue(rng));
        else body = setAt(body, path, randomValue(rng));
    }
  }
  return body;
}

/** Random edits of the JSON text itself: truncations, deleted and replaced characters. */
export function textMutations(rng: Rng, text: string, count: number): string[] {
  const out: string[] = [];
  const junk = ['{', '}', '[', ']', '"', ',', ':', '\\', 'x', '0', ' ', '\n', 'ü', '\u007f', 'null'];
  for (let i = 0; i < count; i++) {
    const at = rng.int(text.length);
    switch (rng.int(3)) {
      case 0: out.push(text.slice(0, at)); break;
      case 1: out.push(text.slice(0, at) + text.slice(at + 1 + rng.int(5))); break;
      default: out.push(text.slice(0, at) + rng.pick(junk) + text.slice(at + 1));
    }
  }
  return out;
}

/**
 * A strict checker of a route's body schema: the same formats as the server, but no value coerced
 * to another type. A body it refuses must be refused by the API.
 */
export function strictChecker(schema: TSchema): (body: unknown) => boolean {
  // Unknown properties are dropped as the server drops them (ignoring them is the rule), defaults filled in.
  const ajv = new Ajv({ coerceTypes: false, useDefaults: true, removeAdditional: true, allErrors: false });
  addFormats(ajv);
  const validate = ajv.compile(schema as object);
  return (body) => validate(JSON.parse(JSON.stringify(body))) as boolean;
}
