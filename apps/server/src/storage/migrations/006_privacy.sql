-- GDPR by design: the audit log of personal-data processing (append-only, hash-chained), consent
-- texts and acceptances by kind, per-organization retention, and data-subject access requests.
-- Every column is classified in apps/server/src/privacy/data-map.ts (a test fails otherwise).

-- Who did what to whose personal data. Each row's hash is SHA-256 over the canonical JSON of its
-- fields and the previous row's hash, so a changed or removed row breaks the chain at that point.
-- Retention removes only a whole oldest prefix, after writing a checkpoint row that carries the
-- chain forward (its prev_hash is the hash of the last removed row).
create table audit_log (
  seq bigint primary key,
  at timestamptz not null,
  org_id text,                               -- no foreign key: the log outlives the organization
  actor text not null,                       -- personal data: identity (usr_…, key_…, 'system', or the subject's pseudonym)
  action text not null,
  subject_ref text,                          -- personal data: pseudonymous (HMAC of the subject's email), never the email itself
  details jsonb not null default '{}',       -- ids and counts only, never names, emails or addresses
  prev_hash text not null check (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text not null unique check (hash ~ '^[0-9a-f]{64}$')
);
create index audit_log_org_idx on audit_log(org_id, seq);
create index audit_log_subject_idx on audit_log(subject_ref, seq);

-- The log is append-only: rows are never changed, and only the retention purge (which says so in
-- its transaction) removes rows.
create function audit_log_append_only() returns trigger language plpgsql as $$ begin if tg_op = 'DELETE' and current_setting('podium.audit_purge', true) = 'on' then return old; end if; raise exception 'audit_log is append-only'; end $$;

create trigger audit_log_no_change before update or delete on audit_log for each row execute function audit_log_append_only();

-- Consent texts by kind, versioned per organization or per event (event_id null: the
-- organization's default for that kind).
create table consent_texts (
  id bigint generated always as identity primary key,
  org_id text not null references organizations(id) on delete cascade,
  event_id text references events(id) on delete cascade,
  kind text not null check (kind in ('registration', 'recording', 'marketing')),
  version integer not null check (version >= 1),
  text text not null,
  created_at timestamptz not null default now()
);
create unique index consent_texts_version_idx on consent_texts(org_id, coalesce(event_id, ''), kind, version);

-- Each acceptance and each withdrawal of a consent by a person (registration or account).
create table consent_records (
  id bigint generated always as identity primary key,
  org_id text not null references organizations(id) on delete cascade,
  event_id text references events(id) on delete cascade,
  person_id text not null,                   -- personal data: identity (reg_… or usr_…)
  kind text not null check (kind in ('registration', 'recording', 'marketing')),
  version integer not null,
  accepted_at timestamptz not null,
  withdrawn_at timestamptz
);
create index consent_records_person_idx on consent_records(person_id, kind);

-- Retention of each data class per organization (days), overriding the configured defaults.
create table privacy_retention (
  org_id text not null references organizations(id) on delete cascade,
  data_class text not null check (data_class in ('registrations', 'chat', 'attendance', 'recordings', 'ip_addresses', 'audit_log')),
  days integer not null check (days >= 1),
  updated_at timestamptz not null default now(),
  primary key (org_id, data_class)
);

-- Data-subject access requests: a one-time download link sent to the email asked for.
create table privacy_requests (
  token_hash text primary key,               -- sha-256 of the emailed token
  subject_ref text not null,                 -- personal data: pseudonymous (HMAC of the email)
  email text not null,                       -- personal data: contact (needed to build the export; removed when used or expired)
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);
create index privacy_requests_expiry_idx on privacy_requests(expires_at);

-- Recordings an erased person may appear in (voice, face, name in the timeline), for the host to
-- cut or delete. No foreign key: recordings (migration 005) may be removed first, by the host.
create table recording_erasure_flags (
  recording_id text not null,
  subject_ref text not null,                 -- personal data: pseudonymous (HMAC of the email)
  flagged_at timestamptz not null,
  resolved_at timestamptz,
  resolution text check (resolution in ('cut', 'deleted', 'kept')),
  primary key (recording_id, subject_ref)
);
