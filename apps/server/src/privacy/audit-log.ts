/**
 * The audit log of personal-data processing: append-only and hash-chained. Each row's hash is
 * SHA-256 over the canonical JSON of its fields (its predecessor's hash included), so changing a
 * row breaks its own hash and removing one leaves a gap in `seq` — `verifyAuditChain` finds both.
 */
import { createHash } from 'node:crypto';
import type { OrgId } from '@podium/protocol';
import type { Sql, SqlRunner } from '../storage/sql';

/** prev_hash of the very first row. */
export const GENESIS_HASH = '0'.repeat(64);
/** The action of the row that carries the chain over a purged prefix. */
export const CHECKPOINT_ACTION = 'audit.checkpoint';

/** Actions the log records. */
export type AuditAction =
  | 'subject.export' | 'subject.export-requested' | 'subject.erase' | 'member.role-change' | 'member.remove'
  | 'recording.access' | 'recording.flagged-for-erasure' | 'registrants.read' | 'registrants.export-csv'
  | 'consent.withdraw' | 'consent.accept' | 'retention.purge' | 'retention.set' | 'residency.refused' | 'audit.export' | 'breach.report' | typeof CHECKPOINT_ACTION;

/** What a caller writes. Details hold ids and counts only: never names, emails or addresses. */
export interface AuditEntry {
  orgId: OrgId | string | null;
  /** `usr_…`, `key_…`, `system`, or `subject:<ref>` for a data subject acting for themselves. */
  actor: string;
  action: AuditAction;
  /** Pseudonymous reference to whose data it is (see subjectRef), or an id. */
  subjectRef?: string | null;
  details?: Record<string, unknown>;
}

/** One stored row. */
export interface AuditRow {
  seq: number;
  at: string;
  orgId: string | null;
  actor: string;
  action: string;
  subjectRef: string | null;
  details: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

interface DbRow {
  seq: string | number;
  at: Date | string;
  org_id: string | null;
  actor: string;
  action: string;
  subject_ref: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

/** JSON with object keys sorted at every depth: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj).filter((k) => obj[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** The hash of a row from its fields. */
export function rowHash(r: Omit<AuditRow, 'hash'>): string {
  const fields = { seq: r.seq, at: r.at, orgId: r.orgId, actor: r.actor, action: r.action, subjectRef: r.subjectRef, details: r.details, prevHash: r.prevHash };
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}

function fromDb(r: DbRow): AuditRow {
  return {
    seq: Number(r.seq), at: new Date(r.at).toISOString(), orgId: r.org_id, actor: r.actor, action: r.action,
    subjectRef: r.subject_ref, details: r.details ?? {}, prevHash: r.prev_hash, hash: r.hash,
  };
}

const AUDIT_LOCK = 4242006;

async function appendIn(tx: SqlRunner, e: AuditEntry, at: Date): Promise<AuditRow> {
  // One writer at a time: each row needs its predecessor's hash.
  await tx.query('select pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
  const [last] = await tx.query<{ seq: string | number; hash: string }>('select seq, hash from audit_log order by seq desc limit 1');
  const base = {
    seq: last ? Number(last.seq) + 1 : 1, at: at.toISOString(), orgId: e.orgId ?? null, actor: e.actor, action: e.action,
    subjectRef: e.subjectRef ?? null, details: JSON.parse(canonicalJson(e.details ?? {})) as Record<string, unknown>, prevHash: last?.hash ?? GENESIS_HASH,
  };
  const row = { ...base, hash: rowHash(base) };
  await tx.query(
    `insert into audit_log (seq, at, org_id, actor, action, subject_ref, details, prev_hash, hash) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [row.seq, row.at, row.orgId, row.actor, row.action, row.subjectRef, JSON.stringify(row.details), row.prevHash, row.hash],
  );
  return row;
}

/**
 * Appends one entry. Given the store, it runs in a transaction of its own; given an open
 * transaction, it commits or rolls back with the caller's change (so an action and its audit row
 * are one).
 */
export async function appendAudit(db: Sql | SqlRunner, e: AuditEntry, at: Date = new Date()): Promise<AuditRow> {
  if ('transaction' in db) return db.transaction((tx) => appendIn(tx, e, at));
  return appendIn(db, e, at);
}

/** Outcome of a verification. */
export interface AuditVerification {
  ok: boolean;
  rows: number;
  /** The first row that does not hold, and why. */
  broken?: { seq: number; reason: string };
}

/** Reads the log in order, page by page (keyset on seq). */
export async function* auditRows(db: SqlRunner, filter: { orgId?: string; subjectRef?: string; fromSeq?: number } = {}): AsyncGenerator<AuditRow> {
  let after = (filter.fromSeq ?? 1) - 1;
  for (;;) {
    const rows = await db.query<DbRow>(
      `select * from audit_log where seq > $1 and ($2::text is null or org_id = $2) and ($3::text is null or subject_ref = $3)
        order by seq limit 500`,
      [after, filter.orgId ?? null, filter.subjectRef ?? null],
    );
    for (const r of rows) yield fromDb(r);
    if (rows.length < 500) return;
    after = Number(rows[rows.length - 1].seq);
  }
}

/**
 * Checks the whole chain: each row's hash, each link to its predecessor, no gap in seq, and a
 * start that is either the genesis or exactly the prefix a checkpoint row says it purged.
 */
export async function verifyAuditChain(db: SqlRunner): Promise<AuditVerification> {
  let prev: AuditRow | undefined;
  let rows = 0;
  let first: AuditRow | undefined;
  const checkpoints = new Map<number, string>(); // purgedThroughSeq → hash of the last purged row
  for await (const r of auditRows(db)) {
    rows++;
    if (rowHash(r) !== r.hash) return { ok: false, rows, broken: { seq: r.seq, reason: 'the row was changed: its hash does not match its fields' } };
    if (!prev) {
      first = r;
      if (r.seq === 1 && r.prevHash !== GENESIS_HASH) return { ok: false, rows, broken: { seq: r.seq, reason: 'the first row does not start from the genesis hash' } };
    } else {
      if (r.seq !== prev.seq + 1) return { ok: false, rows, broken: { seq: prev.seq + 1, reason: `row ${prev.seq + 1} is missing (the log jumps from ${prev.seq} to ${r.seq})` } };
      if (r.prevHash !== prev.hash) return { ok: false, rows, broken: { seq: r.seq, reason: 'the row does not link to the hash of the row before it' } };
    }
    if (r.action === CHECKPOINT_ACTION) checkpoints.set(Number(r.details.purgedThroughSeq), String(r.details.lastPurgedHash));
    prev = r;
  }
  if (first && first.seq !== 1) {
    const carried = checkpoints.get(first.seq - 1);
    if (carried === undefined || carried !== first.prevHash) {
      return { ok: false, rows, broken: { seq: first.seq - 1, reason: `rows up to ${first.seq - 1} are missing and no checkpoint row accounts for them` } };
    }
  }
  return { ok: true, rows };
}

/**
 * Removes the whole prefix of rows older than `before`, after appending a checkpoint row that
 * carries the chain over it. Returns how many rows went.
 */
export async function purgeAuditBefore(sql: Sql, before: Date, now: Date = new Date()): Promise<number> {
  return sql.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
    const [last] = await tx.query<{ seq: string | number; hash: string }>(
      'select seq, hash from audit_log where at < $1 order by seq desc limit 1', [before.toISOString()],
    );
    if (!last) return 0;
    const [{ n }] = await tx.query<{ n: string | number }>('select count(*) as n from audit_log where seq <= $1', [last.seq]);
    await appendIn(tx, {
      orgId: null, actor: 'system', action: CHECKPOINT_ACTION,
      details: { purgedThroughSeq: Number(last.seq), lastPurgedHash: last.hash, purgedRows: Number(n), before: before.toISOString() },
    }, now);
    await tx.query(`select set_config('podium.audit_purge', 'on', true)`);
    await tx.query('delete from audit_log where seq <= $1', [last.seq]);
    await tx.query(`select set_config('podium.audit_purge', 'off', true)`);
    return Number(n);
  });
}
