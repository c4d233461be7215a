/**
 * The embedded media plane (`npm start`): SFU worker threads in this process, placed by
 * EmbeddedPlacement, served to signaling by SfuMediaHandler. Workers start on the first media
 * request; if they cannot start, media messages answer MEDIA_UNAVAILABLE and the server runs on.
 */
import type { Logger } from 'pino';
import type { SfuWorker } from '@podium/sfu';
import type { Bus } from '../bus/bus';
import type { Config } from '../config/schema';
import { udpEndpoint } from './media-status';
import { EmbeddedPlacement } from './placement';
import { SfuMediaHandler } from './sfu-media-handler';
import { WorkerPool } from './worker-pool';

/** Parts a caller may change (tests). */
export interface EmbeddedMediaOptions {
  /** Participants per router before an event opens another one (default 500). */
  participantsPerRouter?: number;
  /** Participants before an event spreads over all workers (default from config). */
  spreadAfterParticipants?: number;
  /** Starts one worker (default: a worker thread). */
  startWorker?: () => Promise<SfuWorker>;
}

/** Builds the embedded media plane from configuration. */
export function createEmbeddedMedia(config: Config, bus: Bus, log: Logger, o: EmbeddedMediaOptions = {}): SfuMediaHandler {
  let handler: SfuMediaHandler | undefined;
  let placement: EmbeddedPlacement | undefined;
  const pool = new WorkerPool({
    count: config.mediaWorkers,
    log,
    start: o.startWorker,
    onExit: (w) => {
      placement?.forgetWorker(w);
      handler?.workerExited(w);
    },
  });
  // 0.0.0.0 cannot be announced: without a configured public address, announce loopback (local use).
  const announcedIp = config.mediaAnnouncedIp || (config.mediaListenIp === '0.0.0.0' ? '127.0.0.1' : config.mediaListenIp);
  placement = new EmbeddedPlacement({
    pool,
    participantsPerRouter: o.participantsPerRouter ?? config.mediaParticipantsPerRouter,
    spreadAfterParticipants: o.spreadAfterParticipants ?? config.mediaSpreadAfterParticipants,
    router: { transport: { listenIp: config.mediaListenIp, announcedIp, portRange: [config.mediaPortMin, config.mediaPortMax], udpPort: config.mediaUdpPort, tcpPort: config.mediaTcpPort } },
  });
  handler = new SfuMediaHandler({ placement, bus, log, endpoints: { announcedIp, udp: udpEndpoint(config), tcpPort: config.mediaTcpPort } });
  return handler;
}
