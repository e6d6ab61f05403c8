/**
 * Applying what an upstream (or a callback, the treasurer, reconciliation) said about one upstream
 * attempt of a payment: the state machine's decision in one transaction on the locked payment row,
 * then the follow-ups (the next job, live events) after commit. The worker's job steps are in
 * pipeline.ts.
 *
 * The money rules this file enforces (docs/ARCHITECTURE.md, "The money rules"):
 * - every attempt is judged on its own: an answer about attempt 1 never settles attempt 2's money;
 * - a member is refunded only on proof that no upstream kept the money (a definitive failure, a
 *   "never received" the caller has aged, a refund), anything else keeps the hold;
 * - failover excludes every adapter already tried, is bounded, and only follows attempts that
 *   provably created nothing upstream;
 * - an open payment always has a next step: a job (outbox row) or a person (review_reason).
 */
import type { PayOutcome, StatusOutcome } from '../billers/port.js';
import type { Route } from '../billers/registry.js';
import { recordAudit, type AuditEntry } from '../audit.js';
import { type Tx, withTransaction } from '../db/client.js';
import type { Deps } from '../deps.js';
import type { Logger } from '../logger.js';
import { publishPaymentChange } from './notify.js';
import {
  type AttemptRow,
  type PaymentRow,
  deleteOutbox,
  lockPayment,
  flagForReview,
  listAttempts,
  rescheduleOutbox,
  updateAttempt,
} from './repository.js';
import { isFinal } from './lifecycle.js';
import { markSuspect, refundSuccess, settleFailure, settleSuccess } from './settle.js';

export type PipelineDeps = Pick<
  Deps,
  | 'db'
  | 'database'
  | 'ledger'
  | 'clock'
  | 'billers'
  | 'log'
  | 'metrics'
  | 'config'
  | 'events'
  | 'catalog'
  | 'redis'
>;

/** Upstream transactions one payment may create at most, each at another adapter. */
export const MAX_ATTEMPTS = 3;

/** Poll delay: about as long as the attempt has been open (so polls double), 2 s at first, 1 h at most. */
export const pollDelayMs = (deps: Pick<Deps, 'config'>, openForMs: number) =>
  Math.min(Math.max(deps.config.POLL_INITIAL_MS, openForMs), 3_600_000);

/** An answer that says the upstream gave the money back after it had taken it. */
export const reverses = (outcome: PayOutcome | StatusOutcome) =>
  outcome.kind === 'refunded' || (outcome.kind === 'failed' && outcome.transactionCreated);

export type AttemptKey = Pick<AttemptRow, 'attemptNo'>;
export type Decided = { payment: PaymentRow };
export type Applied = Decided & { before: PaymentRow };
export interface DecideOptions {
  /** The failure code to record instead of UPSTREAM_<rc> (a treasurer's resolution). */
  failureCode?: string;
}

/**
 * Apply what the upstream said about one attempt. One transaction, payment row locked. Enqueues the
 * next job (poll or failover) and publishes the change after commit.
 */
export async function applyOutcome(
  deps: PipelineDeps,
  paymentId: string,
  attempt: AttemptKey,
  outcome: PayOutcome | StatusOutcome,
  log: Logger,
  options: { audit?: (before: PaymentRow, after: PaymentRow) => AuditEntry } = {},
): Promise<Applied | undefined> {
  const applied = await withTransaction(deps.db, async (tx): Promise<Applied | undefined> => {
    const payment = await lockPayment(tx, paymentId);
    if (!payment) return undefined;
    const decided = await decide(deps, tx, payment, attempt, outcome);
    if (options.audit && payment.status !== decided.payment.status) {
      await recordAudit(tx, options.audit(payment, decided.payment));
    }
    return { before: payment, ...decided };
  });
  if (applied) {
    log.info(
      { paymentId, outcome: outcome.kind, rc: outcome.rc, status: applied.payment.status },
      'payment outcome applied',
    );
    await followUp(deps, applied);
  }
  return applied;
}

/** After commit: live events when the status moved (the next step, if any, is its outbox row's due time). */
export async function followUp(deps: PipelineDeps, applied: Applied): Promise<void> {
  if (applied.before.status !== applied.payment.status) await publishPaymentChange(deps, applied.payment);
}

/**
 * The state machine's decision for one outcome about attempt `key`, inside the caller's transaction
 * on the locked `payment` row.
 */
export async function decide(
  deps: PipelineDeps,
  tx: Tx,
  payment: PaymentRow,
  key: AttemptKey,
  outcome: PayOutcome | StatusOutcome,
  options: DecideOptions = {},
): Promise<Decided> {
  const attempts = await listAttempts(tx, payment.id);
  const attempt = attempts.find((a) => a.attemptNo === key.attemptNo);
  if (!attempt) return { payment };
  const now = deps.clock.now();
  const note = (state: AttemptRow['state'], extra: Partial<AttemptRow> = {}) =>
    updateAttempt(tx, payment.id, attempt.attemptNo, {
      state,
      rc: outcome.rc,
      message: outcome.message.slice(0, 300),
      answeredAt: now,
      ...extra,
    });
  const where = `attempt ${attempt.attemptNo} at ${attempt.adapter} (ref ${attempt.refId})`;

  if (isFinal(payment.status)) {
    const carrying =
      payment.status !== 'failed' && payment.adapter === attempt.adapter && payment.refId === attempt.refId;
    if (payment.status === 'success' && carrying && reverses(outcome)) {
      // A late refund (or reversal) of the very transaction that paid the bill.
      await note('refunded');
      await deleteOutbox(tx, payment.id);
      return {
        payment: await refundSuccess(deps, tx, payment, {
          code: 'UPSTREAM_REFUNDED',
          message: outcome.message,
        }),
      };
    }
    if (outcome.kind === 'success' && !carrying && attempt.state !== 'success') {
      await note('success', { price: outcome.price ?? attempt.price });
      await flagForReview(
        tx,
        payment.id,
        `${where} reports SUCCESS but the payment is ${payment.status}: the upstream may hold money to recover`,
        now,
      );
    }
    // A paid bill's outbox row is a refund notice still being confirmed (callbacks.ts): a late duplicate
    // of its success must not cancel that.
    if (payment.status !== 'success') await deleteOutbox(tx, payment.id);
    return { payment };
  }

  const current = attempts.at(-1)!;
  if (attempt.attemptNo !== current.attemptNo) {
    // An attempt we failed over from (it provably created nothing then).
    if (outcome.kind === 'success') {
      await note('success', { price: outcome.price ?? attempt.price });
      const paid = await settleSuccess(deps, tx, payment, attempt, outcome);
      if (current.state === 'sending' || current.state === 'suspect') {
        await flagForReview(
          tx,
          payment.id,
          `${where} was paid after all while attempt ${current.attemptNo} at ${current.adapter} was still open: check it was not paid twice`,
          now,
        );
      }
      return { payment: paid };
    }
    if (outcome.kind === 'suspect') {
      await flagForReview(
        tx,
        payment.id,
        `${where} refused before sending, now reports pending: check it is not paid twice`,
        now,
      );
    }
    return { payment };
  }

  switch (outcome.kind) {
    case 'success':
      await note('success', { price: outcome.price ?? attempt.price });
      return { payment: await settleSuccess(deps, tx, payment, attempt, outcome) };
    case 'failed': {
      if (!outcome.transactionCreated) {
        await note('not_created');
        const route = failoverRoute(deps, payment, attempts, attempt);
        if (route) {
          await rescheduleOutbox(tx, payment.id, now);
          return { payment };
        }
      } else {
        await note('failed');
      }
      const code = options.failureCode ?? `UPSTREAM_${outcome.rc}`;
      return { payment: await settleFailure(deps, tx, payment, { code, message: outcome.message }) };
    }
    case 'refunded':
      await note('refunded');
      return {
        payment: await settleFailure(deps, tx, payment, {
          code: 'UPSTREAM_REFUNDED',
          message: outcome.message,
        }),
      };
    case 'not_found':
      await note('failed');
      return {
        payment: await settleFailure(deps, tx, payment, {
          code: 'UPSTREAM_NOT_RECEIVED',
          message: `the upstream never received the payment (${outcome.message})`,
        }),
      };
    case 'suspect':
      await note('suspect');
      return scheduleNextPoll(deps, tx, payment, attempt, outcome, now);
  }
}

/** Poll again later, or, once the attempt has been open STATUS_POLL_MAX_HOURS, hand it to a person. */
async function scheduleNextPoll(
  deps: PipelineDeps,
  tx: Tx,
  payment: PaymentRow,
  attempt: AttemptRow,
  outcome: { rc: string; message: string },
  now: Date,
): Promise<Decided> {
  const reason = { code: `UPSTREAM_${outcome.rc}`, message: outcome.message };
  const openFor = now.getTime() - attempt.sentAt.getTime();
  const limit = deps.config.STATUS_POLL_MAX_HOURS * 3_600_000;
  if (openFor >= limit) {
    const review = `no final answer from ${attempt.adapter} for ref ${attempt.refId} after ${deps.config.STATUS_POLL_MAX_HOURS} h (last: ${outcome.rc} ${outcome.message}); check the aggregator's portal`;
    const marked = await markSuspect(deps, tx, payment, reason, undefined);
    await flagForReview(tx, payment.id, review, now);
    return { payment: { ...marked, reviewReason: review } };
  }
  const delayMs = Math.min(pollDelayMs(deps, openFor), limit - openFor);
  return { payment: await markSuspect(deps, tx, payment, reason, new Date(now.getTime() + delayMs)) };
}

/**
 * The route to fail over to after `attempt` created nothing: only when every attempt so far created
 * nothing, at an adapter not tried yet, within MAX_ATTEMPTS.
 */
function failoverRoute(
  deps: PipelineDeps,
  payment: PaymentRow,
  attempts: AttemptRow[],
  attempt: AttemptRow,
): Route | undefined {
  if (attempts.length >= MAX_ATTEMPTS) return undefined;
  if (!attempts.every((a) => a.attemptNo === attempt.attemptNo || a.state === 'not_created'))
    return undefined;
  return nextRoute(
    deps,
    payment,
    attempts.map((a) => a.adapter),
  );
}

/** The next adapter to fail over to, after the ones already tried. */
export function nextRoute(
  deps: Pick<Deps, 'catalog' | 'billers'>,
  payment: PaymentRow,
  tried: string[],
): Route | undefined {
  const product = deps.catalog.get(payment.product);
  if (!product) return undefined;
  return deps.billers
    .routes(product, payment.denomination ?? undefined)
    .find((r) => !tried.includes(r.adapter.name) && r.breaker.state !== 'open');
}
