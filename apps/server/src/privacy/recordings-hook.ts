/**
 * Where erasure meets recordings (migration 005): a recording cannot be edited by a query, so a
 * person who appears in one (published a track, or was in the room while it recorded — the
 * timeline names the audience) flags it for the host's decision (cut or delete). Track names and
 * the starter's id are pseudonymized at once.
 */
import { PodiumError, type OrgId } from '@podium/protocol';
import type { SqlRunner } from '../storage/sql';
import { appendAudit } from './audit-log';
import { ERASED_NAME } from './redact';

/** True when the recordings tables exist in this schema. */
async function hasRecordings(tx: SqlRunner): Promise<boolean> {
  const [r] = await tx.query<{ t: string | null }>(`select to_regclass('recordings')::text as t`);
  return !!r?.t;
}

/** Recordings the person appears in (ids), within the organization or everywhere. */
export async function recordingsWithPerson(tx: SqlRunner, orgId: OrgId | string | null, personIds: readonly string[]): Promise<string[]> {
  if (!personIds.length || !(await hasRecordings(tx))) return [];
  const rows = await tx.query<{ id: string }>(
    `select distinct r.id from recordings r
       join room_attendance a on a.event_id = r.event_id and a.person_id = any($2::text[])
        and a.joined_at <= coalesce(r.ended_at, 'infinity'::timestamptz) and coalesce(a.left_at, 'infinity'::timestamptz) >= r.started_at
      where ($1::text is null or r.org_id = $1) order by r.id`,
    [orgId, personIds],
  );
  return rows.map((r) => r.id);
}

/** Flags the recordings the person appears in and pseudonymizes their names in track rows. Returns how many were flagged. */
export async function flagRecordingsForErasure(
  tx: SqlRunner, s: { orgId: OrgId | null; personIds: readonly string[]; subjectRef: string; at: Date },
): Promise<number> {
  const ids = await recordingsWithPerson(tx, s.orgId, s.personIds);
  if (!ids.length) return 0;
  await tx.query(
    `update recording_tracks set display_name = $3 where recording_id = any($1::text[])
        and participant_id in (select participant_id from room_attendance where person_id = any($2::text[]))`,
    [ids, s.personIds, ERASED_NAME],
  );
  await tx.query(`update recordings set started_by = null where id = any($1::text[]) and started_by = any($2::text[])`, [ids, s.personIds]);
  for (const id of ids) {
    await tx.query(
      `insert into recording_erasure_flags (recording_id, subject_ref, flagged_at) values ($1, $2, $3) on conflict do nothing`, [id, s.subjectRef, s.at],
    );
    const [rec] = await tx.query<{ org_id: string }>('select org_id from recordings where id = $1', [id]);
    await appendAudit(tx, { orgId: rec?.org_id ?? s.orgId, actor: 'system', action: 'recording.flagged-for-erasure', subjectRef: s.subjectRef, details: { recordingId: id } }, s.at);
  }
  return ids.length;
}

/**
 * Audits an access to a recording (viewing, downloading, a signed link made): the recordings
 * domain calls this for every such access.
 */
export async function auditRecordingAccess(
  db: SqlRunner | import('../storage/sql').Sql, a: { orgId: OrgId | string; actor: string; recordingId: string; how: 'view' | 'download' | 'link' | 'delete' }, at = new Date(),
): Promise<void> {
  await appendAudit(db, { orgId: a.orgId, actor: a.actor, action: 'recording.access', subjectRef: a.recordingId, details: { recordingId: a.recordingId, how: a.how } }, at);
}

/** The organization's recordings flagged by erasures and not yet decided on (the recording still exists). */
export async function listRecordingFlags(db: SqlRunner, orgId: string): Promise<{ recordingId: string; eventId: string; subjectRef: string; flaggedAt: string }[]> {
  const rows = await db.query<{ recording_id: string; event_id: string; subject_ref: string; flagged_at: Date }>(
    `select f.recording_id, r.event_id, f.subject_ref, f.flagged_at from recording_erasure_flags f join recordings r on r.id = f.recording_id
      where r.org_id = $1 and f.resolved_at is null order by f.flagged_at, f.recording_id`,
    [orgId],
  );
  return rows.map((r) => ({ recordingId: r.recording_id, eventId: r.event_id, subjectRef: r.subject_ref, flaggedAt: new Date(r.flagged_at).toISOString() }));
}

/** Records the host's decision on every open flag of a recording; RECORDING_NOT_FOUND for another organization's. */
export async function resolveRecordingFlags(sql: import('../storage/sql').Sql, orgId: string, recordingId: string, resolution: 'cut' | 'deleted' | 'kept', actor: string, at: Date): Promise<number> {
  return sql.transaction(async (tx) => {
    const [rec] = await tx.query('select 1 from recordings where id = $1 and org_id = $2', [recordingId, orgId]);
    if (!rec) throw new PodiumError('RECORDING_NOT_FOUND');
    const done = await tx.query('update recording_erasure_flags set resolved_at = $2, resolution = $3 where recording_id = $1 and resolved_at is null returning 1', [recordingId, at, resolution]);
    if (done.length) await appendAudit(tx, { orgId, actor, action: 'recording.access', subjectRef: recordingId, details: { recordingId, erasureDecision: resolution, flags: done.length } }, at);
    return done.length;
  });
}
