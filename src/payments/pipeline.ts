/**
 * The worker's side of a payment: send it upstream once, learn the outcome (answer, status poll,
 * callback) and settle. Driven by the database state, so a job may run twice, late, or after a
 * crash at any line and still do the right thing:
 *
 * - an attempt row is committed as `sending` BEFORE the request leaves, so after a crash we know the
 *   upstream may have acted and we ask for its status instead of paying again (one row per send: a refused
 *   connection or a "not created" answer is proof only because no other send of that ref exists);
 * - a new upstream transaction (failover) is only created when the previous one provably was not;
 * - a `not_found` status is trusted only once our own timeout has long passed.
 */
import type { PayOutcome, StatusOutcome } from '../billers/port.js';
import type { Deps } from '../deps.js';
import { failoverRefId } from '../ids.js';
import type { Logger } from '../logger.js';
import type { PaymentJob } from './jobs.js';
import { publishPaymentChange } from './notify.js';
import { MAX_ATTEMPTS, type PipelineDeps, applyOutcome, nextRoute, reverses } from './outcome.js';
import { withTransaction } from '../db/client.js';
import {
  type AttemptRow,
  deleteOutbox,
  flagForReview,
  insertAttempt,
  rescheduleOutbox,
} from './repository.js';
import { isFinal } from './lifecycle.js';
import { settlementAccountIds } from './settle.js';
import { type JobState, loadJobState } from './job-state.js';
import { settlePaid } from './settle-paid.js';
import { callInquiry, callPay, callStatus, targetOf } from './upstream.js';

/** How long after sending we wait before asking an upstream about a request whose answer we lost. */
const settleMs = (deps: Pick<Deps, 'config'>) => deps.config.UPSTREAM_TIMEOUT_MS + 5_000;

function routeOf(deps: PipelineDeps, attempt: AttemptRow) {
  const registered = deps.billers.get(attempt.adapter);
  if (!registered) throw new Error(`adapter ${attempt.adapter} is not registered in this process`);
  return registered;
}

/**
 * Apply an answer about one attempt: the common "paid" answer in one statement, everything else
 * through the general state machine.
 */
async function applyAnswer(
  deps: PipelineDeps,
  work: JobState,
  attempt: AttemptRow,
  outcome: PayOutcome | StatusOutcome,
  log: Logger,
): Promise<void> {
  if (outcome.kind === 'success' && work.savingsAccountId !== null) {
    const accounts = await settlementAccountIds(deps, deps.db, {
      koperasiId: work.payment.koperasiId,
      adapter: attempt.adapter,
    });
    const settled = await settlePaid(deps, work, attempt, outcome, accounts);
    if (settled) {
      log.info({ paymentId: work.payment.id, outcome: 'success', rc: outcome.rc }, 'payment outcome applied');
      await publishPaymentChange(deps, settled.payment, settled.balances);
      return;
    }
  }
  await applyOutcome(deps, work.payment.id, attempt, outcome, log);
}

async function send(deps: PipelineDeps, work: JobState, attempt: AttemptRow, log: Logger): Promise<void> {
  // Committed before the request leaves: from here on the upstream may have acted.
  if (!(await insertAttempt(deps.db, attempt))) return; // another worker is sending this attempt
  return pay(deps, work, attempt, log);
}

/** Send an attempt whose `sending` row is committed (by send, or by the job's read for the first one). */
async function pay(deps: PipelineDeps, work: JobState, attempt: AttemptRow, log: Logger): Promise<void> {
  const { payment } = work;
  const outcome = await callPay(deps, routeOf(deps, attempt), {
    ...targetOf(payment, attempt),
    amount: payment.billAmount + payment.penalty + payment.adminFee,
  });
  return applyAnswer(deps, work, attempt, outcome, log);
}

async function checkStatus(
  deps: PipelineDeps,
  work: JobState,
  attempt: AttemptRow,
  log: Logger,
): Promise<void> {
  const { payment } = work;
  const outcome = await callStatus(deps, routeOf(deps, attempt), targetOf(payment, attempt));
  if (outcome.kind === 'not_found' && !notFoundIsProof(deps, attempt)) {
    // Too early to trust "never received": the request may still be on its way or in processing.
    await applyOutcome(
      deps,
      payment.id,
      attempt,
      { kind: 'suspect', rc: outcome.rc, message: outcome.message },
      log,
    );
    return;
  }
  return applyAnswer(deps, work, attempt, outcome, log);
}

/**
 * "Never received" proves nothing while our own request may still be travelling (twice our timeout),
 * nor for an attempt older than the polling limit (Digiflazz forgets transactions after 90 days).
 */
export function notFoundIsProof(
  deps: Pick<Deps, 'config' | 'clock'>,
  attempt: Pick<AttemptRow, 'sentAt'>,
): boolean {
  const age = deps.clock.now().getTime() - attempt.sentAt.getTime();
  return age >= 2 * settleMs(deps) && age <= deps.config.STATUS_POLL_MAX_HOURS * 3_600_000;
}

/**
 * Fail over: quote again at the next adapter; pay only if it asks the same of the member. A route
 * that cannot take the bill is recorded as an attempt that created nothing, so it is never asked again
 * for this payment; when no route is left the payment fails and the hold is voided at once (no
 * attempt of it was ever created upstream).
 */
async function failover(deps: PipelineDeps, work: JobState, log: Logger): Promise<void> {
  const { payment, attempts } = work;
  const last = attempts.at(-1)!;
  const route =
    attempts.length < MAX_ATTEMPTS
      ? nextRoute(
          deps,
          payment,
          attempts.map((a) => a.adapter),
        )
      : undefined;
  if (!route) {
    const message = `no other upstream could take the payment: ${last.message ?? ''}`;
    await applyOutcome(
      deps,
      payment.id,
      last,
      { kind: 'failed', rc: last.rc ?? 'NONE', message, transactionCreated: false },
      log,
    );
    return;
  }
  const attemptNo = last.attemptNo + 1;
  const refId = failoverRefId(attempts[0]!.refId, attemptNo);
  const target = {
    refId,
    sku: route.sku,
    customerNo: payment.customerNo,
    months: payment.months ?? undefined,
    denomination: payment.denomination ?? undefined,
  };
  const quoted = await callInquiry(deps, route, target);
  const attempt: AttemptRow = {
    paymentId: payment.id,
    attemptNo,
    adapter: route.adapter.name,
    sku: route.sku,
    refId,
    upstreamHandle: null,
    state: 'sending',
    rc: null,
    message: null,
    price: null,
    sentAt: deps.clock.now(),
    answeredAt: null,
  };
  const refusal =
    quoted.kind !== 'bill'
      ? `failover inquiry at ${route.adapter.name} failed: ${quoted.message}`
      : quoted.bill.billAmount + quoted.bill.penalty + quoted.bill.adminFee !==
          payment.billAmount + payment.penalty + payment.adminFee
        ? `failover upstream ${route.adapter.name} quoted ${quoted.bill.billAmount + quoted.bill.penalty + quoted.bill.adminFee}, the member was quoted ${payment.billAmount + payment.penalty + payment.adminFee}`
        : undefined;
  if (refusal !== undefined || quoted.kind !== 'bill') {
    // Never paid there: an attempt that created nothing, so the next decision excludes this route too.
    const rc = quoted.kind === 'bill' ? 'AMOUNT_DIFFERS' : quoted.rc;
    const message = refusal ?? 'failover refused';
    if (
      !(await insertAttempt(deps.db, {
        ...attempt,
        state: 'not_created',
        rc,
        message: message.slice(0, 300),
        answeredAt: attempt.sentAt,
      }))
    )
      return;
    await applyOutcome(
      deps,
      payment.id,
      attempt,
      { kind: 'failed', rc, message, transactionCreated: false },
      log,
    );
    return;
  }
  log.warn(
    { paymentId: payment.id, from: last.adapter, to: route.adapter.name },
    'failing over to the next upstream',
  );
  return send(
    deps,
    work,
    { ...attempt, upstreamHandle: quoted.bill.upstreamHandle ?? null, price: quoted.bill.price },
    log,
  );
}

/**
 * A refund notice about a paid bill is checked with the upstream at most this often (backing off to every
 * 5 minutes: about a day) before a person is asked.
 */
export const REVERSAL_CHECKS = 300;
const REVERSAL_CHECK_MAX_DELAY_MS = 5 * 60_000;

/**
 * A paid bill with an outbox row: a refund notice arrived and the upstream's status did not answer then
 * (callbacks.ts). Ask again with backoff until the status settles it (reversed, or still paid), then a
 * person if it never answers.
 */
async function checkReversal(deps: PipelineDeps, work: JobState, seq: number, log: Logger): Promise<void> {
  const { payment } = work;
  const attempt = work.attempts.find((a) => a.adapter === payment.adapter && a.refId === payment.refId);
  if (!attempt) return deleteOutbox(deps.db, payment.id);
  const answer = await callStatus(deps, routeOf(deps, attempt), targetOf(payment, attempt));
  if (reverses(answer)) {
    await applyOutcome(deps, payment.id, attempt, answer, log);
    return;
  }
  if (answer.kind !== 'suspect') return deleteOutbox(deps.db, payment.id);
  if (seq >= REVERSAL_CHECKS) {
    await withTransaction(deps.db, async (tx) => {
      await deleteOutbox(tx, payment.id);
      await flagForReview(
        tx,
        payment.id,
        `${attempt.adapter} sent a refund notice for ref ${attempt.refId}; its status never confirmed or denied it (last: ${answer.rc} ${answer.message}): check the aggregator's portal`,
        deps.clock.now(),
      );
    });
    return;
  }
  const delayMs = Math.min(deps.config.POLL_INITIAL_MS * 2 ** Math.min(seq, 20), REVERSAL_CHECK_MAX_DELAY_MS);
  await rescheduleOutbox(deps.db, payment.id, new Date(deps.clock.now().getTime() + delayMs));
}

/** One step of a payment job, read by its own statement (a worker's loop claims and reads many at once). */
export async function processPaymentJob(deps: PipelineDeps, job: PaymentJob, log: Logger): Promise<void> {
  const work = await loadJobState(deps, job, deps.clock.now());
  if (!work) return; // stale job: the payment moved on (settled, or rescheduled under a newer seq)
  await runPaymentStep(deps, job, work, log);
}

/** One step of a payment job, from the state its claim (or load) read. */
export async function runPaymentStep(
  deps: PipelineDeps,
  job: PaymentJob,
  work: JobState,
  log: Logger,
): Promise<void> {
  const { payment, attempts } = work;
  // The read wrote the first attempt of an open payment (job-state.ts): this worker sends it.
  if (work.firstAttempt) return pay(deps, work, work.firstAttempt, log);
  if (payment.status === 'success') return checkReversal(deps, work, job.seq, log);
  if (isFinal(payment.status)) {
    await deleteOutbox(deps.db, job.paymentId);
    return;
  }
  const latest = attempts.at(-1);
  if (!latest) {
    if (!work.quote) throw new Error(`payment ${payment.id} has no quote row`);
    return; // another worker's read wrote the first attempt at the same moment: it sends
  }
  switch (latest.state) {
    case 'sending': {
      const waitMs = latest.sentAt.getTime() + settleMs(deps) - deps.clock.now().getTime();
      if (waitMs > 0) {
        // A worker died mid-request (or its answer is still coming): ask for status once it is safe.
        await rescheduleOutbox(deps.db, payment.id, new Date(deps.clock.now().getTime() + waitMs));
        return;
      }
      await checkStatus(deps, work, latest, log);
      return;
    }
    case 'not_created':
      await failover(deps, work, log);
      return;
    case 'suspect':
    case 'success':
    case 'failed':
    case 'refunded':
      // Attempt and payment are settled in one transaction, so an answered attempt on an open
      // payment means it is suspect; whatever the row says, the upstream's status decides.
      await checkStatus(deps, work, latest, log);
      return;
  }
}
