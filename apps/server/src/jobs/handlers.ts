import type { AppContext } from '../context';
import { registerMailJobs } from '../mail/jobs';
import { registerRegistrationJobs } from '../registrations/jobs';
import { registerMp4Job } from '../recordings/mp4-job';
import { registerRetentionJob } from '../recordings/retention';
import { registerRetentionJob } from '../privacy/retention';

/** Registers the handler of every job kind. */
export function registerJobHandlers(ctx: AppContext): void {
  registerMailJobs(ctx);
  registerRegistrationJobs(ctx);
  registerMp4Job(ctx);
  registerRetentionJob(ctx);
  registerRetentionJob(ctx);
}
