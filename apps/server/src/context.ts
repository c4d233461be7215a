import type { Logger } from 'pino';
import type { Config } from './config/schema';
import type { Sql } from './storage/sql';
import type { Mailer } from './mail/mailer';
import type { JobQueue } from './jobs/queue';
import type { Secrets } from './security/secrets';
import type { Bus } from './bus/bus';
import type { BlobStore } from './storage/blob-store';

/** What every service and route of the control plane is given at start-up (no globals). */
export interface AppContext {
  config: Config;
  sql: Sql;
  log: Logger;
  mailer: Mailer;
  jobs: JobQueue;
  secrets: Secrets;
  /** Pub/sub between the parts of the control plane: REST routes tell live rooms of changes through it. */
  bus: Bus;
  /** Where uploaded files keep their bytes. */
  blobs: BlobStore;
  /** Current time; tests pass a controllable clock. */
  now(): Date;
}
