-- Files attached to events: slides (shown on stage) and handouts (downloaded by attendees). Their
-- bytes live in the BlobStore under blob_key. A row is written before its bytes ('uploading') and
-- becomes 'ready' once they are stored and checked, so every stored object has a row: a crash
-- mid-upload leaves an 'uploading' row, which the sweeper removes together with its bytes.
-- event_id is nullable for the organization's file library to come. Columns holding personal data
-- are marked "personal data".

create table files (
  id text primary key,
  org_id text not null references organizations(id) on delete cascade,
  event_id text references events(id) on delete cascade,
  purpose text not null check (purpose in ('slides', 'handout')),
  status text not null check (status in ('uploading', 'ready')),
  name text not null,                       -- personal data: may name people (the uploaded file's name, sanitized)
  content_type text,                        -- decided from the bytes, never from the name or the request
  size bigint check (size >= 0),
  sha256 text check (sha256 ~ '^[0-9a-f]{64}$'),
  page_count integer check (page_count >= 1),
  blob_key text not null unique,            -- personal data: the stored bytes may hold any (documents people uploaded)
  uploaded_by text references users(id) on delete set null, -- personal data: identity (who uploaded; null for API keys)
  created_at timestamptz not null,
  check (status = 'uploading' or (content_type is not null and size is not null and sha256 is not null))
);
create index files_event_idx on files(event_id, created_at, id) where status = 'ready';
create index files_org_idx on files(org_id);
create index files_uploading_idx on files(created_at) where status = 'uploading';

-- Objects whose file row is gone (deleted, or cascaded with its event or organization), still to
-- be removed from the BlobStore. Queued in the deleting transaction, so no object is forgotten.
create table blob_deletions (
  blob_key text primary key,
  queued_at timestamptz not null default now()
);

create function queue_file_blob_deletion() returns trigger language plpgsql as $$ begin insert into blob_deletions (blob_key) values (old.blob_key) on conflict do nothing; return old; end $$;

create trigger files_queue_blob_deletion after delete on files for each row execute function queue_file_blob_deletion();
