import { PROTOCOL_VERSION, health, mediaStatus, type MediaStatus } from '@podium/protocol';
import type { AppContext } from '../context';
import { udpEndpoint } from '../media/media-status';
import type { ApiRegistry } from './api-registry';

/** Version of this Podium build. */
export const PODIUM_VERSION = '0.1.0';

/** Parts of the server the system routes report on. */
export interface SystemRouteParts {
  /** The media plane's status; absent when media is off. */
  mediaStatus?: () => Promise<MediaStatus>;
}

/** Registers health, the media status and other system routes. */
export function registerSystemRoutes(api: ApiRegistry, ctx: AppContext, parts: SystemRouteParts = {}): void {
  api.handle(health, async () => ({
    status: 'ok' as const,
    version: PODIUM_VERSION,
    protocolVersion: PROTOCOL_VERSION,
    store: ctx.sql.kind,
    mail: ctx.mailer.mode,
  }));
  api.handle(mediaStatus, async () => {
    if (parts.mediaStatus) return parts.mediaStatus();
    const c = ctx.config;
    return {
      enabled: false, workers: [], events: 0, routers: 0, announcedIp: c.mediaAnnouncedIp,
      udp: udpEndpoint(c),
      tcpPort: c.mediaTcpPort,
    };
  });
}
