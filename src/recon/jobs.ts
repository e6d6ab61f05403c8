/**
 * Scheduled reconciliation: a BullMQ job scheduler fires every morning (RECON_CRON, Asia/Jakarta)
 * and reconciles yesterday for every adapter. The scheduler is upserted at worker start and again
 * periodically, so a flushed Redis gets it back.
 */
import { UnrecoverableError } from 'bullmq';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { reconcileYesterday, runReconciliation } from './service.js';

export const RECON_DAILY = 'recon-daily';
export const RECON_RUN = 'recon-run';
const SCHEDULER_ID = 'daily-reconciliation';

const runSchema = z.strictObject({
  adapter: z.string().min(1),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

export async function scheduleDailyReconciliation(deps: Pick<Deps, 'queues' | 'config'>): Promise<void> {
  await deps.queues.recon.upsertJobScheduler(
    SCHEDULER_ID,
    { pattern: deps.config.RECON_CRON, tz: 'Asia/Jakarta' },
    {
      name: RECON_DAILY,
      data: {},
      opts: {
        attempts: 6,
        backoff: { type: 'exponential', delay: 60_000 },
        removeOnComplete: 100,
        removeOnFail: 100,
      },
    },
  );
}

export async function processReconJob(deps: Deps, job: { name: string; data: unknown }): Promise<unknown> {
  if (job.name === RECON_DAILY) {
    const results = await reconcileYesterday(deps);
    // Retry the job (with backoff) while an upstream's file is not there yet; the done ones are idempotent.
    const failed = results.filter((r) => !r.ok);
    if (failed.length > 0)
      throw new Error(
        `reconciliation incomplete: ${failed.map((f) => `${f.adapter}: ${f.error}`).join('; ')}`,
      );
    return results;
  }
  if (job.name === RECON_RUN) {
    const parsed = runSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid recon job: ${parsed.error.message}`);
    const result = await runReconciliation(deps, { ...parsed.data, trigger: 'job' });
    return result.recon;
  }
  throw new UnrecoverableError(`unknown recon job ${job.name}`);
}
