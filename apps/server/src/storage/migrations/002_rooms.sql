-- The live room: settings and stage, chat, Q&A, polls, attendance, bans, the event's audit trail and
-- the collaborative documents (Yjs). A "person" is who a join token names: a registration (reg_…)
-- or, for hosts, a user (usr_…); votes, attendance and bans belong to the person, so they hold
-- across reconnects. Columns holding personal data are marked "personal data".

create table event_rooms (
  event_id text primary key references events(id) on delete cascade,
  settings jsonb not null,
  stage jsonb not null,
  started_at timestamptz,
  ended_at timestamptz,
  updated_at timestamptz not null default now()
);

create table room_chat_messages (
  id text primary key,
  event_id text not null references events(id) on delete cascade,
  from_person text not null,                -- personal data: identity (registration or user id)
  from_name text not null,                  -- personal data: identity
  from_role text not null check (from_role in ('host', 'presenter', 'attendee')),
  to_kind text not null check (to_kind in ('everyone', 'hosts', 'direct')),
  to_person text,                           -- personal data: identity (a host's private reply)
  to_name text,                             -- personal data: identity
  text text not null,                       -- personal data: what the person wrote
  sent_at timestamptz not null,
  deleted_at timestamptz,
  deleted_by text                           -- personal data: identity (the host who deleted it)
);
create index room_chat_event_idx on room_chat_messages(event_id, sent_at, id);
create index room_chat_person_idx on room_chat_messages(event_id, from_person);

create table room_questions (
  id text primary key,
  event_id text not null references events(id) on delete cascade,
  person_id text not null,                  -- personal data: identity
  author_name text not null,                -- personal data: identity
  author_role text not null check (author_role in ('host', 'presenter', 'attendee')),
  text text not null,                       -- personal data: what the person asked
  anonymous boolean not null,
  status text not null check (status in ('open', 'answered', 'answered-live', 'dismissed')),
  votes integer not null default 0 check (votes >= 0),
  answer_text text,                         -- personal data: what the host answered
  answered_by text,                         -- personal data: identity (name of who answered)
  answered_at timestamptz,
  asked_at timestamptz not null
);
create index room_questions_event_idx on room_questions(event_id, asked_at, id);

create table room_question_votes (
  question_id text not null references room_questions(id) on delete cascade,
  person_id text not null,                  -- personal data: identity
  voted_at timestamptz not null,
  primary key (question_id, person_id)
);

create table room_polls (
  id text primary key,
  event_id text not null references events(id) on delete cascade,
  question text not null,
  options jsonb not null,
  multiple boolean not null,
  status text not null check (status in ('draft', 'live', 'closed')),
  results_shared boolean not null default false,
  created_by text,                          -- personal data: identity (person who prepared it)
  created_at timestamptz not null,
  launched_at timestamptz,
  closed_at timestamptz
);
create index room_polls_event_idx on room_polls(event_id, created_at, id);

-- One vote per person and poll; totals are counted from these rows (an erased person's row can be
-- pseudonymized without changing the totals).
create table room_poll_votes (
  poll_id text not null references room_polls(id) on delete cascade,
  person_id text not null,                  -- personal data: identity
  choice jsonb not null,
  voted_at timestamptz not null,
  primary key (poll_id, person_id)
);

create table room_attendance (
  id text primary key,
  event_id text not null references events(id) on delete cascade,
  person_id text not null,                  -- personal data: identity
  participant_id text not null,
  display_name text not null,               -- personal data: identity
  role text not null check (role in ('host', 'presenter', 'attendee')),
  joined_at timestamptz not null,
  left_at timestamptz
);
create index room_attendance_event_idx on room_attendance(event_id, person_id, joined_at);
create index room_attendance_open_idx on room_attendance(participant_id) where left_at is null;

create table event_bans (
  event_id text not null references events(id) on delete cascade,
  person_id text not null,                  -- personal data: identity
  display_name text not null,               -- personal data: identity
  banned_by text not null,                  -- personal data: identity (the host's person id)
  created_at timestamptz not null,
  primary key (event_id, person_id)
);

-- What hosts did in the room (moderation, lifecycle, settings), in order.
create table event_audit (
  id text primary key,
  event_id text not null references events(id) on delete cascade,
  at timestamptz not null,
  actor_person text,                        -- personal data: identity
  actor_name text,                          -- personal data: identity
  action text not null,
  target_person text,                       -- personal data: identity
  target_name text,                         -- personal data: identity
  details jsonb not null default '{}'
);
create index event_audit_event_idx on event_audit(event_id, at, id);

-- Collaborative documents (Yjs): a compacted state plus the updates applied since, so every
-- accepted update is on disk before it is acknowledged and a restarted room converges.
create table room_docs (
  event_id text not null references events(id) on delete cascade,
  doc text not null check (doc in ('board', 'notes')),
  state bytea not null,                     -- personal data: drawings and notes people wrote
  updated_at timestamptz not null default now(),
  primary key (event_id, doc)
);

create table room_doc_updates (
  id bigint generated always as identity primary key,
  event_id text not null references events(id) on delete cascade,
  doc text not null check (doc in ('board', 'notes')),
  update bytea not null,                    -- personal data: drawings and notes people wrote
  created_at timestamptz not null default now()
);
create index room_doc_updates_idx on room_doc_updates(event_id, doc, id);
