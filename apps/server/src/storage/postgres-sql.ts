import pg from 'pg';
import type { QueryOptions, Sql, SqlParams, SqlRunner } from './sql';

// Return int8 (bigint, count(*)) as JS numbers; our counts stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

/** Options of the PostgreSQL store. */
export interface PostgresOptions {
  /** Schema to use (created if missing); tests use one schema each. */
  schema?: string;
  /** Connections in the pool. */
  max?: number;
}

/** The cluster store: a PostgreSQL connection pool. */
export async function openPostgresSql(url: string, opts: PostgresOptions = {}): Promise<Sql> {
  if (opts.schema && !/^[a-z_][a-z0-9_]*$/.test(opts.schema)) throw new Error(`invalid schema name: ${opts.schema}`);
  if (opts.schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`create schema if not exists ${opts.schema}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    options: opts.schema ? `-c search_path=${opts.schema}` : undefined,
  });
  // An idle client's error (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  await pool.query('select 1');
  return {
    kind: 'postgres',
    async query<R>(text: string, params: SqlParams = [], opts?: QueryOptions) {
      const res = opts?.prepare
        ? await pool.query({ name: opts.prepare, text, values: params as unknown[] })
        : await pool.query(text, params as unknown[]);
      return res.rows as R[];
    },
    async transaction<T>(fn: (tx: SqlRunner) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn({
          async query<R>(text: string, params: SqlParams = [], opts?: QueryOptions) {
            const res = opts?.prepare
              ? await client.query({ name: opts.prepare, text, values: params as unknown[] })
              : await client.query(text, params as unknown[]);
            return res.rows as R[];
          },
        });
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async exec(script: string) {
      await pool.query(script);
    },
    async close() {
      await pool.end();
    },
  };
}
