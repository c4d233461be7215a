import { PROTOCOL_VERSION, health } from '@podium/protocol';
import type { AppContext } from '../context';
import type { ApiRegistry } from './api-registry';

/** Version of this Podium build. */
export const PODIUM_VERSION = '0.1.0';

/** Registers health and other system routes. */
export function registerSystemRoutes(api: ApiRegistry, ctx: AppContext): void {
  api.handle(health, async () => ({
    status: 'ok' as const,
    version: PODIUM_VERSION,
    protocolVersion: PROTOCOL_VERSION,
    store: ctx.sql.kind,
    mail: ctx.mailer.mode,
  }));
}
