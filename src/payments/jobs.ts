/**
 * Payment jobs. The job id is the payment id (then `<id>-<seq>` for each reschedule), so enqueueing is
 * idempotent: the API after commit, the relay and a reschedule can all add the same job safely.
 */
import type { Queue } from 'bullmq';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import { takeOverdue } from './repository.js';

export const paymentJobSchema = z.strictObject({ paymentId: z.string().uuid(), seq: z.number().int().min(0) });
export type PaymentJob = z.infer<typeof paymentJobSchema>;

export const PAYMENT_JOB = 'pay';

export const jobIdFor = (job: PaymentJob): string => (job.seq === 0 ? job.paymentId : `${job.paymentId}-${job.seq}`);

const JOB_OPTIONS = {
  // Unexpected errors (database down…) are retried; the work itself is idempotent.
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: true,
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

export async function enqueuePayment(queue: Queue, job: PaymentJob, delayMs = 0): Promise<void> {
  await queue.add(PAYMENT_JOB, job, { ...JOB_OPTIONS, jobId: jobIdFor(job), delay: Math.max(0, delayMs) });
}

/** Enqueue without failing the caller: if Redis is down the outbox relay enqueues it later. */
export async function enqueueSafely(deps: Pick<Deps, 'queues' | 'log'>, job: PaymentJob, delayMs = 0): Promise<void> {
  try {
    await enqueuePayment(deps.queues.payments, job, delayMs);
  } catch (err) {
    deps.log.warn({ err, paymentId: job.paymentId }, 'enqueue failed; the outbox relay will retry');
  }
}

/**
 * The outbox relay: every outbox row overdue by `graceMs` gets its job (re)added. Covers a crash
 * between commit and enqueue, a flushed or restarted Redis, and a worker that died holding a lease.
 */
export async function relayOverdue(deps: Pick<Deps, 'db' | 'queues' | 'log'>, graceMs = 5_000, limit = 500): Promise<number> {
  const rows = await takeOverdue(deps.db, graceMs, limit, 30_000);
  if (rows.length === 0) return 0;
  await deps.queues.payments.addBulk(
    rows.map((r) => {
      const job = { paymentId: r.payment_id, seq: r.seq };
      return { name: PAYMENT_JOB, data: job, opts: { ...JOB_OPTIONS, jobId: jobIdFor(job) } };
    }),
  );
  deps.log.info({ count: rows.length }, 'outbox relay re-enqueued payments');
  return rows.length;
}
