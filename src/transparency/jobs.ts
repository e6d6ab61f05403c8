/**
 * The daily ledger job: just after midnight WIB (CHECKPOINT_CRON) the worker signs a checkpoint of every book
 * for the day that ended, then verifies the whole ledger and records the outcome. Idempotent: a daily
 * checkpoint exists once per book and day, so a retry, a second worker or a re-run writes nothing twice.
 */
import { previousWibDate, wibDate } from '../clock.js';
import type { Deps } from '../deps.js';
import { takeCheckpoints } from './checkpoints.js';
import { runVerification } from './verification.js';

export const LEDGER_DAILY = 'ledger-daily';
const SCHEDULER_ID = 'daily-ledger-checkpoint';

export async function scheduleDailyCheckpoint(deps: Pick<Deps, 'queues' | 'config'>): Promise<void> {
  await deps.queues.recon.upsertJobScheduler(
    SCHEDULER_ID,
    { pattern: deps.config.CHECKPOINT_CRON, tz: 'Asia/Jakarta' },
    {
      name: LEDGER_DAILY,
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

/** Checkpoint the day that ended before `now` (WIB), then verify. */
export async function dailyLedgerJob(deps: Pick<Deps, 'db' | 'signer' | 'clock' | 'log'>) {
  const now = deps.clock.now();
  const day = previousWibDate(wibDate(now));
  const written = await takeCheckpoints({ db: deps.db, signer: deps.signer, now }, { day, kind: 'daily' });
  const verification = await runVerification(deps, { source: 'worker' });
  deps.log.info({ day, checkpoints: written.length, verified: verification.ok }, 'daily ledger checkpoint');
  if (!verification.ok) deps.log.error({ day }, 'LEDGER VERIFICATION FAILED: run `pintu ledger verify`');
  return { day, checkpoints: written.length, verified: verification.ok };
}
