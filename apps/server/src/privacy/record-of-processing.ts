/** The record of processing activities (GDPR Art. 30), generated from the personal-data map. */
import { BLOB_KINDS, DATA_MAP, personalColumns, type LegalBasis } from './data-map';

const BASIS: Record<LegalBasis, string> = {
  contract: 'Art. 6(1)(b) contract',
  consent: 'Art. 6(1)(a) consent',
  'legitimate-interest': 'Art. 6(1)(f) legitimate interest',
  'legal-obligation': 'Art. 6(1)(c) legal obligation',
};

/** One processing activity: a table or blob kind that holds personal data. */
export interface ProcessingActivity {
  store: 'sql' | 'blob';
  name: string;
  purpose: string;
  legalBasis: string;
  retention: string;
  categories: string[];
  columns: { column: string; category: string; erasure: string; note?: string }[];
}

/** Every activity that involves personal data (tables with only `none` columns are left out). */
export function recordOfProcessing(): ProcessingActivity[] {
  const out: ProcessingActivity[] = [];
  for (const [name, t] of Object.entries(DATA_MAP).sort(([a], [b]) => a.localeCompare(b))) {
    const cols = personalColumns(name);
    if (!cols.length) continue;
    out.push({
      store: 'sql', name, purpose: t.purpose, legalBasis: BASIS[t.legalBasis], retention: t.retention,
      categories: [...new Set(cols.map(([, c]) => c.category))].sort(),
      columns: cols.map(([column, c]) => ({ column, category: c.category, erasure: c.erasure, ...(c.note ? { note: c.note } : {}) })),
    });
  }
  for (const [name, b] of Object.entries(BLOB_KINDS)) {
    out.push({
      store: 'blob', name, purpose: b.purpose, legalBasis: BASIS[b.legalBasis], retention: b.retention, categories: [b.category],
      columns: [{ column: b.describedBy, category: b.category, erasure: b.erasure }],
    });
  }
  return out;
}

/** The record as Markdown, for the operator's documentation. */
export function recordOfProcessingMarkdown(controller = 'the organization using Podium'): string {
  const lines = [
    '# Record of processing activities (GDPR Art. 30)',
    '',
    `Controller: ${controller}. Processor: the operator of this Podium installation.`,
    'Data subjects: attendees and registrants of events, organizers (members of organizations), invitees.',
    'Recipients: the organization hosting the event; no transfer outside the organization\'s data region (see `privacy` data location).',
    'Security measures: see docs/privacy.md (TLS/HSTS, encryption at rest, least-privilege roles, hash-chained audit log).',
    '',
    '| Store | Name | Purpose | Legal basis | Retention | Categories |',
    '|---|---|---|---|---|---|',
  ];
  const acts = recordOfProcessing();
  for (const a of acts) lines.push(`| ${a.store} | ${a.name} | ${a.purpose} | ${a.legalBasis} | ${a.retention} | ${a.categories.join(', ')} |`);
  lines.push('', '## Columns and erasure', '');
  for (const a of acts) {
    lines.push(`### ${a.store}: ${a.name}`, '');
    for (const c of a.columns) lines.push(`- \`${c.column}\` — ${c.category}; erasure: ${c.erasure}${c.note ? ` (${c.note})` : ''}`);
    lines.push('');
  }
  return lines.join('\n');
}
