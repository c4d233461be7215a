import { DATA_REGIONS, LOCALES, type DataRegionName, type Locale } from '@podium/protocol';
import type { Config } from '../config/schema';
import { setPasswordByEmail } from '../accounts/password-reset';
import { setupInstance } from '../accounts/setup';
import { optionValue, rejectUnknownOptions, UsageError, type ParsedArgs } from './args';
import { promptHidden, type CliIo } from './prompt';
import { CliFailure, withStore } from './store';

/** Environment variable that may carry the password, for scripts that cannot pass it as an argument. */
export const ADMIN_PASSWORD_ENV = 'PODIUM_ADMIN_PASSWORD';

/** Help text of the `admin` commands. */
export const ADMIN_USAGE = `Usage:
  podium admin create --email <email> --name <name> --org <organization> --region <region>
                      [--password <password>] [--locale en|de|pl|fr] [--force]
      Creates the first organization and its owner, who administers this instance.
      Works only while the instance has no account (like the /setup page).

  podium admin reset-password --email <email> [--password <password>] [--force]
      Sets a new password for an account and signs it out everywhere.

  The password comes from --password, else from ${ADMIN_PASSWORD_ENV}, else it is asked for on the terminal.
  Regions: ${Object.keys(DATA_REGIONS).join(', ')}.
  With the embedded database, stop the server first (--force skips that check).`;

function required(args: ParsedArgs, name: string): string {
  const v = optionValue(args, name)?.trim();
  if (!v) throw new UsageError(`--${name} is required.`);
  return v;
}

function checkedEmail(args: ParsedArgs): string {
  const email = required(args, 'email');
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) throw new UsageError(`--email "${email}" is not an email address.`);
  return email;
}

/** The password from the option, the environment or the terminal (asked twice). */
async function passwordFrom(args: ParsedArgs, io: CliIo): Promise<string> {
  const given = optionValue(args, 'password') ?? io.env[ADMIN_PASSWORD_ENV];
  if (given) return given;
  if (!io.stdin.isTTY) {
    throw new UsageError(`Give the password with --password or the ${ADMIN_PASSWORD_ENV} environment variable (there is no terminal to ask on).`);
  }
  const first = await promptHidden(io, 'Password (at least 10 characters): ');
  const second = await promptHidden(io, 'Repeat the password: ');
  if (first !== second) throw new UsageError('The two passwords differ.');
  return first;
}

/** `podium admin create`: the first organization and its owner, through the same service as POST /api/v1/setup. */
export async function adminCreate(args: ParsedArgs, io: CliIo, config: Config): Promise<void> {
  rejectUnknownOptions(args, ['email', 'name', 'org', 'region', 'password', 'locale', 'force']);
  const email = checkedEmail(args);
  const name = required(args, 'name');
  const orgName = required(args, 'org');
  const region = required(args, 'region');
  if (!(region in DATA_REGIONS)) throw new UsageError(`--region must be one of: ${Object.keys(DATA_REGIONS).join(', ')}.`);
  const locale = optionValue(args, 'locale');
  if (locale !== undefined && !LOCALES.includes(locale as Locale)) throw new UsageError(`--locale must be one of: ${LOCALES.join(', ')}.`);
  if (name.length > 120 || orgName.length > 120) throw new UsageError('--name and --org hold at most 120 characters.');
  const password = await passwordFrom(args, io);
  const r = await withStore(config, args.options.has('force'), (sql) =>
    setupInstance(
      { sql, config, now: () => new Date() },
      { email, name, password, orgName, dataRegion: region as DataRegionName, locale: locale as Locale | undefined },
      { signIn: false },
    ));
  io.stdout.write(
    `Created the organization "${r.org.name}" (${r.org.slug}, data region ${r.org.data_region}) ` +
    `and its owner ${r.user.email}, who administers this instance.\nSign in at ${config.publicUrl}\n`,
  );
}

/** `podium admin reset-password`: sets a password and ends the account's sessions. */
export async function adminResetPassword(args: ParsedArgs, io: CliIo, config: Config): Promise<void> {
  rejectUnknownOptions(args, ['email', 'password', 'force']);
  const email = checkedEmail(args);
  const password = await passwordFrom(args, io);
  const found = await withStore(config, args.options.has('force'), (sql) =>
    setPasswordByEmail({ sql, config, now: () => new Date() }, email, password));
  if (!found) throw new CliFailure(`No account has the email ${email}.`);
  io.stdout.write(`The password of ${email} is changed; its sessions have ended.\n`);
}
