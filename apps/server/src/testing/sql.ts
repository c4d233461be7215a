import { randomBytes } from 'node:crypto';
import { openPgliteSql } from '../storage/pglite-sql';
import { openPostgresSql } from '../storage/postgres-sql';
import { migrate } from '../storage/migrate';
import type { Sql } from '../storage/sql';

/** The two SQL stores every store test runs against. */
export const STORE_KINDS = ['pglite', 'postgres'] as const;
/** One of the two SQL stores. */
export type StoreKind = (typeof STORE_KINDS)[number];

/** PostgreSQL used by tests (the machine's server; trust auth). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A migrated, empty store of this kind: PGlite in memory, or a fresh schema in the test PostgreSQL. `close()` drops it. */
export async function openTestSql(kind: StoreKind): Promise<Sql> {
  if (kind === 'pglite') {
    const sql = await openPgliteSql();
    await migrate(sql);
    return sql;
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const sql = await openPostgresSql(TEST_DATABASE_URL, { schema, max: 8 });
  await migrate(sql);
  const close = sql.close.bind(sql);
  return Object.assign(sql, {
    async close() {
      await sql.exec(`drop schema ${schema} cascade`).catch(() => {});
      await close();
    },
  });
}
