import type { FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import type { Config } from './config/schema';
import type { AppContext } from './context';
import type { MediaStatus } from '@podium/protocol';
import { buildApp } from './http/app';
import { SqlJobQueue } from './jobs/sql-job-queue';
import { OutboxMailer } from './mail/outbox-mailer';
import { registerJobHandlers } from './jobs/handlers';
import { LocalBus } from './bus/local-bus';
import { createEmbeddedMedia } from './media/embedded-media';
import { iceServersFromConfig } from './media/ice-servers';
import { installSignaling, type SignalingServer } from './signaling/endpoint';
import type { MediaSignalingHandler } from './signaling/media-handler';
import { loadSecrets, type Secrets } from './security/secrets';
import { openStore } from './storage/open';
import { openBlobStore } from './storage/open-blob-store';
import type { BlobStore } from './storage/blob-store';
import type { Sql } from './storage/sql';
import { RoutedBlobStore } from './storage/routed-blob-store';
import { auditResidencyRefusals } from './privacy/residency';
import { RecordingService } from './recordings/recorder';
import type { RecordingTaps } from './recordings/ports';
import { registerRecordingRetentionJob, scheduleRetention } from './recordings/retention';
import { registerMp4Job } from './recordings/mp4-job';
import { defaultRoomPorts } from './rooms/room-ports';

/** A running control plane. */
export interface PodiumServer {
  app: FastifyInstance;
  ctx: AppContext;
  /** The signaling WebSocket endpoint (closed with the app). */
  signaling: SignalingServer;
  /** The media plane behind signaling (the embedded SFU unless one was given or media is disabled). */
  media: MediaSignalingHandler | undefined;
  /** Records rooms (taps on the media plane when it has them). */
  recordings: RecordingService;
  /** Listens on the configured host and port; returns the bound URL. */
  listen(): Promise<string>;
  /** Stops accepting requests, stops jobs, closes the store. */
  close(): Promise<void>;
}

/** Parts a caller may provide instead of the configured ones (tests). */
export interface ServerOverrides {
  sql?: Sql;
  log?: Logger;
  secrets?: Secrets;
  now?: () => Date;
  /** Where files are stored instead of the configured BlobStore. */
  blobs?: BlobStore;
  /** The media plane's signaling handler; without one, media messages answer MEDIA_UNAVAILABLE. */
  media?: MediaSignalingHandler;
}

/** Builds the control plane from configuration: store, mail, jobs, HTTP app. */
export async function createServer(config: Config, o: ServerOverrides = {}): Promise<PodiumServer> {
  // Checked before anything opens: a bad STUN/TURN setting stops the start with a clear message.
  const iceServers = o.media || config.mediaEnabled ? iceServersFromConfig(config) : undefined;
  const log = o.log ?? pino({ level: config.logLevel, redact: ['req.headers.cookie', 'req.headers.authorization'] });
  const sql = o.sql ?? (await openStore(config));
  const now = o.now ?? (() => new Date());
  const jobs = new SqlJobQueue({ sql, log, now });
  const mailer = new OutboxMailer(sql, jobs, config.smtpUrl ? 'smtp' : 'outbox');
  const secrets = o.secrets ?? loadSecrets(config.secret, config.dataDir);
  // One bus for REST routes, signaling and the media plane: rooms hear of changes through their coordinator.
  const bus = new LocalBus();
  const blobs = o.blobs ?? openBlobStore(config, sql);
  const ctx: AppContext = { config, sql, log, mailer, jobs, secrets, bus, blobs, now };
  // Every write refused for crossing an organization's data boundary goes to the GDPR audit log.
  if (blobs instanceof RoutedBlobStore) blobs.router.onRefused(auditResidencyRefusals(ctx));
  registerJobHandlers(ctx);
  registerMp4Job(ctx);
  registerRecordingRetentionJob(ctx);
  const ownMedia = !o.media && config.mediaEnabled ? createEmbeddedMedia(config, bus, log) : undefined;
  const media = o.media ?? ownMedia;
  const mediaStatus = media && 'status' in media && typeof media.status === 'function' ? () => (media as { status(): Promise<MediaStatus> }).status() : undefined;
  const app = await buildApp(ctx, { mediaStatus });
  const taps = media && 'startTap' in media ? (media as MediaSignalingHandler & RecordingTaps) : undefined;
  const recordings = new RecordingService(ctx, taps);
  // Recordings a previous run left unfinished (it crashed) are salvaged, or marked failed, before any
  // room records again (salvaging reads each track file once: seconds for hours of recording).
  await recordings.recover();
  await scheduleRetention(ctx);
  const signaling = installSignaling(app, ctx, { media, bus, roomPorts: { ...defaultRoomPorts(ctx), recorder: recordings }, ...(iceServers ? { iceServers } : {}) });
  let closed = false;
  return {
    app,
    ctx,
    signaling,
    media,
    recordings,
    async listen() {
      await app.listen({ port: config.port, host: config.host });
      if (config.jobs) jobs.start();
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.port;
      return `http://${config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host}:${port}`;
    },
    async close() {
      if (closed) return;
      closed = true;
      await jobs.stop();
      await app.close();
      // After the rooms closed (their recordings stopped): wait for the files to be stored.
      await recordings.close();
      // After signaling closed (every participant's media released): stop the SFU workers, then the bus.
      await ownMedia?.close();
      await bus.close();
      if (!o.sql) await sql.close();
    },
  };
}
