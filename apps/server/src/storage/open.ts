import { join } from 'node:path';
import type { Config } from '../config/schema';
import { migrate } from './migrate';
import { openPgliteSql } from './pglite-sql';
import { openPostgresSql } from './postgres-sql';
import type { Sql } from './sql';

/** Opens the configured SQL store (PostgreSQL when DATABASE_URL is set, else PGlite in dataDir) and migrates it. */
export async function openStore(config: Pick<Config, 'databaseUrl' | 'dataDir'>): Promise<Sql> {
  const sql = config.databaseUrl
    ? await openPostgresSql(config.databaseUrl, { max: 16 })
    : await openPgliteSql(join(config.dataDir, 'db'));
  await migrate(sql);
  return sql;
}
