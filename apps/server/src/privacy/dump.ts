// Test helper: everything the installation holds, as searchable text — every column of every
// table (bytea read as text too, base64 strings decoded), pg_dump of the schema on PostgreSQL,
// and the bytes of every blob.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Sql } from '../storage/sql';
import { tableNames } from '../testing/db-snapshot';
import { TEST_DATABASE_URL } from '../testing/sql';

const BASE64 = /^[A-Za-z0-9+/]{16,}={0,2}$/;

function texts(value: unknown, out: string[]): void {
  if (value === null || value === undefined) return;
  if (value instanceof Uint8Array) {
    out.push(Buffer.from(value).toString('latin1'), Buffer.from(value).toString('utf8'));
    return;
  }
  if (value instanceof Date) return;
  if (Array.isArray(value)) return value.forEach((v) => texts(v, out));
  if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      texts(v, out);
    }
    return;
  }
  const s = String(value);
  out.push(s);
  if (BASE64.test(s)) out.push(Buffer.from(s, 'base64').toString('utf8'));
}

/** Every row of every table as text. */
export async function dumpTables(sql: Sql): Promise<string> {
  const out: string[] = [];
  for (const table of await tableNames(sql)) {
    const rows = await sql.query<Record<string, unknown>>(`select * from "${table}"`);
    for (const r of rows) texts(r, out);
  }
  return out.join('\n');
}

/** pg_dump of the store's schema (PostgreSQL only), or null when pg_dump is not installed. */
export async function pgDump(sql: Sql): Promise<string | null> {
  if (sql.kind !== 'postgres') return null;
  const [{ s }] = await sql.query<{ s: string }>('select current_schema() as s');
  try {
    const { stdout } = await promisify(execFile)('pg_dump', ['--data-only', '--schema', s, TEST_DATABASE_URL], { maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** The bytes of every file under `dir`, as text. */
export function dumpBlobs(dir: string): { files: number; text: string } {
  const out: string[] = [];
  let files = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else {
        files++;
        const b = readFileSync(p);
        out.push(name, b.toString('latin1'), b.toString('utf8'));
      }
    }
  };
  walk(dir);
  return { files, text: out.join('\n') };
}

/** Where each needle occurs (case-insensitive): `label: …context…`. Empty when nowhere. */
export function occurrences(text: string, needles: readonly string[], label: string): string[] {
  const lower = text.toLowerCase();
  const found: string[] = [];
  for (const n of needles) {
    let i = lower.indexOf(n.toLowerCase());
    while (i !== -1 && found.length < 20) {
      found.push(`${label}: "${n}" in …${text.slice(Math.max(0, i - 60), i + n.length + 60).replace(/\s+/g, ' ')}…`);
      i = lower.indexOf(n.toLowerCase(), i + 1);
    }
  }
  return found;
}
