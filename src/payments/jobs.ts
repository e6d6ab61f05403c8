/**
 * Payment jobs. The job id is the payment id (then `<id>-<seq>` for each reschedule), so enqueueing is
 * idempotent: the API after commit, the relay and a reschedule can all add the same job safely.
 */
import { z } from 'zod';
import type { Config } from '../config.js';
import type { Deps } from '../deps.js';
import { takeOverdue } from './repository.js';

export const paymentJobSchema = z.strictObject({
  paymentId: z.string().uuid(),
  seq: z.number().int().min(0),
});
export type PaymentJob = z.infer<typeof paymentJobSchema>;

export const PAYMENT_JOB = 'pay';

export const jobIdFor = (job: PaymentJob): string =>
  job.seq === 0 ? job.paymentId : `${job.paymentId}-${job.seq}`;

/** Unexpected errors (database down…) are retried with backoff; the work itself is idempotent. */
const jobOptions = (config: Config) =>
  ({
    attempts: config.JOB_ATTEMPTS,
    backoff: { type: 'exponential', delay: config.JOB_BACKOFF_MS },
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600 },
  }) as const;

/** Enqueue without failing the caller: if Redis is down the outbox relay enqueues it later. */
export async function enqueueSafely(
  deps: Pick<Deps, 'queues' | 'log' | 'config'>,
  job: PaymentJob,
  delayMs = 0,
): Promise<void> {
  try {
    await deps.queues.payments.add(PAYMENT_JOB, job, {
      ...jobOptions(deps.config),
      jobId: jobIdFor(job),
      delay: Math.max(0, delayMs),
    });
  } catch (err) {
    deps.log.warn({ err, paymentId: job.paymentId }, 'enqueue failed; the outbox relay will retry');
  }
}

/**
 * The outbox relay: every outbox row overdue by `graceMs` whose job is gone gets it back. Covers a
 * crash between commit and enqueue, a flushed or restarted Redis, and a job that used up its retries
 * (a database outage): BullMQ ignores an add whose job id exists in ANY state, failed included, so a
 * finished job is removed first. A job still waiting or running is left alone: re-queueing it would
 * only send the payment to the back of a backlog.
 */
export async function relayOverdue(
  deps: Pick<Deps, 'db' | 'queues' | 'log' | 'config' | 'clock'>,
  graceMs = 5_000,
  limit = 500,
): Promise<number> {
  const rows = await takeOverdue(deps.db, deps.clock.now(), graceMs, limit, 30_000);
  if (rows.length === 0) return 0;
  const queue = deps.queues.payments;
  const jobs = rows.map((r) => ({ paymentId: r.payment_id, seq: r.seq }));
  const states = await Promise.all(
    jobs.map(async (job) => ({ job, state: await queue.getJobState(jobIdFor(job)) })),
  );
  const gone = states.filter(
    ({ state }) => state === 'unknown' || state === 'failed' || state === 'completed',
  );
  await Promise.all(
    gone.filter(({ state }) => state !== 'unknown').map(({ job }) => queue.remove(jobIdFor(job))),
  );
  const lost = gone.map(({ job }) => job);
  if (lost.length === 0) return 0;
  await queue.addBulk(
    lost.map((job) => ({
      name: PAYMENT_JOB,
      data: job,
      opts: { ...jobOptions(deps.config), jobId: jobIdFor(job) },
    })),
  );
  deps.log.info({ count: lost.length }, 'outbox relay re-enqueued payments');
  return lost.length;
}
