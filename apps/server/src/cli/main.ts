// Entry of `npm run podium -- …`: operator commands run against the configured store.
import { runCli } from './run';

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
