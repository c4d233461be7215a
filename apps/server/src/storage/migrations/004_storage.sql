-- Storage: an organization's own file library quota, in bytes, overriding the configured default
-- (fileQuotaBytes); null follows the default, 0 means no limit. Counted from the sizes of its
-- ready files.
alter table organizations add column file_quota_bytes bigint check (file_quota_bytes >= 0);
