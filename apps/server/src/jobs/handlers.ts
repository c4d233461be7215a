import type { AppContext } from '../context';
import { registerMailJobs } from '../mail/jobs';
import { registerRegistrationJobs } from '../registrations/jobs';
import { registerPrivacyRetentionJob } from '../privacy/retention';

/** Registers the handler of every job kind. */
export function registerJobHandlers(ctx: AppContext): void {
  registerMailJobs(ctx);
  registerRegistrationJobs(ctx);
  registerPrivacyRetentionJob(ctx);
}
