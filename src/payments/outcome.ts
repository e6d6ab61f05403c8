/**
 * Applying what an upstream (or a callback, the treasurer, reconciliation) said about a payment:
 * the state machine's decision in one transaction on the locked payment row, then the follow-ups
 * (the next job, live events) after commit. The worker's job steps are in pipeline.ts.
 */
import type { PayOutcome, StatusOutcome } from '../billers/port.js';
import type { Route } from '../billers/registry.js';
import { recordAudit, type AuditEntry } from '../audit.js';
import { type Tx, withTransaction } from '../db/client.js';
import type { Deps } from '../deps.js';
import type { Logger } from '../logger.js';
import { type PaymentJob, enqueueSafely } from './jobs.js';
import { publishPaymentChange } from './notify.js';
import {
  type AttemptRow,
  type PaymentRow,
  deleteOutbox,
  findPayment,
  outboxSeq,
  rescheduleOutbox,
  updateAttempt,
} from './repository.js';
import { isFinal, markSuspect, refundSuccess, settleFailure, settleSuccess } from './settle.js';

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
  | 'queues'
  | 'catalog'
>;

/** Poll delay after the n-th reschedule: 2 s, 4 s, 8 s … capped at one hour. */
export const pollDelayMs = (deps: Pick<Deps, 'config'>, n: number) =>
  Math.min(deps.config.POLL_INITIAL_MS * 2 ** Math.min(n, 20), 3_600_000);

export type Applied = { before: PaymentRow; payment: PaymentRow; next?: PaymentJob & { delayMs: number } };

/**
 * Apply what the upstream said about one attempt. One transaction, payment row locked. Returns the
 * next job to enqueue (poll or failover) if any.
 */
export async function applyOutcome(
  deps: PipelineDeps,
  paymentId: string,
  attempt: Pick<AttemptRow, 'attemptNo' | 'adapter' | 'refId'>,
  outcome: PayOutcome | StatusOutcome,
  log: Logger,
  options: { audit?: (before: PaymentRow, after: PaymentRow) => AuditEntry } = {},
): Promise<Applied | undefined> {
  const applied = await withTransaction(deps.db, async (tx): Promise<Applied | undefined> => {
    const result = await decide(deps, tx, paymentId, attempt, outcome);
    if (result && options.audit && result.before.status !== result.payment.status) {
      await recordAudit(tx, options.audit(result.before, result.payment));
    }
    return result;
  });
  if (applied) {
    log.info(
      { paymentId, outcome: outcome.kind, rc: outcome.rc, status: applied.payment.status },
      'payment outcome applied',
    );
    if (applied.next) {
      const { delayMs, ...job } = applied.next;
      await enqueueSafely(deps, job, delayMs);
    }
    if (applied.before.status !== applied.payment.status) await publishPaymentChange(deps, applied.payment);
  }
  return applied;
}

/** The state machine's decision for one outcome, inside the caller's transaction. */
async function decide(
  deps: PipelineDeps,
  tx: Tx,
  paymentId: string,
  attempt: Pick<AttemptRow, 'attemptNo' | 'adapter' | 'refId'>,
  outcome: PayOutcome | StatusOutcome,
): Promise<Applied | undefined> {
  const payment = await findPayment(tx, paymentId, true);
  if (!payment) return undefined;
  const decided = await transition(deps, tx, payment, attempt, outcome);
  return { before: payment, ...decided };
}

async function transition(
  deps: PipelineDeps,
  tx: Tx,
  payment: PaymentRow,
  attempt: Pick<AttemptRow, 'attemptNo' | 'adapter' | 'refId'>,
  outcome: PayOutcome | StatusOutcome,
): Promise<Omit<Applied, 'before'>> {
  const paymentId = payment.id;
  const answeredAt = deps.clock.now();
  const note = (state: AttemptRow['state'], extra: Partial<AttemptRow> = {}) =>
    updateAttempt(tx, paymentId, attempt.attemptNo, {
      state,
      rc: outcome.rc,
      message: outcome.message.slice(0, 300),
      answeredAt,
      ...extra,
    });

  if (isFinal(payment.status)) {
    // Already settled (a callback or the treasurer was first). Only a late refund still matters.
    if (outcome.kind === 'refunded' && payment.status === 'success' && payment.refId === attempt.refId) {
      await note('refunded');
      return {
        payment: await refundSuccess(deps, tx, payment, {
          code: 'UPSTREAM_REFUNDED',
          message: outcome.message,
        }),
      };
    }
    await deleteOutbox(tx, paymentId);
    return { payment };
  }

  switch (outcome.kind) {
    case 'success':
      await note('success', { price: outcome.price ?? null });
      return {
        payment: await settleSuccess(deps, tx, payment, {
          upstreamRef: outcome.upstreamRef,
          token: outcome.token ?? null,
          price: outcome.price,
          adapter: attempt.adapter,
          refId: attempt.refId,
        }),
      };
    case 'failed': {
      if (!outcome.transactionCreated && nextRoute(deps, payment, [attempt.adapter])) {
        await note('not_created');
        const seq = await rescheduleOutbox(tx, paymentId, answeredAt);
        return { payment, next: seq === undefined ? undefined : { paymentId, seq, delayMs: 0 } };
      }
      await note('failed');
      return {
        payment: await settleFailure(deps, tx, payment, {
          code: `UPSTREAM_${outcome.rc}`,
          message: outcome.message,
        }),
      };
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
    case 'suspect': {
      await note('suspect');
      const delayMs = pollDelayMs(deps, (await outboxSeq(tx, paymentId)) ?? 0);
      const marked = await markSuspect(
        deps,
        tx,
        payment,
        { code: `UPSTREAM_${outcome.rc}`, message: outcome.message },
        new Date(answeredAt.getTime() + delayMs),
      );
      return { payment: marked.payment, next: { paymentId, seq: marked.seq, delayMs } };
    }
  }
}

/** The next adapter to fail over to, after the ones already tried. */
export function nextRoute(deps: PipelineDeps, payment: PaymentRow, tried: string[]): Route | undefined {
  const product = deps.catalog.get(payment.product);
  if (!product) return undefined;
  return deps.billers
    .routes(product, payment.denomination ?? undefined)
    .find((r) => !tried.includes(r.adapter.name) && r.breaker.state !== 'open');
}
