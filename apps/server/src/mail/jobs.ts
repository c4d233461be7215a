import type { AppContext } from '../context';

/** Registers this domain's background job handlers. */
export function registerMailJobs(ctx: AppContext): void {
  void ctx;
}
