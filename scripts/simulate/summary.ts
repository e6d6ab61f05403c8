/**
 * The last line of a run: what was planned, what happened (faults by kind, including the ones the upstream
 * produced by itself: pending outcomes, late refunds, duplicated / reordered / dropped callbacks), payments by
 * status, and the number of violations.
 */
import type { SimArgs } from './args.js';
import type { CheckNotes } from './checks.js';
import type { DrainResult } from './drain.js';
import type { Evidence } from './evidence.js';
import type { LoadResult } from './load.js';
import type { World } from './onboarding.js';
import type { Plan } from './plan.js';
import { summaryLine } from './report.js';
import type { Stack } from './stack.js';

const tally = <T>(items: readonly T[], key: (item: T) => string) => {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
};

interface CallbackCounts {
  duplicated: number;
  heldForOrder: number;
  dropped: number;
}

async function callbackCounts(stack: Stack): Promise<CallbackCounts> {
  const response = await fetch(`${stack.sandboxUrl}/_sandbox/stats?refs=0`).catch(() => undefined);
  const stats = (await response?.json().catch(() => undefined)) as
    Record<string, { callbacks?: CallbackCounts }> | undefined;
  const sum = (k: keyof CallbackCounts) =>
    (stats?.digiflazz?.callbacks?.[k] ?? 0) + (stats?.iak?.callbacks?.[k] ?? 0);
  return { duplicated: sum('duplicated'), heldForOrder: sum('heldForOrder'), dropped: sum('dropped') };
}

export async function summarize(input: {
  args: SimArgs;
  plan: Plan;
  stack: Stack;
  evidence: Evidence;
  load: LoadResult;
  drained: DrainResult;
  notes: CheckNotes;
  world: World;
  violations: number;
}): Promise<string> {
  const { args, plan, stack, evidence, load, drained } = input;
  const txns = [...evidence.truth.truth.digiflazz.transactions, ...evidence.truth.truth.iak.transactions];
  const callbacks = await callbackCounts(stack);
  const driver = load.driver;
  const faults: Record<string, number> = {
    ...load.faults.counts,
    pending_to_success: txns.filter(
      (t) => (t.scenario === '1039' || t.scenario === '1099') && t.state === 'success',
    ).length,
    pending_to_failure: txns.filter((t) => t.scenario === '1040' && t.state === 'failed').length,
    late_refund: txns.filter((t) => t.state === 'refunded').length,
    answer_lost_but_paid: txns.filter((t) => t.scenario === '1105' && t.paidAt !== null).length,
    max_price_refused: txns.filter(
      (t) => t.rc === '02' && t.state === 'failed' && t.debits === 0 && /^pln\d+$/.test(t.sku),
    ).length,
    callback_duplicated: callbacks.duplicated,
    callback_out_of_order: callbacks.heldForOrder,
    callback_dropped: callbacks.dropped,
    failover: evidence.attempts.filter((a) => a.attempt_no > 1).length,
    pln_cut_off_refused:
      (driver.inquiryAnswers.PRODUCT_CUT_OFF ?? 0) + (driver.payAnswers.PRODUCT_CUT_OFF ?? 0),
    treasurer_resolved_success: load.treasurer.resolvedSuccess,
    treasurer_resolved_failed: load.treasurer.resolvedFailed,
    client_retries_same_key: input.world.retries.retries,
    process_restarts: [...stack.apis, ...stack.workers].reduce((n, c) => n + c.starts - 1, 0),
  };
  return summaryLine({
    seed: args.seed,
    seconds: args.seconds,
    payments: evidence.payments.length,
    faults,
    violations: input.violations,
    byStatus: tally(evidence.payments, (p) => p.status),
    cashAtCounter: tally(
      evidence.payments.filter((p) => p.funding === 'cash'),
      (p) => p.status,
    ),
    intents: plan.intents.length,
    scenarios: tally(plan.intents, (i) => i.suffix),
    products: tally(plan.intents, (i) => i.product),
    inquiryAnswers: driver.inquiryAnswers,
    payAnswers: driver.payAnswers,
    unanswered: driver.unanswered,
    deposits: driver.deposits,
    attempts: evidence.attempts.length,
    treasurer: load.treasurer,
    uploads: load.uploads.map((u) => ({
      dialect: u.dialect,
      shape: u.shape,
      rows: u.rows,
      status: u.status,
    })),
    refundsAwaitingRecon: input.notes.refundsAwaitingRecon,
    drainMs: drained.ms,
    drainTimedOut: drained.timedOut,
    api: args.api,
    workers: args.workers,
    wibDays: [stack.clock.previousDay, stack.clock.nextDay],
    plnCutOff: stack.clock.cutOff,
    reviewColumn: evidence.reviewColumn,
  });
}
