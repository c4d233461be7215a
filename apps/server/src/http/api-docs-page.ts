import { ERRORS, ERROR_CODES } from '@podium/protocol';
import { ACCESS_TEXT, type OpenApiDocument, type OpenApiOperation, type OpenApiParameter } from './openapi-document';
import { esc, renderSchema, typeLabel } from './api-docs-schema';
import { CSRF_HEADER, SESSION_COOKIE } from './principal';

/** Where the reference page, its stylesheet and the machine-readable document are served. */
export const API_DOCS_PATHS = { page: '/api/docs', css: '/api/docs.css', openapi: '/api/v1/openapi.json' } as const;

interface Entry {
  method: string;
  path: string;
  op: OpenApiOperation;
}

function anchor(id: string): string {
  return `op-${id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function entriesByTag(doc: OpenApiDocument): Map<string, Entry[]> {
  const byTag = new Map<string, Entry[]>(doc.tags.map((t) => [t.name, []]));
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const tag = op.tags[0] ?? 'Other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push({ method: method.toUpperCase(), path, op });
    }
  }
  return byTag;
}

function renderPath(path: string): string {
  return esc(path).replace(/\{([A-Za-z0-9_]+)\}/g, '<span class="param">{$1}</span>');
}

function renderParameters(params: OpenApiParameter[]): string {
  const rows = params.map((p) => {
    const schema = p.schema as { pattern?: string; default?: unknown; format?: string };
    const notes = [p.description ?? '', schema.pattern ? `pattern ${schema.pattern}` : '', 'default' in schema ? `default ${JSON.stringify(schema.default)}` : '']
      .filter(Boolean)
      .map(esc)
      .join('<br>');
    return `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${p.required ? 'yes' : 'no'}</td><td><code>${esc(typeLabel(p.schema))}</code></td><td>${notes}</td></tr>`;
  });
  return `<h4>Parameters</h4><table class="params"><thead><tr><th>Name</th><th>In</th><th>Required</th><th>Type</th><th>Notes</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function renderOperation(e: Entry): string {
  const { op } = e;
  const access = op['x-podium-access'];
  const badges = [`<span class="badge access">${esc(access)}</span>`];
  if (op['x-podium-rate-limited']) badges.push('<span class="badge strict">strict rate limit</span>');
  let html = `<section class="op" id="${anchor(op.operationId)}">`;
  html += `<div class="op-head"><span class="method m-${esc(e.method.toLowerCase())}">${esc(e.method)}</span><code class="path">${renderPath(e.path)}</code></div>`;
  html += `<p class="summary">${esc(op.summary)}</p>`;
  html += `<div class="meta"><code class="opid">${esc(op.operationId)}</code>${badges.join('')}</div>`;
  html += `<p class="access-text">${esc(ACCESS_TEXT[access])}</p>`;
  if (op.parameters?.length) html += renderParameters(op.parameters);
  if (op.requestBody) {
    const [type, media] = Object.entries(op.requestBody.content)[0];
    html += `<h4>Request body <span class="ctype">${esc(type)}</span></h4>${renderSchema(media.schema)}`;
  }
  for (const [status, res] of Object.entries(op.responses)) {
    if (!/^\d{3}$/.test(status)) continue;
    const content = (res as { content?: Record<string, { schema: Record<string, unknown> }> }).content ?? {};
    const [type, media] = Object.entries(content)[0] ?? ['', { schema: {} }];
    html += `<h4>Response <span class="status">${esc(status)}</span> <span class="ctype">${esc(type)}</span></h4>`;
    html += `<details open><summary>Schema</summary>${renderSchema(media.schema)}</details>`;
  }
  const errors = op['x-podium-errors'].map((c) => `<a href="#err-${esc(c)}"><code>${esc(c)}</code></a>`).join(' ');
  html += `<h4>Errors</h4><p class="errors">${errors} <span class="muted">and the domain errors of this resource.</span></p>`;
  return `${html}</section>`;
}

function renderIntro(doc: OpenApiDocument): string {
  return `<section class="intro" id="overview">
<h2>Overview</h2>
<p>All routes live under <code>/api/v1</code> and speak JSON. The machine-readable description is the
<a href="${API_DOCS_PATHS.openapi}">OpenAPI 3.1 document</a> (server: <code>${esc(doc.servers[0]?.url ?? '')}</code>).</p>
<h3>Authentication</h3>
<ul>
<li><strong>Browser session</strong>: signing in sets the <code>${SESSION_COOKIE}</code> cookie (httpOnly). Every write
(POST, PATCH, PUT, DELETE) made with the cookie must send the session's CSRF token in the <code>${CSRF_HEADER}</code>
header; the token is the <code>csrfToken</code> of <code>GET /api/v1/auth/me</code>.</li>
<li><strong>API key</strong>: <code>Authorization: Bearer pdm_…</code>. A key belongs to one organization and acts as an
admin of it; it cannot call owner-only or personal routes. No CSRF token is needed.</li>
</ul>
<h3>Errors</h3>
<p>Every error is <code>{ "code": "EVENT_NOT_FOUND", "message": "…", "details": … }</code> with the HTTP status of its
code (see the <a href="#errors">error registry</a>). Validation errors list the failing fields in <code>details.issues</code>.</p>
<h3>Pagination</h3>
<p>Lists take <code>limit</code> (1–200, default 50) and <code>cursor</code>, and answer
<code>{ "items": […], "nextCursor": "…" | null }</code>. Pass <code>nextCursor</code> back to get the next page; cursors are opaque.</p>
<h3>Rate limits</h3>
<p>Requests are counted per client address and minute. Sign-in, sign-up, registration and similar routes
(marked <span class="badge strict">strict rate limit</span>) have a much lower limit. Over the limit the answer is
<code>429 RATE_LIMITED</code> with a <code>Retry-After</code> header in seconds.</p>
</section>`;
}

function renderErrors(): string {
  const rows = ERROR_CODES.map((c) => `<tr id="err-${c}"><td><code>${c}</code></td><td>${ERRORS[c].status}</td><td>${esc(ERRORS[c].message)}</td></tr>`);
  return `<section class="errors-table" id="errors"><h2>Error codes</h2>
<table><thead><tr><th>Code</th><th>Status</th><th>Default message</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function renderNav(byTag: Map<string, Entry[]>): string {
  const groups = [...byTag].filter(([, entries]) => entries.length).map(([tag, entries]) => {
    const links = entries
      .map((e) => `<li><a href="#${anchor(e.op.operationId)}"><span class="method small m-${esc(e.method.toLowerCase())}">${esc(e.method)}</span>${esc(e.op.summary)}</a></li>`)
      .join('');
    return `<li class="tag"><a href="#tag-${esc(tag)}">${esc(tag)}</a><ul>${links}</ul></li>`;
  });
  return `<nav><ul><li class="tag"><a href="#overview">Overview</a></li>${groups.join('')}<li class="tag"><a href="#errors">Error codes</a></li></ul></nav>`;
}

/** The browsable API reference: one self-contained page (no scripts, stylesheet from our origin). */
export function renderApiDocsPage(doc: OpenApiDocument): string {
  const byTag = entriesByTag(doc);
  const sections = [...byTag]
    .filter(([, entries]) => entries.length)
    .map(([tag, entries]) => `<section class="tag-section" id="tag-${esc(tag)}"><h2>${esc(tag)}</h2>${entries.map(renderOperation).join('')}</section>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)} ${esc(doc.info.version)} — reference</title>
<link rel="stylesheet" href="${API_DOCS_PATHS.css}">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
</head>
<body>
<header><h1>${esc(doc.info.title)} <span class="version">v${esc(doc.info.version)}</span></h1>
<a class="raw" href="${API_DOCS_PATHS.openapi}">openapi.json</a></header>
<div class="layout">
${renderNav(byTag)}
<main>
${renderIntro(doc)}
${sections}
${renderErrors()}
</main>
</div>
</body>
</html>
`;
}
