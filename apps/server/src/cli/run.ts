import { PodiumError } from '@podium/protocol';
import { ConfigError, loadConfig } from '../config/load';
import { ADMIN_USAGE, adminCreate, adminResetPassword } from './admin';
import { parseArgs, UsageError } from './args';
import type { CliIo } from './prompt';
import { CliFailure } from './store';
import { PRIVACY_USAGE, runPrivacyCli } from '../privacy/cli';

/** Exit codes: success, a command that could not be done, a command line or configuration to fix. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const USAGE = `Podium operator commands.\n\n${ADMIN_USAGE}\n\n${PRIVACY_USAGE}\n`;

// Input problems the operator fixes on the command line, as opposed to the state of the instance.
const USAGE_CODES = new Set(['WEAK_PASSWORD', 'VALIDATION_FAILED', 'SLUG_TAKEN']);

/** Runs one CLI command; returns the process exit code. Messages go to stderr, results to stdout. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const args = parseArgs(argv, new Set(['force', 'help', 'yes']));
    const [group, command, ...rest] = args.positionals;
    if (args.options.has('help') || group === 'help' || group === undefined) {
      io.stdout.write(USAGE);
      return group === undefined && !args.options.has('help') ? EXIT.usage : EXIT.ok;
    }
    if (group === 'privacy' && command !== undefined) {
      await runPrivacyCli([command, ...rest], args, io, loadConfig(io.env));
      return EXIT.ok;
    }
    if (rest.length) throw new UsageError(`Unexpected argument "${rest[0]}".`);
    if (group !== 'admin' || (command !== 'create' && command !== 'reset-password')) {
      throw new UsageError(`Unknown command "${[group, command].filter(Boolean).join(' ')}".`);
    }
    const config = loadConfig(io.env);
    if (command === 'create') await adminCreate(args, io, config);
    else await adminResetPassword(args, io, config);
    return EXIT.ok;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`Error: ${err.message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    if (err instanceof ConfigError) {
      io.stderr.write(`${err.message}\nSee docs/configuration.md.\n`);
      return EXIT.usage;
    }
    if (err instanceof PodiumError) {
      io.stderr.write(`Error: ${err.message}\n`);
      return USAGE_CODES.has(err.code) ? EXIT.usage : EXIT.failed;
    }
    if (err instanceof CliFailure) {
      io.stderr.write(`Error: ${err.message}\n`);
      return EXIT.failed;
    }
    io.stderr.write(`Error: ${(err as Error).message ?? String(err)}\n`);
    return EXIT.failed;
  }
}
