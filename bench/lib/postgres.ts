import pg from 'pg';

/** The machine's PostgreSQL as a benchmark's admin connection (trust auth). */
export const PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Drops and creates database `name` on the machine's PostgreSQL; returns its URL. */
export async function freshPostgresDatabase(name: string): Promise<string> {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  await c.query(`drop database if exists ${name} with (force)`);
  await c.query(`create database ${name}`);
  await c.end();
  return PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
}
