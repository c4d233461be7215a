// The whole database as comparable text: every row of every table in the store's schema, so a
// test can prove that a batch of rejected requests changed nothing anywhere, not just in the
// tables it thought of.
import type { SqlRunner } from '../storage/sql';

/**
 * Columns that legitimately change when a credential is merely used (at most once a minute), so
 * they are left out of the comparison.
 */
export const TOUCHED_ON_READ: Readonly<Record<string, readonly string[]>> = {
  sessions: ['last_seen_at'],
  api_keys: ['last_used_at'],
};

/** Table name → its rows as sorted JSON lines. */
export type DbSnapshot = Record<string, string[]>;

/** Names of the tables of the current schema (where the store's migrations created them). */
export async function tableNames(db: SqlRunner): Promise<string[]> {
  const rows = await db.query<{ table_name: string }>(
    `select table_name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`,
  );
  return rows.map((r) => r.table_name);
}

function stable(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(stable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, stable((value as Record<string, unknown>)[k])]));
  }
  return typeof value === 'bigint' ? value.toString() : value;
}

/** Every row of every table, each row as canonical JSON, rows sorted. */
export async function snapshotDatabase(db: SqlRunner): Promise<DbSnapshot> {
  const snap: DbSnapshot = {};
  for (const table of await tableNames(db)) {
    // Table names come from the catalogue of our own schema, quoted: nothing from outside.
    const rows = await db.query<Record<string, unknown>>(`select * from "${table.replace(/"/g, '""')}"`);
    const skip = new Set(TOUCHED_ON_READ[table] ?? []);
    snap[table] = rows
      .map((r) => JSON.stringify(stable(Object.fromEntries(Object.entries(r).filter(([k]) => !skip.has(k))))))
      .sort();
  }
  return snap;
}

/** Rows added to or gone from each table between two snapshots (empty when nothing changed). */
export function diffSnapshots(before: DbSnapshot, after: DbSnapshot): Record<string, { added: string[]; removed: string[] }> {
  const diff: Record<string, { added: string[]; removed: string[] }> = {};
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const rowsBefore = before[table] ?? [];
    const rowsAfter = after[table] ?? [];
    if (JSON.stringify(rowsBefore) === JSON.stringify(rowsAfter)) continue;
    const b = new Set(rowsBefore);
    const a = new Set(rowsAfter);
    const added = rowsAfter.filter((r) => !b.has(r));
    const removed = rowsBefore.filter((r) => !a.has(r));
    // Same distinct rows but different counts: a duplicate appeared or went away.
    if (!added.length && !removed.length) added.push(`(row count ${rowsBefore.length} → ${rowsAfter.length})`);
    diff[table] = { added: added.slice(0, 5), removed: removed.slice(0, 5) };
  }
  return diff;
}
