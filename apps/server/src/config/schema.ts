import { Type, type Static } from '@sinclair/typebox';

/** A jurisdiction tag of a store, e.g. `eu` (the jurisdictions of the data regions: eu, uk, us). */
const Jurisdiction = Type.String({ pattern: '^[a-z]{2,8}$' });

/** S3 settings of a store (path-style by default: works with any S3-compatible service). */
const S3StoreOptions = Type.Object({
  endpoint: Type.String({ pattern: '^https?://[^\\s/]+/?$' }),
  bucket: Type.String({ pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' }),
  region: Type.String({ minLength: 1, default: 'us-east-1' }),
  accessKeyId: Type.String({ minLength: 1 }),
  secretAccessKey: Type.String({ minLength: 1 }),
  prefix: Type.String({ pattern: '^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*/)*$', default: '' }),
  pathStyle: Type.Boolean({ default: true }),
}, { additionalProperties: false });

/** One of several stores: where it is, what jurisdiction it is under, and how to reach it. */
export const StoreConfigSchema = Type.Object({
  id: Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,31}$' }),
  kind: Type.Union([Type.Literal('local'), Type.Literal('s3')]),
  /** Where the store is, e.g. `eu-central-1` (shown to operators; the jurisdiction decides). */
  region: Type.String({ minLength: 1 }),
  jurisdiction: Jurisdiction,
  /** Data regions this store serves (default: every region of its jurisdiction that no other store names). */
  dataRegions: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
  /** Folder of a local store (default `<dataDir>/blobs-<id>`). */
  dir: Type.Optional(Type.String({ minLength: 1 })),
  s3: Type.Optional(S3StoreOptions),
}, { additionalProperties: false });
/** One configured store. */
export type StoreConfig = Static<typeof StoreConfigSchema>;

/** Every setting Podium reads, with its environment variable. Documented in docs/configuration.md. */
export const ConfigSchema = Type.Object({
  /** Port of the HTTP server. */
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  /** Address to listen on. */
  host: Type.String({ minLength: 1, default: '0.0.0.0' }),
  /** Public base URL used in emails and links. */
  publicUrl: Type.String({ pattern: '^https?://[^\\s/]+(?::\\d+)?(?:/[^\\s]*)?$', default: 'http://localhost:8080' }),
  /** Folder for the embedded database and files. */
  dataDir: Type.String({ minLength: 1, default: './data' }),
  /** PostgreSQL connection string; empty means the embedded PGlite store in dataDir. */
  databaseUrl: Type.String({ default: '' }),
  /** Secret for signing join links and tokens (at least 32 characters); generated into dataDir when empty. */
  secret: Type.String({ default: '' }),
  /** SMTP URL (smtp://user:pass@host:port or smtps://…); empty keeps mail in the outbox only. */
  smtpUrl: Type.String({ default: '' }),
  /** Sender address of Podium's emails. */
  mailFrom: Type.String({ minLength: 3, default: 'Podium <no-reply@localhost>' }),
  /** Log level. */
  logLevel: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), { default: 'info' }),
  /** Whether cookies carry the Secure flag (set true behind HTTPS). */
  secureCookies: Type.Boolean({ default: false }),
  /** Session lifetime in hours. */
  sessionHours: Type.Integer({ minimum: 1, maximum: 24 * 90, default: 24 * 14 }),
  /** Requests per minute per IP on rate-limited routes (sign-in, sign-up, registration). */
  authRateLimitPerMinute: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 20 }),
  /** Requests per minute per IP on all other routes. */
  rateLimitPerMinute: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 1200 }),
  /** Trust X-Forwarded-For from a reverse proxy. */
  trustProxy: Type.Boolean({ default: false }),
  /** How long before an event reminder emails are sent, in minutes (comma-separated). */
  reminderMinutes: Type.Array(Type.Integer({ minimum: 1, maximum: 60 * 24 * 30 }), { default: [1440, 60] }),
  /** Serve the web app from this folder (built by `npm run build:web`). */
  webDir: Type.String({ default: 'apps/web/dist' }),
  /** Run the background job runner in this process. */
  jobs: Type.Boolean({ default: true }),
  /** Interval of the signaling WebSocket's pings (ms); a connection silent for two intervals is dropped. */
  signalHeartbeatMs: Type.Integer({ minimum: 50, maximum: 600_000, default: 10_000 }),
  /** Signaling WebSocket connections one client address may hold at once. */
  signalMaxConnectionsPerIp: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 200 }),
  /** Largest signaling message accepted (bytes). */
  signalMaxFrameBytes: Type.Integer({ minimum: 1024, maximum: 1_048_576, default: 65_536 }),
  /** Sustained signaling messages per second one connection may send (bursts of twice as many). */
  signalMessagesPerSecond: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 50 }),
  /** Participants one live room may hold. */
  roomMaxParticipants: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 5_000 }),
  /** Live rooms one server coordinates at once. */
  maxLiveRooms: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1_000 }),
  /** Serve media (SFU worker threads in this process); false answers media messages with MEDIA_UNAVAILABLE. */
  mediaEnabled: Type.Boolean({ default: true }),
  /** SFU worker threads; 0 means one per CPU core. */
  mediaWorkers: Type.Integer({ minimum: 0, maximum: 256, default: 0 }),
  /** Participants one SFU router serves before a live event opens another router (on the least-loaded worker) and pipes tracks to it. */
  mediaParticipantsPerRouter: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 500 }),
  /** Participants a live event has before it spreads over every SFU worker (a router per worker, newcomers on the least populated one). */
  mediaSpreadAfterParticipants: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 50 }),
  /** IP the media UDP ports bind to. */
  mediaListenIp: Type.String({ minLength: 1, default: '0.0.0.0' }),
  /** IP announced to clients in ICE candidates (the public address); empty announces mediaListenIp. */
  mediaAnnouncedIp: Type.String({ default: '' }),
  /** Lowest UDP port of the media range. */
  mediaPortMin: Type.Integer({ minimum: 1024, maximum: 65535, default: 40000 }),
  /** Highest UDP port of the media range. */
  mediaPortMax: Type.Integer({ minimum: 1024, maximum: 65535, default: 49999 }),
  /** One UDP port per SFU worker instead of one per transport: worker i uses this + i for all its transports; 0 = ports from the range. */
  mediaUdpPort: Type.Integer({ minimum: 0, maximum: 65535, default: 0 }),
  /** ICE-TCP: first TCP port (worker i listens on this + i, shared by its transports; passive candidates, RFC 6544); 0 = off. */
  mediaTcpPort: Type.Integer({ minimum: 0, maximum: 65535, default: 0 }),
  /** STUN URLs handed to clients (stun:host:port); empty hands out none, so no public STUN server is contacted. */
  mediaStunUrls: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
  /** TURN URLs handed to clients with time-limited credentials (turn:host:3478?transport=udp, turns:host:443?transport=tcp). */
  mediaTurnUrls: Type.Array(Type.String({ minLength: 1 }), { default: [] }),
  /** Secret shared with the TURN server (coturn static-auth-secret), at least 16 characters. */
  mediaTurnSecret: Type.String({ default: '' }),
  /** Lifetime of a TURN credential, seconds. */
  mediaTurnCredentialTtlSeconds: Type.Integer({ minimum: 60, maximum: 7 * 86_400, default: 86_400 }),
  /** Folder of stored files (slides, handouts); empty means `<dataDir>/blobs`. */
  blobDir: Type.String({ default: '' }),
  /** Where the single store keeps objects: local disk (blobDir) or an S3-compatible bucket (storageS3*). Ignored when storageStores is set. */
  storageKind: Type.Union([Type.Literal('local'), Type.Literal('s3')], { default: 'local' }),
  /** Where the single store is (a label for operators, e.g. `eu-central-1`). */
  storageRegion: Type.String({ minLength: 1, default: 'local' }),
  /** Jurisdiction of the single store: only organizations whose data region belongs to it may store data. */
  storageJurisdiction: Type.String({ pattern: '^[a-z]{2,8}$', default: 'eu' }),
  /** S3 endpoint of the single store, e.g. `https://s3.eu-central-1.amazonaws.com`. */
  storageS3Endpoint: Type.String({ default: '' }),
  /** S3 bucket of the single store. */
  storageS3Bucket: Type.String({ default: '' }),
  /** S3 signing region of the single store. */
  storageS3Region: Type.String({ minLength: 1, default: 'us-east-1' }),
  /** S3 access key id of the single store. */
  storageS3AccessKeyId: Type.String({ default: '' }),
  /** S3 secret access key of the single store. */
  storageS3SecretAccessKey: Type.String({ default: '' }),
  /** Prefix of everything the single store writes in its bucket ('' or ending in `/`). */
  storageS3Prefix: Type.String({ pattern: '^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*/)*$', default: '' }),
  /** Path-style S3 URLs (`endpoint/bucket/key`); false for virtual-host style (`bucket.endpoint/key`). */
  storageS3PathStyle: Type.Boolean({ default: true }),
  /** Several stores (JSON list of {id, kind, region, jurisdiction, dataRegions?, dir?, s3?}); each organization's data region picks one. Empty: the single store above. */
  storageStores: Type.Array(StoreConfigSchema, { default: [] }),
  /** Encrypt every stored object (AES-256-GCM, a data key per object wrapped by a master key). */
  storageEncrypt: Type.Boolean({ default: true }),
  /** Master keys as `id:base64` (32 bytes each), comma-separated; empty with local storage: one generated into dataDir. */
  storageMasterKeys: Type.Array(Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=$' }), { default: [] }),
  /** Id of the master key new objects are encrypted under (default: the only configured key). */
  storageActiveKeyId: Type.String({ pattern: '^(?:[A-Za-z0-9_-]{1,32})?$', default: '' }),
  /** Bytes of files one organization may store (file library quota); 0 means no limit. An organization's own quota overrides it. */
  fileQuotaBytes: Type.Integer({ minimum: 0, maximum: 2 ** 50, default: 10 * 1024 ** 3 }),
  /** Largest file one upload may carry (bytes). */
  fileMaxUploadBytes: Type.Integer({ minimum: 1024, maximum: 10 * 1024 ** 3, default: 100 * 1024 ** 2 }),
  /** Most pages a PDF may have. */
  filePdfMaxPages: Type.Integer({ minimum: 1, maximum: 100_000, default: 500 }),
  /** Time budget for checking one PDF (ms); a PDF that takes longer is refused. */
  filePdfTimeoutMs: Type.Integer({ minimum: 100, maximum: 600_000, default: 20_000 }),
  /** Files one event may hold. */
  fileMaxPerEvent: Type.Integer({ minimum: 1, maximum: 100_000, default: 100 }),
  /** ffmpeg for the composed MP4 of recordings; empty looks for `ffmpeg` on the PATH. */
  ffmpegPath: Type.String({ default: '' }),
  /** Folder where tracks are written while recording (then moved to the BlobStore); empty means `<dataDir>/recording-spool`. */
  recordingSpoolDir: Type.String({ default: '' }),
  /** Days a recording is kept before retention deletes it, unless its organization or a host sets otherwise; 0 keeps recordings until deleted by hand. */
  recordingRetentionDays: Type.Integer({ minimum: 0, maximum: 36_500, default: 90 }),
  /** Days before retention deletes a recording that its event's hosts are warned by email. */
  recordingWarnDays: Type.Integer({ minimum: 0, maximum: 365, default: 7 }),
  /** Days registrations are kept after their event ended, unless the organization sets otherwise (GDPR retention). */
  retentionRegistrationsDays: Type.Integer({ minimum: 1, maximum: 36_500, default: 365 }),
  /** Days chat messages and questions are kept after their event ended. */
  retentionChatDays: Type.Integer({ minimum: 1, maximum: 36_500, default: 180 }),
  /** Days attendance (join/leave) is kept after its event ended. */
  retentionAttendanceDays: Type.Integer({ minimum: 1, maximum: 36_500, default: 365 }),
  /** Days a registration keeps its truncated network prefix (/24, /48) for abuse protection. */
  retentionIpDays: Type.Integer({ minimum: 1, maximum: 3_650, default: 7 }),
  /** Days the audit log of personal-data processing is kept (installation-wide: the chain is one). */
  retentionAuditLogDays: Type.Integer({ minimum: 30, maximum: 36_500, default: 730 }),
});
/** Validated configuration. */
export type Config = Static<typeof ConfigSchema>;

/** Environment variable of each setting. */
export const ENV_NAMES: Record<keyof Config, string> = {
  port: 'PORT',
  host: 'HOST',
  publicUrl: 'PODIUM_PUBLIC_URL',
  dataDir: 'PODIUM_DATA_DIR',
  databaseUrl: 'DATABASE_URL',
  secret: 'PODIUM_SECRET',
  smtpUrl: 'SMTP_URL',
  mailFrom: 'MAIL_FROM',
  logLevel: 'LOG_LEVEL',
  secureCookies: 'PODIUM_SECURE_COOKIES',
  sessionHours: 'PODIUM_SESSION_HOURS',
  authRateLimitPerMinute: 'PODIUM_AUTH_RATE_LIMIT',
  rateLimitPerMinute: 'PODIUM_RATE_LIMIT',
  trustProxy: 'PODIUM_TRUST_PROXY',
  reminderMinutes: 'PODIUM_REMINDER_MINUTES',
  webDir: 'PODIUM_WEB_DIR',
  jobs: 'PODIUM_JOBS',
  signalHeartbeatMs: 'PODIUM_SIGNAL_HEARTBEAT_MS',
  signalMaxConnectionsPerIp: 'PODIUM_SIGNAL_MAX_CONNECTIONS_PER_IP',
  signalMaxFrameBytes: 'PODIUM_SIGNAL_MAX_FRAME_BYTES',
  signalMessagesPerSecond: 'PODIUM_SIGNAL_MESSAGES_PER_SECOND',
  roomMaxParticipants: 'PODIUM_ROOM_MAX_PARTICIPANTS',
  maxLiveRooms: 'PODIUM_MAX_LIVE_ROOMS',
  mediaEnabled: 'PODIUM_MEDIA_ENABLED',
  mediaWorkers: 'PODIUM_MEDIA_WORKERS',
  mediaParticipantsPerRouter: 'PODIUM_MEDIA_PARTICIPANTS_PER_ROUTER',
  mediaSpreadAfterParticipants: 'PODIUM_MEDIA_SPREAD_AFTER_PARTICIPANTS',
  mediaListenIp: 'PODIUM_MEDIA_LISTEN_IP',
  mediaAnnouncedIp: 'PODIUM_MEDIA_ANNOUNCED_IP',
  mediaPortMin: 'PODIUM_MEDIA_PORT_MIN',
  mediaPortMax: 'PODIUM_MEDIA_PORT_MAX',
  mediaUdpPort: 'PODIUM_MEDIA_UDP_PORT',
  mediaTcpPort: 'PODIUM_MEDIA_TCP_PORT',
  mediaStunUrls: 'PODIUM_MEDIA_STUN_URLS',
  mediaTurnUrls: 'PODIUM_MEDIA_TURN_URLS',
  mediaTurnSecret: 'PODIUM_MEDIA_TURN_SECRET',
  mediaTurnCredentialTtlSeconds: 'PODIUM_MEDIA_TURN_CREDENTIAL_TTL_SECONDS',
  blobDir: 'PODIUM_BLOB_DIR',
  storageKind: 'PODIUM_STORAGE_KIND',
  storageRegion: 'PODIUM_STORAGE_REGION',
  storageJurisdiction: 'PODIUM_STORAGE_JURISDICTION',
  storageS3Endpoint: 'PODIUM_STORAGE_S3_ENDPOINT',
  storageS3Bucket: 'PODIUM_STORAGE_S3_BUCKET',
  storageS3Region: 'PODIUM_STORAGE_S3_REGION',
  storageS3AccessKeyId: 'PODIUM_STORAGE_S3_ACCESS_KEY_ID',
  storageS3SecretAccessKey: 'PODIUM_STORAGE_S3_SECRET_ACCESS_KEY',
  storageS3Prefix: 'PODIUM_STORAGE_S3_PREFIX',
  storageS3PathStyle: 'PODIUM_STORAGE_S3_PATH_STYLE',
  storageStores: 'PODIUM_STORAGE_STORES',
  storageEncrypt: 'PODIUM_STORAGE_ENCRYPT',
  storageMasterKeys: 'PODIUM_STORAGE_MASTER_KEYS',
  storageActiveKeyId: 'PODIUM_STORAGE_ACTIVE_KEY_ID',
  fileQuotaBytes: 'PODIUM_FILE_QUOTA_BYTES',
  fileMaxUploadBytes: 'PODIUM_FILE_MAX_UPLOAD_BYTES',
  filePdfMaxPages: 'PODIUM_FILE_PDF_MAX_PAGES',
  filePdfTimeoutMs: 'PODIUM_FILE_PDF_TIMEOUT_MS',
  fileMaxPerEvent: 'PODIUM_FILE_MAX_PER_EVENT',
  ffmpegPath: 'PODIUM_FFMPEG_PATH',
  recordingSpoolDir: 'PODIUM_RECORDING_SPOOL_DIR',
  recordingRetentionDays: 'PODIUM_RECORDING_RETENTION_DAYS',
  recordingWarnDays: 'PODIUM_RECORDING_WARN_DAYS',
  retentionRegistrationsDays: 'PODIUM_RETENTION_REGISTRATIONS_DAYS',
  retentionChatDays: 'PODIUM_RETENTION_CHAT_DAYS',
  retentionAttendanceDays: 'PODIUM_RETENTION_ATTENDANCE_DAYS',
  retentionIpDays: 'PODIUM_RETENTION_IP_DAYS',
  retentionAuditLogDays: 'PODIUM_RETENTION_AUDIT_LOG_DAYS',
};
