import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ERRORS, ERROR_CODES, PodiumError, type ErrorCode } from '@podium/protocol';

const DOC = fileURLToPath(new URL('../../../../docs/errors.md', import.meta.url));

/** Rows of the table in docs/errors.md: `| \`CODE\` | 404 | message |`. */
function documentedCodes(): Map<string, { status: number; line: number }> {
  const rows = new Map<string, { status: number; line: number }>();
  readFileSync(DOC, 'utf8').split('\n').forEach((text, i) => {
    const m = /^\|\s*`([A-Z0-9_]+)`\s*\|\s*(\d{3})\s*\|/.exec(text);
    if (!m) return;
    if (rows.has(m[1])) throw new Error(`docs/errors.md lists ${m[1]} twice (line ${i + 1})`);
    rows.set(m[1], { status: Number(m[2]), line: i + 1 });
  });
  return rows;
}

describe('error registry', () => {
  const documented = documentedCodes();

  it('docs/errors.md lists every code of the registry with its HTTP status', () => {
    const missing = ERROR_CODES.filter((c) => !documented.has(c));
    expect(missing, `add these rows to docs/errors.md:\n${missing.map((c) => `| \`${c}\` | ${ERRORS[c].status} | ${ERRORS[c].message} |`).join('\n')}`).toEqual([]);
    for (const code of ERROR_CODES) expect(documented.get(code)?.status, code).toBe(ERRORS[code].status);
  });

  it('docs/errors.md lists no code the registry does not have', () => {
    const unknown = [...documented.keys()].filter((c) => !(c in ERRORS));
    expect(unknown, 'remove these rows from docs/errors.md (or add the codes to ERRORS)').toEqual([]);
  });

  it('codes are UPPER_SNAKE_CASE with an error status and a sentence as message', () => {
    for (const code of ERROR_CODES) {
      expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      const { status, message } = ERRORS[code];
      expect(status >= 400 && status <= 599, code).toBe(true);
      expect(message, code).toMatch(/^[A-Z].*[.!?]$/);
    }
  });

  it('ERROR_CODES is exactly the registry, and a PodiumError carries its code\'s status and message', () => {
    expect([...ERROR_CODES].sort()).toEqual(Object.keys(ERRORS).sort());
    for (const code of ERROR_CODES as ErrorCode[]) {
      const e = new PodiumError(code);
      expect(e.status).toBe(ERRORS[code].status);
      expect(e.toBody()).toEqual({ code, message: ERRORS[code].message });
    }
  });
});
