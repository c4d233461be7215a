import { loadConfig, ConfigError } from './config/load';
import { createServer } from './server';

/** Starts Podium with configuration from the environment and the optional config file. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee docs/configuration.md.\n`);
      process.exit(2);
    }
    throw err;
  }
  const server = await createServer(config);
  const url = await server.listen();
  const needsSetup = (await server.ctx.sql.query<{ n: number }>('select count(*)::int as n from users'))[0].n === 0;
  server.ctx.log.info({ url, store: server.ctx.sql.kind, mail: server.ctx.mailer.mode }, 'Podium is running');
  process.stdout.write(`\nPodium is running on ${url}\n`);
  if (needsSetup) process.stdout.write(`First start: open ${url}/setup to create the first organization and its owner.\n\n`);
  const shutdown = async (signal: string) => {
    server.ctx.log.info({ signal }, 'shutting down');
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

void main();
