-- Recordings of live events. A row is written when recording starts ('recording'); each published
-- track gets a recording_tracks row when its recorder starts. On stop the WebM files and the
-- timeline JSON go to the BlobStore under orgs/<org>/recordings/<rec>/... ('processing', then
-- 'ready'); the composed MP4 is made by a durable job (mp4_status). Retention deletes the blobs
-- and marks the row 'expired'. Deleting a row (or its event or organization) queues its blobs in
-- blob_deletions, so no object is forgotten. Columns holding personal data are marked
-- "personal data".

create table recordings (
  id text primary key,
  org_id text not null references organizations(id) on delete cascade,
  event_id text not null references events(id) on delete cascade,
  status text not null check (status in ('recording', 'processing', 'ready', 'failed', 'expired')),
  started_at timestamptz not null,
  ended_at timestamptz,
  duration_ms bigint check (duration_ms >= 0),
  started_by text,                          -- personal data: identity (the host's person id: usr_… or a registration)
  error text,
  timeline_key text,                        -- personal data: content (names, chat and questions of the room)
  timeline_size bigint check (timeline_size >= 0),
  mp4_status text not null default 'pending' check (mp4_status in ('pending', 'running', 'ready', 'failed')),
  mp4_progress real not null default 0 check (mp4_progress >= 0 and mp4_progress <= 1),
  mp4_error text,
  mp4_key text,                             -- personal data: content (voices, faces)
  mp4_size bigint check (mp4_size >= 0),
  expires_at timestamptz,                   -- retention: deleted after this (null: kept until deleted by hand)
  retention_set boolean not null default false, -- expires_at was set by a host, not from the organization's default
  warned_at timestamptz,                    -- the hosts were warned of the coming deletion
  publish_nonce text,                       -- the publish token is an HMAC of id and nonce: no token is stored
  publish_expires_at timestamptz,
  created_at timestamptz not null
);
create index recordings_org_idx on recordings(org_id, started_at desc, id);
create index recordings_event_idx on recordings(event_id, started_at desc, id);
create index recordings_expiry_idx on recordings(expires_at) where status <> 'expired';

create table recording_tracks (
  id text primary key,
  recording_id text not null references recordings(id) on delete cascade,
  kind text not null check (kind in ('audio', 'video', 'screen')),
  participant_id text not null,
  display_name text not null,               -- personal data: identity (who published the track)
  producer_id text not null,
  codec text not null,
  status text not null check (status in ('recording', 'ready', 'failed')),
  offset_ms bigint not null default 0 check (offset_ms >= 0),
  duration_ms bigint not null default 0 check (duration_ms >= 0),
  size bigint not null default 0 check (size >= 0),
  width integer,
  height integer,
  dropped_packets bigint not null default 0,
  blob_key text,                            -- personal data: content (voice, face, screen)
  created_at timestamptz not null
);
create index recording_tracks_recording_idx on recording_tracks(recording_id, created_at, id);

create function queue_recording_track_blob_deletion() returns trigger language plpgsql as $$ begin if old.blob_key is not null then insert into blob_deletions (blob_key) values (old.blob_key) on conflict do nothing; end if; return old; end $$;

create trigger recording_tracks_queue_blob_deletion after delete on recording_tracks for each row execute function queue_recording_track_blob_deletion();

create function queue_recording_blob_deletion() returns trigger language plpgsql as $$ begin if old.timeline_key is not null then insert into blob_deletions (blob_key) values (old.timeline_key) on conflict do nothing; end if; if old.mp4_key is not null then insert into blob_deletions (blob_key) values (old.mp4_key) on conflict do nothing; end if; return old; end $$;

create trigger recordings_queue_blob_deletion after delete on recordings for each row execute function queue_recording_blob_deletion();
