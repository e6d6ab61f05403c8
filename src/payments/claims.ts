/**
 * The payment loop of a worker process: claim due outbox rows (with their jobs' state, in one statement) and run
 * each one's step, up to WORKER_CONCURRENCY at a time. It looks again when a payment is accepted (the live event
 * the API publishes after the commit), when a step ends while rows were left due, and every `pollMs` (the due
 * time of a reschedule, a lease run out, a missed event). Safe in any number of processes: a row is claimed by
 * one of them (SKIP LOCKED), and a worker that dies holding one gives it back when its lease runs out.
 */
import type { Deps } from '../deps.js';
import { claimDueJobs, type JobState } from './job-state.js';
import type { PaymentJob } from './jobs.js';
import { runPaymentStep } from './pipeline.js';
import { retryOutboxAt } from './repository.js';

export interface PaymentLoop {
  /** Stop claiming, and wait for the steps already running. */
  close(): Promise<void>;
}

/** The errors remembered per payment, for the backoff; forgotten beyond this many (the lease still retries). */
const MAX_REMEMBERED_FAILURES = 10_000;

/**
 * New payments heard within this window wake one claim. Every worker process hears every new payment, and each claim
 * is a statement: without the window, M workers send M claims per payment (M − 1 of them find nothing); with it, a
 * worker claims at most once per window, and under load each claim takes several payments.
 */
const WAKE_WINDOW_MS = 5;

export function startPaymentLoop(deps: Deps, options: { pollMs: number }): PaymentLoop {
  const { WORKER_CONCURRENCY: concurrency, UPSTREAM_TIMEOUT_MS, JOB_BACKOFF_MS } = deps.config;
  // A step may wait for an upstream answer up to UPSTREAM_TIMEOUT_MS: the lease outlives it.
  const leaseMs = UPSTREAM_TIMEOUT_MS + 30_000;
  const running = new Set<Promise<void>>();
  const failures = new Map<string, number>();
  let stopped = false;
  let claiming: Promise<void> | undefined;
  let again = false;
  /** The last claim took all it asked for: more rows may be due, so a freed slot looks again. */
  let backlog = false;

  const runOne = async ({ job, work }: { job: PaymentJob; work: JobState }) => {
    const log = deps.log.child({ queue: 'payments', paymentId: job.paymentId, seq: job.seq });
    try {
      await runPaymentStep(deps, job, work, log);
      failures.delete(job.paymentId);
    } catch (err) {
      // Unexpected (the database went away mid-step…): the step is idempotent, so it runs again, with backoff.
      const count = (failures.get(job.paymentId) ?? 0) + 1;
      if (failures.size >= MAX_REMEMBERED_FAILURES) failures.clear();
      failures.set(job.paymentId, count);
      const retryInMs = Math.min(JOB_BACKOFF_MS * 2 ** Math.min(count - 1, 20), leaseMs);
      log.error({ err, failures: count, retryInMs }, 'payment step failed; it runs again later');
      await retryOutboxAt(deps.db, job, new Date(deps.clock.now().getTime() + retryInMs)).catch(
        (retryErr: unknown) =>
          log.warn({ err: retryErr }, 'could not reschedule the failed step; its lease brings it back'),
      );
    }
  };

  const claimOnce = async () => {
    do {
      again = false;
      const free = concurrency - running.size;
      if (stopped || free <= 0) return;
      const now = deps.clock.now();
      const claimed = await claimDueJobs(deps, now, new Date(now.getTime() + leaseMs), free);
      backlog = claimed.length === free;
      for (const one of claimed) {
        const step: Promise<void> = runOne(one).finally(() => {
          running.delete(step);
          if (backlog) claim();
        });
        running.add(step);
      }
    } while (again);
  };

  /** Claim now, or once more right after the claim in flight (never two at once in one process). */
  const claim = () => {
    if (claiming) {
      again = true;
      return;
    }
    claiming = claimOnce()
      .catch((err: unknown) => deps.log.warn({ err }, 'claiming payment jobs failed; trying again shortly'))
      .finally(() => {
        claiming = undefined;
      });
  };

  let wakeTimer: NodeJS.Timeout | undefined;
  const wake = () => {
    if (wakeTimer || stopped) return;
    wakeTimer = setTimeout(() => {
      wakeTimer = undefined;
      claim();
    }, WAKE_WINDOW_MS);
  };
  const unsubscribe = deps.events.subscribe((event) => {
    if (event.type === 'payment' && event.status === 'processing') wake();
  });
  const timer = setInterval(claim, options.pollMs);
  claim();

  return {
    async close() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(wakeTimer);
      unsubscribe();
      await claiming;
      await Promise.all([...running]);
    },
  };
}
