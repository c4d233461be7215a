-- Foundation: accounts, organizations, events, registrations, mail, jobs.
-- Columns holding personal data are marked "personal data" (the GDPR registry builds on these marks).

create table users (
  id text primary key,
  email text not null,                      -- personal data: contact
  email_lower text not null unique,         -- personal data: contact (lookup form)
  name text not null,                       -- personal data: identity
  password_hash text not null,              -- personal data: credential (argon2id)
  locale text,
  is_instance_admin boolean not null default false,
  created_at timestamptz not null default now()
);

create table sessions (
  token_hash text primary key,              -- sha-256 of the cookie value; the value itself is never stored
  user_id text not null references users(id) on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  last_seen_at timestamptz not null default now()
);
create index sessions_user_idx on sessions(user_id);
create index sessions_expiry_idx on sessions(expires_at);

create table password_resets (
  token_hash text primary key,
  user_id text not null references users(id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
-- A password change deletes all of the user's reset links.
create index password_resets_user_idx on password_resets(user_id);

create table organizations (
  id text primary key,
  name text not null,
  slug text not null unique,
  data_region text not null,
  created_at timestamptz not null default now()
);

create table memberships (
  org_id text not null references organizations(id) on delete cascade,
  user_id text not null references users(id) on delete cascade,
  role text not null check (role in ('host', 'admin', 'owner')),
  created_at timestamptz not null default now(),
  primary key (org_id, user_id)
);
create index memberships_user_idx on memberships(user_id);

create table invitations (
  id text primary key,
  org_id text not null references organizations(id) on delete cascade,
  email text not null,                      -- personal data: contact
  email_lower text not null,                -- personal data: contact (lookup form)
  role text not null check (role in ('host', 'admin', 'owner')),
  token_hash text not null unique,
  invited_by text references users(id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  accepted_at timestamptz,
  revoked_at timestamptz
);
create index invitations_org_idx on invitations(org_id, created_at);

create table api_keys (
  id text primary key,
  org_id text not null references organizations(id) on delete cascade,
  name text not null,
  prefix text not null,
  key_hash text not null unique,            -- sha-256 of the secret; the secret is shown once
  created_by text references users(id) on delete set null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz
);
create index api_keys_org_idx on api_keys(org_id, created_at);

create table events (
  id text primary key,
  org_id text not null references organizations(id) on delete cascade,
  type text not null check (type in ('webinar', 'meeting', 'training')),
  title text not null,
  description text not null default '',
  agenda jsonb not null default '[]',
  starts_at timestamptz not null,
  duration_minutes integer not null,
  time_zone text not null,
  capacity integer,
  access_mode text not null check (access_mode in ('open', 'registration', 'password', 'invitation')),
  password_hash text,
  status text not null default 'scheduled' check (status in ('scheduled', 'live', 'ended', 'cancelled')),
  registration_fields jsonb not null default '[]',
  consent_version integer not null default 1,
  revision integer not null default 1,      -- raised by every change to the event: cached copies compare it
  created_by text references users(id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index events_org_start_idx on events(org_id, starts_at);

-- Free seats of an event with a capacity, spread over up to 16 rows: concurrent registrations each
-- take a seat from a row nobody else holds (SKIP LOCKED) instead of queueing on one counter.
create table event_seat_pools (
  event_id text not null references events(id) on delete cascade,
  pool smallint not null,
  remaining integer not null check (remaining >= 0),
  primary key (event_id, pool)
);

-- Every version of an event's consent text; registrations point at the version they accepted.
create table consent_versions (
  event_id text not null references events(id) on delete cascade,
  version integer not null,
  text text not null,
  created_at timestamptz not null default now(),
  primary key (event_id, version)
);

create table event_presenters (
  event_id text not null references events(id) on delete cascade,
  email text not null,                      -- personal data: contact
  email_lower text not null,                -- personal data: contact (lookup form)
  created_at timestamptz not null default now(),
  primary key (event_id, email_lower)
);

create table event_invitees (
  event_id text not null references events(id) on delete cascade,
  email text not null,                      -- personal data: contact
  email_lower text not null,                -- personal data: contact (lookup form)
  created_at timestamptz not null default now(),
  primary key (event_id, email_lower)
);
create index event_invitees_list_idx on event_invitees(event_id, created_at, email_lower);

create table registrations (
  id text primary key,
  event_id text not null references events(id) on delete cascade,
  -- The event's organization, copied for tenant-scoped queries. No foreign key of its own: the
  -- event's already cascades, and a second one would lock the organization row on every registration.
  org_id text not null,
  email text not null,                      -- personal data: contact
  email_lower text not null,                -- personal data: contact (lookup form)
  name text not null,                       -- personal data: identity
  fields jsonb not null default '{}',       -- personal data: answers to custom fields
  role text not null default 'attendee' check (role in ('attendee', 'presenter')),
  consent_version integer not null,
  consent_at timestamptz not null,
  locale text,
  ip_prefix text,                           -- personal data: network (truncated to /24 or /48)
  created_at timestamptz not null default now(),
  unique (event_id, email_lower)
);
create index registrations_event_idx on registrations(event_id, created_at, id);

create table mail_outbox (
  id text primary key,
  org_id text references organizations(id) on delete cascade,
  to_address text not null,                 -- personal data: contact
  subject text not null,
  text_body text not null,                  -- personal data: may hold names and links
  html_body text,                           -- personal data: may hold names and links
  attachments jsonb not null default '[]',  -- personal data: files such as .ics invitations may hold names and links
  status text not null check (status in ('queued', 'sent', 'failed', 'stored')),
  attempts integer not null default 0,
  last_error text,                          -- SMTP reply of the last failure, email addresses scrubbed
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
-- Keyset pagination, newest first: (created_at, id) per organization and for the whole installation.
create index mail_outbox_org_idx on mail_outbox(org_id, created_at, id);
create index mail_outbox_created_idx on mail_outbox(created_at, id);

-- Durable background jobs: claimed with a lease, retried with back-off, survive restarts.
create table jobs (
  id text primary key,
  kind text not null,
  payload jsonb not null default '{}',
  dedupe_key text unique,
  run_at timestamptz not null,
  attempts integer not null default 0,
  max_attempts integer not null default 5,
  locked_until timestamptz,
  last_error text,
  created_at timestamptz not null default now(),
  done_at timestamptz
);
create index jobs_due_idx on jobs(run_at) where done_at is null;
