/**
 * `npm run podium -- privacy …`: the operator's GDPR commands — the Art. 30 record, the audit
 * log's verification and export, a person's export and erasure, the breach report, retention.
 */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { isId, type OrgId } from '@podium/protocol';
import type { Config } from '../config/schema';
import { optionValue, rejectUnknownOptions, UsageError, type ParsedArgs } from '../cli/args';
import type { CliIo } from '../cli/prompt';
import { CliFailure, withStore } from '../cli/store';
import { loadSecrets, type Secrets } from '../security/secrets';
import { openBlobStore } from '../storage/open-blob-store';
import type { BlobStore } from '../storage/blob-store';
import type { Sql } from '../storage/sql';
import { auditRows, verifyAuditChain, appendAudit } from './audit-log';
import { affectedSubjects, BREACH_CLASSES, type BreachClass } from './breach';
import { eraseSubject } from './erasure';
import { buildExport } from './export';
import { recordOfProcessing, recordOfProcessingMarkdown } from './record-of-processing';
import { runRetention } from './retention';
import { zipStream } from './zip';

/** Help text of the `privacy` commands. */
export const PRIVACY_USAGE = `  podium privacy record-of-processing [--format md|json]
      Prints the record of processing activities (GDPR Art. 30) generated from the personal-data map.

  podium privacy audit verify [--force]
      Checks the hash chain of the audit log; reports the first changed or missing row (exit 1).
  podium privacy audit export [--org <org_…>] [--force]
      Prints the audit log (one JSON object a line), of one organization or all.

  podium privacy export --email <email> --out <file.zip> [--org <org_…>] [--force]
      Writes everything about a person to a ZIP (their request by another channel; audited).
  podium privacy erase --email <email> [--org <org_…>] --yes [--force]
      Erases a person (account, registrations, chat, Q&A, polls, attendance, mail); audited.

  podium privacy breach --from <ISO time> --to <ISO time> --class <${BREACH_CLASSES.join('|')}> [--org <org_…>] [--format md|json] [--force]
      Lists the people whose data of that class existed or was written in the window (Art. 33/34).

  podium privacy retention run [--force]
      Runs the retention purge now (the server also runs it every hour).`;

/** What a privacy command works with. */
export interface PrivacyCliDeps {
  sql: Sql;
  secrets: Secrets;
  blobs: BlobStore;
  config: Config;
  now(): Date;
}

function required(args: ParsedArgs, name: string): string {
  const v = optionValue(args, name)?.trim();
  if (!v) throw new UsageError(`--${name} is required.`);
  return v;
}

function orgOption(args: ParsedArgs): OrgId | undefined {
  const v = optionValue(args, 'org');
  if (v === undefined) return undefined;
  if (!isId('org', v)) throw new UsageError(`--org "${v}" is not an organization id (org_…).`);
  return v as OrgId;
}

function time(args: ParsedArgs, name: string): Date {
  const v = required(args, name);
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw new UsageError(`--${name} "${v}" is not a time (use ISO 8601, e.g. 2026-12-01T00:00:00Z).`);
  return d;
}

function format(args: ParsedArgs): 'md' | 'json' {
  const f = optionValue(args, 'format') ?? 'md';
  if (f !== 'md' && f !== 'json') throw new UsageError('--format must be md or json.');
  return f;
}

/** Runs one privacy command with an open store (the CLI and the tests). */
export async function privacyCommand(words: string[], args: ParsedArgs, io: CliIo, d: PrivacyCliDeps): Promise<void> {
  const [command, sub] = words;
  const out = (s: string) => io.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
  if (command === 'audit' && sub === 'verify') {
    rejectUnknownOptions(args, ['force']);
    const v = await verifyAuditChain(d.sql);
    if (!v.ok) throw new CliFailure(`The audit log is broken at row ${v.broken!.seq}: ${v.broken!.reason} (${v.rows} rows read).`);
    out(`The audit log holds: ${v.rows} rows, every hash and link checked.`);
    return;
  }
  if (command === 'audit' && sub === 'export') {
    rejectUnknownOptions(args, ['org', 'force']);
    const orgId = orgOption(args);
    let n = 0;
    for await (const r of auditRows(d.sql, { orgId })) {
      out(JSON.stringify(r));
      n++;
    }
    await appendAudit(d.sql, { orgId: orgId ?? null, actor: 'operator', action: 'audit.export', details: { rows: n } }, d.now());
    return;
  }
  if (sub !== undefined && command !== 'retention') throw new UsageError(`Unknown command "privacy ${words.join(' ')}".`);
  switch (command) {
    case 'export': {
      rejectUnknownOptions(args, ['email', 'out', 'org', 'force']);
      const email = required(args, 'email');
      const file = required(args, 'out');
      const orgId = orgOption(args);
      const { subject, entries } = await buildExport(d, { email, orgId });
      if (!subject.personIds.length) throw new CliFailure(`Nothing is stored for ${email}${orgId ? ` in ${orgId}` : ''}.`);
      await pipeline(Readable.from(zipStream(entries)), createWriteStream(file, { mode: 0o600 }));
      await appendAudit(d.sql, { orgId: orgId ?? null, actor: 'operator', action: 'subject.export', subjectRef: (await import('./subjects')).subjectRef(d.secrets, email), details: { via: 'cli' } }, d.now());
      out(`Wrote the export to ${file}.`);
      return;
    }
    case 'erase': {
      rejectUnknownOptions(args, ['email', 'org', 'yes', 'force']);
      const email = required(args, 'email');
      if (!args.options.has('yes')) throw new UsageError('Erasure cannot be undone: add --yes to confirm.');
      const r = await eraseSubject(d, { email, orgId: orgOption(args) }, 'operator');
      if (!r.found) throw new CliFailure(`Nothing is stored for ${email}.`);
      out(`Erased ${email} (audit reference ${r.subjectRef}).`);
      for (const [table, n] of Object.entries(r.counts)) if (n) out(`  ${table}: ${n}`);
      if (r.recordingsFlagged) out(`  ${r.recordingsFlagged} recording(s) flagged for the host to cut or delete.`);
      return;
    }
    case 'breach': {
      rejectUnknownOptions(args, ['from', 'to', 'class', 'org', 'format', 'force']);
      const from = time(args, 'from');
      const to = time(args, 'to');
      if (to < from) throw new UsageError('--to is before --from.');
      const cls = required(args, 'class');
      if (!(BREACH_CLASSES as readonly string[]).includes(cls)) throw new UsageError(`--class must be one of: ${BREACH_CLASSES.join(', ')}.`);
      const orgId = orgOption(args);
      const list = await affectedSubjects(d.sql, cls as BreachClass, from, to, orgId);
      await appendAudit(d.sql, { orgId: orgId ?? null, actor: 'operator', action: 'breach.report', details: { class: cls, from: from.toISOString(), to: to.toISOString(), affected: list.length } }, d.now());
      if (format(args) === 'json') out(JSON.stringify({ class: cls, from, to, affected: list }, null, 2));
      else {
        out(`# Affected data subjects: ${cls}, ${from.toISOString()} – ${to.toISOString()}\n\n${list.length} people.\n`);
        out('| Email | Organizations | Data classes |\n|---|---|---|');
        for (const s of list) out(`| ${s.email} | ${s.orgIds.join(', ')} | ${s.classes.join(', ')} |`);
      }
      return;
    }
    case 'record-of-processing': {
      rejectUnknownOptions(args, ['format', 'force']);
      out(format(args) === 'json' ? JSON.stringify(recordOfProcessing(), null, 2) : recordOfProcessingMarkdown());
      return;
    }
    case 'retention': {
      if (sub !== 'run') throw new UsageError(`Unknown command "privacy ${words.join(' ')}".`);
      rejectUnknownOptions(args, ['force']);
      const r = await runRetention(d);
      out(`Retention purge done: ${Object.entries(r).map(([k, v]) => `${k} ${v}`).join(', ') || 'nothing due'}.`);
      return;
    }
    default:
      throw new UsageError(`Unknown command "privacy ${words.join(' ')}".`);
  }
}

/** `podium privacy …` against the configured store. */
export async function runPrivacyCli(words: string[], args: ParsedArgs, io: CliIo, config: Config): Promise<void> {
  // record-of-processing needs no store.
  if (words[0] === 'record-of-processing') {
    rejectUnknownOptions(args, ['format', 'force']);
    io.stdout.write(`${format(args) === 'json' ? JSON.stringify(recordOfProcessing(), null, 2) : recordOfProcessingMarkdown()}\n`);
    return;
  }
  const secrets = loadSecrets(config.secret, config.dataDir);
  await withStore(config, args.options.has('force'), (sql) => {
    // The storage layer routes blobs by the organization's region, which it looks up in SQL.
    const blobs = (openBlobStore as (...a: unknown[]) => BlobStore)(config, sql);
    return privacyCommand(words, args, io, { sql, secrets, blobs, config, now: () => new Date() });
  });
}
