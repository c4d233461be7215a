/**
 * The personal-data map (GDPR Art. 30): every column of every table and every kind of blob,
 * classified. Export, erasure, retention, the breach report and the record of processing all read
 * this one registry, and a test compares it with the live schema, so a new column cannot slip in
 * unclassified (non-personal columns are declared too, as `none`).
 */

/** What kind of personal data a column holds (`none`: not personal). */
export type DataCategory =
  | 'none' | 'identity' | 'contact' | 'credential' | 'content' | 'network' | 'behaviour' | 'consent' | 'pseudonymous';

/** Lawful basis (Art. 6(1)). */
export type LegalBasis = 'contract' | 'consent' | 'legitimate-interest' | 'legal-obligation';

/** Data classes whose retention an organization can set (days), with defaults in config. */
export const RETENTION_CLASSES = ['registrations', 'chat', 'attendance', 'recordings', 'ip_addresses', 'audit_log'] as const;
/** A retention class an organization can set. */
export type RetentionClass = (typeof RETENTION_CLASSES)[number];

/** How long data of a table lives: an organization-set class, or a fixed rule. */
export type Retention = RetentionClass | 'account' | 'organization' | 'event' | 'mail' | 'session' | 'operational';

/** What erasure does to a column holding the subject's data. */
export type Erasure =
  | 'delete-row'   // the row is the person's: it goes
  | 'pseudonymize' // replaced by a placeholder or an unlinkable random token; the row stays (aggregates)
  | 'null'         // set to null
  | 'redact'       // occurrences of the name and email inside the text are replaced
  | 'keep';        // kept: not linkable to the person once the other columns are erased (said why in `note`)

/** One personal column. */
export interface PersonalColumn {
  category: Exclude<DataCategory, 'none'>;
  erasure: Erasure;
  note?: string;
}

/** A column: `none` (not personal) or how it is personal. */
export type ColumnClass = 'none' | PersonalColumn;

/** One table of the schema. */
export interface TableClass {
  purpose: string;
  legalBasis: LegalBasis;
  retention: Retention;
  /** Whose data a row is, as the export and erasure find it. */
  subject?: string;
  columns: Record<string, ColumnClass>;
}

/** One kind of blob in a BlobStore. */
export interface BlobKind {
  purpose: string;
  legalBasis: LegalBasis;
  retention: Retention;
  category: Exclude<DataCategory, 'none'>;
  /** Which row describes it. */
  describedBy: string;
  erasure: string;
}

const p = (category: PersonalColumn['category'], erasure: Erasure, note?: string): PersonalColumn =>
  note ? { category, erasure, note } : { category, erasure };
const N = 'none' as const;
const tech = (...cols: string[]): Record<string, ColumnClass> => Object.fromEntries(cols.map((c) => [c, N]));

/** Every table of the schema, by name. */
export const DATA_MAP: Readonly<Record<string, TableClass>> = {
  users: {
    purpose: 'Accounts of organizers (hosts, admins, owners) and the instance admin', legalBasis: 'contract', retention: 'account',
    subject: 'the account holder (email_lower)',
    columns: {
      ...tech('id', 'is_instance_admin', 'created_at', 'locale'),
      email: p('contact', 'delete-row'), email_lower: p('contact', 'delete-row'), name: p('identity', 'delete-row'),
      password_hash: p('credential', 'delete-row'),
    },
  },
  sessions: {
    purpose: 'Signed-in sessions (cookie hash, CSRF token)', legalBasis: 'contract', retention: 'session', subject: 'user_id',
    columns: { ...tech('created_at', 'expires_at', 'last_seen_at'), token_hash: p('credential', 'delete-row'), csrf_token: p('credential', 'delete-row'), user_id: p('identity', 'delete-row') },
  },
  password_resets: {
    purpose: 'Password reset links', legalBasis: 'contract', retention: 'session', subject: 'user_id',
    columns: { ...tech('created_at', 'expires_at', 'used_at'), token_hash: p('credential', 'delete-row'), user_id: p('identity', 'delete-row') },
  },
  organizations: {
    purpose: 'Tenants and their data region', legalBasis: 'contract', retention: 'organization',
    columns: tech('id', 'name', 'slug', 'data_region', 'file_quota_bytes', 'created_at'),
  },
  memberships: {
    purpose: 'Roles of members in organizations', legalBasis: 'contract', retention: 'account', subject: 'user_id',
    columns: { ...tech('org_id', 'role', 'created_at'), user_id: p('identity', 'delete-row') },
  },
  invitations: {
    purpose: 'Invitations to join an organization', legalBasis: 'legitimate-interest', retention: 'organization', subject: 'email_lower',
    columns: {
      ...tech('id', 'org_id', 'role', 'token_hash', 'created_at', 'expires_at', 'accepted_at', 'revoked_at'),
      email: p('contact', 'delete-row'), email_lower: p('contact', 'delete-row'), invited_by: p('identity', 'null', 'the inviter; account deletion sets it null'),
    },
  },
  api_keys: {
    purpose: 'Organization API keys', legalBasis: 'contract', retention: 'organization',
    columns: { ...tech('id', 'org_id', 'name', 'prefix', 'key_hash', 'created_at', 'last_used_at', 'expires_at', 'revoked_at'), created_by: p('identity', 'null') },
  },
  events: {
    purpose: 'Webinars and meetings', legalBasis: 'contract', retention: 'organization',
    columns: {
      ...tech('id', 'org_id', 'type', 'title', 'description', 'agenda', 'starts_at', 'duration_minutes', 'time_zone', 'capacity', 'access_mode',
        'password_hash', 'status', 'registration_fields', 'consent_version', 'revision', 'created_at', 'updated_at'),
      created_by: p('identity', 'null'),
    },
  },
  event_seat_pools: { purpose: 'Free seats of an event', legalBasis: 'contract', retention: 'event', columns: tech('event_id', 'pool', 'remaining') },
  consent_versions: { purpose: 'Registration consent text of each event version', legalBasis: 'legal-obligation', retention: 'event', columns: tech('event_id', 'version', 'text', 'created_at') },
  event_presenters: {
    purpose: 'Presenters named for an event', legalBasis: 'contract', retention: 'event', subject: 'email_lower',
    columns: { ...tech('event_id', 'created_at'), email: p('contact', 'delete-row'), email_lower: p('contact', 'delete-row') },
  },
  event_invitees: {
    purpose: 'Invitation-only event guest list', legalBasis: 'contract', retention: 'event', subject: 'email_lower',
    columns: { ...tech('event_id', 'created_at'), email: p('contact', 'delete-row'), email_lower: p('contact', 'delete-row') },
  },
  registrations: {
    purpose: 'Registration of attendees (join link, reminders, attendance report)', legalBasis: 'contract', retention: 'registrations', subject: 'email_lower',
    columns: {
      ...tech('id', 'event_id', 'org_id', 'role', 'created_at'),
      email: p('contact', 'pseudonymize', 'replaced by an unroutable random address'), email_lower: p('contact', 'pseudonymize'),
      name: p('identity', 'pseudonymize', '"Deleted participant"'), fields: p('content', 'pseudonymize', 'emptied'),
      consent_version: p('consent', 'keep', 'proof of the consent given; not linkable once the rest is erased'), consent_at: p('consent', 'keep'),
      locale: p('behaviour', 'null'), ip_prefix: p('network', 'null', 'truncated to /24 or /48 at write'),
    },
  },
  mail_outbox: {
    purpose: 'Emails sent (confirmations, reminders, invitations, account mail)', legalBasis: 'contract', retention: 'mail', subject: 'to_address',
    columns: {
      ...tech('id', 'org_id', 'status', 'attempts', 'created_at', 'sent_at'),
      to_address: p('contact', 'delete-row'), subject: p('content', 'redact'), text_body: p('content', 'redact'), html_body: p('content', 'redact'),
      attachments: p('content', 'redact', 'emptied when it names the person'), last_error: p('content', 'redact', 'addresses already scrubbed at write'),
    },
  },
  jobs: {
    purpose: 'Durable background jobs', legalBasis: 'legitimate-interest', retention: 'operational',
    columns: { ...tech('id', 'kind', 'dedupe_key', 'run_at', 'attempts', 'max_attempts', 'locked_until', 'created_at', 'done_at'), payload: p('pseudonymous', 'keep', 'ids only'), last_error: p('content', 'redact') },
  },
  schema_migrations: { purpose: 'Schema version', legalBasis: 'legitimate-interest', retention: 'operational', columns: tech('version', 'name', 'applied_at') },
  event_rooms: { purpose: 'Live room settings and stage', legalBasis: 'contract', retention: 'event', columns: { ...tech('event_id', 'settings', 'started_at', 'ended_at', 'updated_at'), stage: p('pseudonymous', 'keep', 'participant ids of the stage of the moment') } },
  room_chat_messages: {
    purpose: 'Chat of the live room', legalBasis: 'contract', retention: 'chat', subject: 'from_person / to_person',
    columns: {
      ...tech('id', 'event_id', 'from_role', 'to_kind', 'sent_at', 'deleted_at'),
      from_person: p('identity', 'pseudonymize', 'a random token: the report still counts the message'), from_name: p('identity', 'pseudonymize'),
      text: p('content', 'pseudonymize', '"(erased)"; others\' messages naming the person are redacted'),
      to_person: p('identity', 'pseudonymize'), to_name: p('identity', 'pseudonymize'), deleted_by: p('identity', 'pseudonymize'),
    },
  },
  room_questions: {
    purpose: 'Q&A of the live room', legalBasis: 'contract', retention: 'chat', subject: 'person_id',
    columns: {
      ...tech('id', 'event_id', 'author_role', 'anonymous', 'status', 'votes', 'answered_at', 'asked_at'),
      person_id: p('identity', 'pseudonymize'), author_name: p('identity', 'pseudonymize'), text: p('content', 'pseudonymize', '"(erased)"'),
      answer_text: p('content', 'redact', "the host's answer"), answered_by: p('identity', 'redact'),
    },
  },
  room_question_votes: { purpose: 'Upvotes of questions', legalBasis: 'contract', retention: 'chat', subject: 'person_id', columns: { ...tech('question_id', 'voted_at'), person_id: p('identity', 'pseudonymize', 'vote counts still add up') } },
  room_polls: { purpose: 'Polls', legalBasis: 'contract', retention: 'event', columns: { ...tech('id', 'event_id', 'question', 'options', 'multiple', 'status', 'results_shared', 'created_at', 'launched_at', 'closed_at'), created_by: p('identity', 'pseudonymize') } },
  room_poll_votes: { purpose: 'Poll answers', legalBasis: 'contract', retention: 'event', subject: 'person_id', columns: { ...tech('poll_id', 'voted_at'), person_id: p('identity', 'pseudonymize', 'poll totals still add up'), choice: p('behaviour', 'keep', 'unlinkable once person_id is a random token') } },
  room_attendance: {
    purpose: 'Attendance (join/leave) for the attendance report', legalBasis: 'legitimate-interest', retention: 'attendance', subject: 'person_id',
    columns: { ...tech('id', 'event_id', 'participant_id', 'role', 'joined_at', 'left_at'), person_id: p('identity', 'pseudonymize', 'attendance counts still add up'), display_name: p('identity', 'pseudonymize') },
  },
  event_bans: {
    purpose: 'People removed from an event', legalBasis: 'legitimate-interest', retention: 'event', subject: 'person_id',
    columns: { ...tech('event_id', 'created_at'), person_id: p('identity', 'pseudonymize'), display_name: p('identity', 'pseudonymize'), banned_by: p('identity', 'pseudonymize') },
  },
  event_audit: {
    purpose: 'Moderation trail of the live room', legalBasis: 'legitimate-interest', retention: 'event', subject: 'actor_person / target_person',
    columns: {
      ...tech('id', 'event_id', 'at', 'action'),
      actor_person: p('identity', 'pseudonymize'), actor_name: p('identity', 'pseudonymize'), target_person: p('identity', 'pseudonymize'), target_name: p('identity', 'pseudonymize'),
      details: p('content', 'redact'),
    },
  },
  room_docs: { purpose: 'Shared notes and whiteboard (Yjs state)', legalBasis: 'contract', retention: 'event', columns: { ...tech('event_id', 'doc', 'updated_at'), state: p('content', 'keep', 'collaborative: not attributable to one person; the host clears it') } },
  room_doc_updates: { purpose: 'Shared notes and whiteboard (Yjs updates)', legalBasis: 'contract', retention: 'event', columns: { ...tech('id', 'event_id', 'doc', 'created_at'), update: p('content', 'keep', 'collaborative: not attributable to one person') } },
  files: {
    purpose: 'Slides and handouts of events', legalBasis: 'contract', retention: 'event', subject: 'uploaded_by',
    columns: {
      ...tech('id', 'org_id', 'event_id', 'purpose', 'status', 'content_type', 'size', 'sha256', 'page_count', 'created_at'),
      name: p('content', 'keep', "the organization's document"), blob_key: p('content', 'keep', 'the bytes belong to the organization'), uploaded_by: p('identity', 'null'),
    },
  },
  blob_deletions: { purpose: 'Bytes still to be removed from the BlobStore', legalBasis: 'legitimate-interest', retention: 'operational', columns: tech('blob_key', 'queued_at') },
  audit_log: {
    purpose: 'Accountability of processing (Art. 5(2)): exports, erasures, role changes, recording access, registrant reads', legalBasis: 'legal-obligation', retention: 'audit_log', subject: 'subject_ref',
    columns: {
      ...tech('seq', 'at', 'org_id', 'action', 'details', 'prev_hash', 'hash'),
      actor: p('pseudonymous', 'keep', 'ids only; the chain must stay verifiable'), subject_ref: p('pseudonymous', 'keep', 'HMAC of the email: proves the erasure without holding the email'),
    },
  },
  consent_texts: { purpose: 'Consent texts by kind and version', legalBasis: 'legal-obligation', retention: 'organization', columns: tech('id', 'org_id', 'event_id', 'kind', 'version', 'text', 'created_at') },
  consent_records: {
    purpose: 'Consents given and withdrawn', legalBasis: 'legal-obligation', retention: 'registrations', subject: 'person_id',
    columns: { ...tech('id', 'org_id', 'event_id', 'kind', 'version', 'accepted_at', 'withdrawn_at'), person_id: p('identity', 'delete-row') },
  },
  privacy_retention: { purpose: 'Retention settings per organization', legalBasis: 'legal-obligation', retention: 'organization', columns: tech('org_id', 'data_class', 'days', 'updated_at') },
  recordings: {
    purpose: 'Recordings of live events', legalBasis: 'consent', retention: 'recordings', subject: 'started_by; the audience via room_attendance',
    columns: {
      ...tech('id', 'org_id', 'event_id', 'status', 'started_at', 'ended_at', 'duration_ms', 'error', 'timeline_size', 'mp4_status', 'mp4_progress', 'mp4_error',
        'mp4_size', 'expires_at', 'retention_set', 'warned_at', 'publish_nonce', 'publish_expires_at', 'created_at'),
      started_by: p('identity', 'null'), timeline_key: p('content', 'keep', 'flagged for the host (recording_erasure_flags)'), mp4_key: p('content', 'keep', 'flagged for the host'),
    },
  },
  recording_tracks: {
    purpose: 'Tracks of a recording (who published what)', legalBasis: 'consent', retention: 'recordings', subject: 'participant_id via room_attendance',
    columns: {
      ...tech('id', 'recording_id', 'kind', 'participant_id', 'producer_id', 'codec', 'status', 'offset_ms', 'duration_ms', 'size', 'width', 'height', 'dropped_packets', 'created_at'),
      display_name: p('identity', 'pseudonymize'), blob_key: p('content', 'keep', 'voice and face: flagged for the host to cut or delete'),
    },
  },
  recording_erasure_flags: {
    purpose: 'Recordings an erased person appears in, for the host to cut or delete', legalBasis: 'legal-obligation', retention: 'recordings',
    columns: { ...tech('recording_id', 'flagged_at', 'resolved_at', 'resolution'), subject_ref: p('pseudonymous', 'keep') },
  },
  privacy_requests: {
    purpose: 'Data-subject access requests (one-time link)', legalBasis: 'legal-obligation', retention: 'session', subject: 'email',
    columns: { ...tech('token_hash', 'created_at', 'expires_at', 'used_at'), subject_ref: p('pseudonymous', 'delete-row'), email: p('contact', 'delete-row') },
  },
};

/** Every kind of blob, by name. */
export const BLOB_KINDS: Readonly<Record<string, BlobKind>> = {
  file: {
    purpose: 'Slides and handouts uploaded by organizers', legalBasis: 'contract', retention: 'event', category: 'content',
    describedBy: 'files.blob_key', erasure: "the organization's document: kept; the uploader link (files.uploaded_by) is cleared",
  },
  recording: {
    purpose: 'Recordings of events (voices, faces, names on screen)', legalBasis: 'consent', retention: 'recordings', category: 'content',
    describedBy: 'recordings (migration 005)', erasure: 'flagged for the host to cut or delete (see flagRecordingsForErasure)',
  },
  export: {
    purpose: 'Data-subject exports', legalBasis: 'legal-obligation', retention: 'session', category: 'content',
    describedBy: 'never stored: the ZIP is streamed to the requester', erasure: 'nothing stored',
  },
};

/** Personal columns of one table. */
export function personalColumns(table: string): [string, PersonalColumn][] {
  const t = DATA_MAP[table];
  if (!t) return [];
  return Object.entries(t.columns).filter((e): e is [string, PersonalColumn] => e[1] !== 'none');
}
