import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Sql, SqlParams, SqlRunner } from './sql';

/** The embedded store: PGlite in this process, files in `dir` (in memory when `dir` is undefined). */
export async function openPgliteSql(dir?: string): Promise<Sql> {
  if (dir) mkdirSync(dir, { recursive: true });
  const db = dir ? await PGlite.create(dir) : await PGlite.create();
  return {
    kind: 'pglite',
    async query<R>(text: string, params: SqlParams = []) {
      const res = await db.query<R>(text, params as unknown[]);
      return res.rows;
    },
    async transaction<T>(fn: (tx: SqlRunner) => Promise<T>) {
      return db.transaction(async (tx) =>
        fn({
          async query<R>(text: string, params: SqlParams = []) {
            return (await tx.query<R>(text, params as unknown[])).rows;
          },
        }),
      );
    },
    async exec(script: string) {
      await db.exec(script);
    },
    async close() {
      await db.close();
    },
  };
}
