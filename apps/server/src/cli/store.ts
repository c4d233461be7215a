import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/schema';
import { openStore } from '../storage/open';
import type { Sql } from '../storage/sql';

/** Thrown when the command cannot run against this installation; the message is shown as is. */
export class CliFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliFailure';
  }
}

/**
 * Opens the configured store for one command and closes it afterwards. The embedded store must
 * not be open in a running server at the same time (two processes would corrupt its files), so
 * its lock file stops us unless `force` says no server runs.
 */
export async function withStore<T>(config: Config, force: boolean, fn: (sql: Sql) => Promise<T>): Promise<T> {
  if (!config.databaseUrl) {
    const pidFile = join(config.dataDir, 'db', 'postmaster.pid');
    if (existsSync(pidFile) && !force) {
      throw new CliFailure(
        `The embedded database in ${join(config.dataDir, 'db')} looks open in another process (a running Podium server?).\n` +
        'Stop the server first. If none is running (it crashed), run the command again with --force.',
      );
    }
  }
  const sql = await openStore(config);
  try {
    return await fn(sql);
  } finally {
    await sql.close();
  }
}
