import type { AppContext } from '../context';

/** Registers this domain's background job handlers. */
export function registerRegistrationJobs(ctx: AppContext): void {
  void ctx;
}
