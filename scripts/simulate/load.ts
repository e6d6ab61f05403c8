/**
 * The load phase: the members' intents and the treasurers' deposits at their planned times, the faults, the
 * settlement uploads after midnight, and the treasurer loop (which goes on through the drain).
 */
import type { ClockPlan } from './clock.js';
import { newDriverStats, onSchedule, runDeposit, runIntent, type DriverStats } from './driver.js';
import { runFault, type FaultLog } from './faults.js';
import type { World } from './onboarding.js';
import type { Plan, PlannedUpload } from './plan.js';
import type { Violation } from './report.js';
import { uploadSettlement, type UploadResult } from './settlement.js';
import type { Stack } from './stack.js';
import { treasurerLoop, type TreasurerStats } from './treasurer.js';

export interface LoadResult {
  driver: DriverStats;
  faults: FaultLog;
  treasurer: TreasurerStats;
  uploads: UploadResult[];
  /** The uploads planned for the drain ("late"); resolves when they are done. */
  lateUploads(): Promise<void>;
  stopTreasurers(): Promise<void>;
  violations(): Violation[];
}

export async function runLoad(
  stack: Stack,
  world: World,
  plan: Plan,
  clock: ClockPlan,
  log: (line: string) => void,
): Promise<LoadResult> {
  const start = Date.now();
  const driver = newDriverStats();
  const faults: FaultLog = { counts: {}, violations: [], log };
  const treasurer: TreasurerStats = {
    looked: 0,
    resolvedSuccess: 0,
    resolvedFailed: 0,
    raced: 0,
    waiting: 0,
  };
  const uploads: UploadResult[] = [];
  let treasurersStopped = false;
  const treasurers = treasurerLoop(stack, world, clock, treasurer, () => treasurersStopped);

  const upload = async (planned: PlannedUpload) => {
    const result = await uploadSettlement(stack, planned, plan.seed).catch((error: unknown) => {
      log(`settlement ${planned.shape} ${planned.dialect} failed: ${String(error)}`);
      return undefined;
    });
    if (result === undefined) return;
    uploads.push(result);
    if (result.status === 200)
      faults.counts[`settlement_${result.shape}`] = (faults.counts[`settlement_${result.shape}`] ?? 0) + 1;
    else
      log(
        `settlement ${planned.shape} ${planned.dialect} answered ${result.status ?? 'nothing'}: ${JSON.stringify(result.summary).slice(0, 300)}`,
      );
  };

  let lastLog = 0;
  const ticker = setInterval(() => {
    if (Date.now() - lastLog < 10_000) return;
    lastLog = Date.now();
    log(
      `load: ${driver.intents}/${plan.intents.length} intents, ${driver.payments.size} payments, faults ${JSON.stringify(faults.counts)}`,
    );
  }, 1_000);
  await Promise.all([
    onSchedule(plan.intents, start, (intent) => runIntent(world, intent, driver)),
    onSchedule(plan.deposits, start, (d) => runDeposit(world, d, driver)),
    onSchedule(plan.faults, start, (f) => runFault(stack, f, faults), 1_000),
    onSchedule(
      plan.uploads.filter((u) => u.shape !== 'late'),
      start,
      upload,
    ),
  ]);
  clearInterval(ticker);
  const drainStart = Date.now();
  const late = plan.uploads
    .filter((u) => u.shape === 'late')
    .map((u) => ({ ...u, at: u.at - plan.seconds * 1000 }));

  return {
    driver,
    faults,
    treasurer,
    uploads,
    lateUploads: () => onSchedule(late, drainStart, upload),
    async stopTreasurers() {
      treasurersStopped = true;
      await treasurers;
    },
    violations: () => [...driver.violations, ...faults.violations],
  };
}
