import type { JsonSchema } from './openapi-document';

/** Escapes text for HTML element content and attribute values. */
export function esc(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

type Schema = JsonSchema & {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  patternProperties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  format?: string;
  description?: string;
  $ref?: string;
};

// Deeper nesting than this is shown as its type only: the page stays readable and bounded.
const MAX_DEPTH = 6;

function variantsOf(s: Schema): Schema[] | null {
  return s.anyOf ?? s.oneOf ?? null;
}

function isObjectWithProps(s: Schema): boolean {
  return !!s.properties && Object.keys(s.properties).length > 0;
}

function mapValueOf(s: Schema): Schema | null {
  if (s.patternProperties) return Object.values(s.patternProperties)[0] ?? null;
  if (typeof s.additionalProperties === 'object') return s.additionalProperties;
  return null;
}

/** A short type label: `string (email)`, `"host" | "admin"`, `array of object`, `string | null`. */
export function typeLabel(s: Schema): string {
  if (s.$ref) return s.$ref.split('/').pop() ?? 'object';
  if ('const' in s) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' | ');
  const variants = variantsOf(s);
  if (variants) return [...new Set(variants.map(typeLabel))].join(' | ');
  const type = Array.isArray(s.type) ? s.type.join(' | ') : s.type;
  if (type === 'array') return `array of ${s.items ? typeLabel(s.items) : 'any'}`;
  if (type === 'object') {
    const value = mapValueOf(s);
    if (value && !isObjectWithProps(s)) return `map of string → ${typeLabel(value)}`;
    return 'object';
  }
  if (type === 'string' && s.format) return `string (${s.format})`;
  return type ?? 'any';
}

/** The constraints of a schema in words: `1–120 chars`, `≥ 1`, `default 50`, `pattern …`. */
export function constraintsOf(s: Schema): string[] {
  const out: string[] = [];
  const n = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : undefined);
  const minL = n('minLength');
  const maxL = n('maxLength');
  if (minL !== undefined && maxL !== undefined) out.push(`${minL}–${maxL} chars`);
  else if (minL !== undefined) out.push(`≥ ${minL} chars`);
  else if (maxL !== undefined) out.push(`≤ ${maxL} chars`);
  const min = n('minimum');
  const max = n('maximum');
  if (min !== undefined && max !== undefined) out.push(`${min}–${max}`);
  else if (min !== undefined) out.push(`≥ ${min}`);
  else if (max !== undefined) out.push(`≤ ${max}`);
  const minI = n('minItems');
  const maxI = n('maxItems');
  if (minI !== undefined || maxI !== undefined) out.push(`${minI ?? 0}–${maxI ?? '∞'} items`);
  if (typeof s.pattern === 'string') out.push(`pattern ${s.pattern}`);
  if ('default' in s) out.push(`default ${JSON.stringify(s.default)}`);
  return out;
}

/** The schemas whose fields deserve their own nested list (objects, also inside arrays and unions). */
function nestedObjects(s: Schema): Schema[] {
  if (isObjectWithProps(s)) return [s];
  if (s.items) return nestedObjects(s.items);
  const value = mapValueOf(s);
  if (value) return nestedObjects(value);
  const variants = variantsOf(s);
  if (variants) return variants.flatMap(nestedObjects);
  return [];
}

function renderField(name: string, s: Schema, required: boolean, depth: number): string {
  const constraints = constraintsOf(s);
  const desc = typeof s.description === 'string' ? s.description : '';
  let html = `<li><div class="field"><code class="name">${esc(name)}</code>`;
  html += `<span class="type">${esc(typeLabel(s))}</span>`;
  html += required ? '<span class="req">required</span>' : '<span class="opt">optional</span>';
  if (constraints.length) html += `<span class="cons">${esc(constraints.join(' · '))}</span>`;
  html += '</div>';
  if (desc) html += `<div class="desc">${esc(desc)}</div>`;
  html += renderNested(s, depth + 1);
  return `${html}</li>`;
}

function renderNested(s: Schema, depth: number): string {
  if (depth > MAX_DEPTH) return '';
  return nestedObjects(s).map((o) => renderProperties(o, depth)).join('');
}

function renderProperties(s: Schema, depth: number): string {
  const required = new Set(s.required ?? []);
  const items = Object.entries(s.properties ?? {}).map(([k, v]) => renderField(k, v, required.has(k), depth));
  return `<ul class="schema">${items.join('')}</ul>`;
}

/** A schema as a readable nested field list (its top-level type first when it is not a plain object). */
export function renderSchema(schema: JsonSchema): string {
  const s = schema as Schema;
  if (isObjectWithProps(s)) return renderProperties(s, 0);
  const head = `<div class="field top"><span class="type">${esc(typeLabel(s))}</span>${constraintsOf(s).map((c) => `<span class="cons">${esc(c)}</span>`).join('')}</div>`;
  return head + renderNested(s, 1);
}
