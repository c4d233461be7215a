import type { AppContext } from '../context';
import type { ApiRegistry } from '../http/api-registry';

/** Registers this domain's API routes. */
export function registerOrgRoutes(api: ApiRegistry, ctx: AppContext): void {
  void api;
  void ctx;
}
