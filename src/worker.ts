/**
 * The worker process: payment jobs (claimed from the outbox), the daily jobs, the ledger sealer. Everything here is
 * safe to kill at any instant and to run in several copies.
 */
import { Worker } from 'bullmq';
import { autodebetTick } from './autodebet/scheduler.js';
import type { Deps } from './deps.js';
import { purgeIdempotencyKeys } from './idempotency/index.js';
import { sealBatch } from './ledger/sealing.js';
import { startPaymentLoop } from './payments/claims.js';
import { createRedis } from './queue/connections.js';
import { QUEUES } from './queue/names.js';
import { processReconJob, scheduleDailyReconciliation } from './recon/jobs.js';
import { LEDGER_DAILY, dailyLedgerJob, scheduleDailyCheckpoint } from './transparency/jobs.js';

export interface RunningWorkers {
  close(): Promise<void>;
}

/** Run `task` every `intervalMs`, never overlapping itself; errors are logged and the loop goes on. */
export function every(
  deps: Pick<Deps, 'log'>,
  name: string,
  intervalMs: number,
  task: () => Promise<unknown>,
) {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = () => {
    if (stopped) return;
    running = task()
      .catch((err: unknown) => deps.log.warn({ err, loop: name }, 'background loop failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  timer = setTimeout(tick, intervalMs);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

export interface WorkerOptions {
  /** How often the payment loop looks for due outbox rows when nothing woke it (default WORKER_POLL_MS). */
  pollIntervalMs?: number;
  sealIntervalMs?: number;
}

export function startWorkers(deps: Deps, options: WorkerOptions = {}): RunningWorkers {
  const connection = createRedis(deps.config.REDIS_URL, 'worker', 'worker');
  connection.on('error', (err: Error) => deps.log.warn({ err: err.message }, 'worker redis error'));
  const payments = startPaymentLoop(deps, { pollMs: options.pollIntervalMs ?? deps.config.WORKER_POLL_MS });

  // The daily queue: reconciliation, and the ledger's checkpoint and verification.
  const recon = new Worker(
    QUEUES.recon,
    (job) => (job.name === LEDGER_DAILY ? dailyLedgerJob(deps) : processReconJob(deps, job)),
    {
      connection,
      prefix: deps.config.REDIS_PREFIX,
      concurrency: 1,
      lockDuration: 10 * 60_000,
    },
  );
  recon.on('error', (err) => deps.log.warn({ err: err.message }, 'recon worker error'));
  recon.on('failed', (job, err) => deps.log.warn({ err: err.message, jobId: job?.id }, 'recon job failed'));
  // Re-upserted now and then: a flushed or replaced Redis would otherwise forget the schedule.
  const scheduleAll = () => Promise.all([scheduleDailyReconciliation(deps), scheduleDailyCheckpoint(deps)]);
  const schedule = every(deps, 'recon-schedule', 10 * 60_000, scheduleAll);
  scheduleAll().catch((err: unknown) => deps.log.warn({ err }, 'could not schedule the daily jobs'));

  const purge = every(deps, 'idempotency-purge', 5 * 60_000, () =>
    purgeIdempotencyKeys(
      deps.db,
      new Date(deps.clock.now().getTime() - deps.config.IDEMPOTENCY_TTL_HOURS * 3_600_000),
    ),
  );
  const sealer = every(deps, 'sealer', options.sealIntervalMs ?? 500, async () => {
    // Drain in batches; one sealer at a time across all workers (advisory lock inside).
    while ((await sealBatch(deps.db, 2_000)) === 2_000);
  });
  const autodebet = every(deps, 'autodebet', deps.config.AUTODEBET_INTERVAL_MS, () => autodebetTick(deps));
  return {
    async close() {
      // Stop taking jobs; let the active ones finish (or hand them back when the grace runs out).
      await Promise.all([payments.close(), recon.close()]);
      await schedule.stop();
      await purge.stop();
      await sealer.stop();
      await autodebet.stop();
      connection.disconnect();
    },
  };
}
