import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Sql } from './sql';

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

/** Migration files in order: `NNN_name.sql`. */
export function listMigrations(): { version: number; name: string; sql: string }[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(join(MIGRATIONS_DIR, f), 'utf8') }));
}

/** Applies pending migrations, each in its own transaction; safe to run from several processes. */
export async function migrate(sql: Sql): Promise<number[]> {
  await sql.exec(`create table if not exists schema_migrations (
    version integer primary key, name text not null, applied_at timestamptz not null default now())`);
  const applied: number[] = [];
  for (const m of listMigrations()) {
    const done = await sql.transaction(async (tx) => {
      // Serialize concurrent migrators (two cluster nodes starting together).
      await tx.query('select pg_advisory_xact_lock(4242001)');
      const rows = await tx.query('select 1 from schema_migrations where version = $1', [m.version]);
      if (rows.length) return false;
      for (const stmt of splitStatements(m.sql)) await tx.query(stmt);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [m.version, m.name]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}

/** Splits a migration into statements at semicolons that end a line (migrations avoid `;` inside bodies). */
export function splitStatements(script: string): string[] {
  return script
    .replace(/--[^\n]*$/gm, '')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter(Boolean);
}
