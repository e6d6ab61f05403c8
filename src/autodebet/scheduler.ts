/**
 * The autodebet scheduler, one tick at a time (src/worker.ts runs it every AUTODEBET_INTERVAL_MS in every worker
 * process). A tick: (1) makes this month's run of every subscription that is due, (2) follows the payments runs
 * made to their end (told, retried after a failure, never repaid after a refund), (3) takes due runs under a
 * lease and tries each: inquiry, the limit, then the payment from savings.
 *
 * Exactly once per subscription and period, whatever runs concurrently or dies: the payment is accepted in one
 * transaction with the run row locked, and only when the run has no payment yet or its payment failed (the money
 * came back). Idempotency keys are not relied on: they are purged after IDEMPOTENCY_TTL_HOURS.
 */
import type { ProductSpec } from '../../config/products.js';
import { wibDate } from '../clock.js';
import { withTransaction } from '../db/client.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { type NotificationInsert, insertNotifications } from '../notifications/repository.js';
import { publishNotifications } from '../notifications/service.js';
import { quoteFor } from '../payments/quotes.js';
import type { PaymentRow, QuoteRow } from '../payments/repository.js';
import { acceptFromSavings, announcePayment } from '../payments/service.js';
import { lastTryDate, morningAfter } from './calendar.js';
import { type RunRow, type SubscriptionWithMember, findSubscription } from './repository.js';
import {
  type FinishedRun,
  ensureRuns,
  followFinishedPayments,
  lockRun,
  markPaid,
  recordTry,
  releaseRun,
  takeDueRuns,
} from './runs.js';
import {
  type NoticePair,
  type NoticeSubject,
  type RunOutcome,
  outcomeNotices,
  paymentNotices,
  subscriptionLabel,
} from './texts.js';

/** Runs taken (and tried concurrently) at a time. */
const BATCH = 10;
/** A month's payments that fail upstream before it stops trying for that month. */
const MAX_FAILED_PAYMENTS = 3;
/** How long after a success a refund is still watched for (late refunds come within days). */
const REFUND_HORIZON_DAYS = 45;

export interface TickSummary {
  created: number;
  followed: number;
  tried: number;
}

/** One tick. Safe to run in any number of processes at once and to kill at any instant. */
export async function autodebetTick(deps: Deps): Promise<TickSummary> {
  const now = deps.clock.now();
  const today = wibDate(now);
  const created = await ensureRuns(deps.db, now, today, deps.config.AUTODEBET_RETRY_DAYS);
  const followed = await followPayments(deps, now);
  // Long enough for an inquiry and an acceptance, each bounded by the upstream timeout.
  const leaseEnd = new Date(now.getTime() + 2 * deps.config.UPSTREAM_TIMEOUT_MS + 30_000);
  let tried = 0;
  for (;;) {
    const runs = await takeDueRuns(deps.db, now, leaseEnd, BATCH);
    tried += runs.length;
    await Promise.all(
      runs.map((run) =>
        tryRun(deps, run, now).catch((err: unknown) =>
          // Left under its lease: taken again when the lease ends.
          deps.log.warn({ err, runId: run.id }, 'autodebet run failed; retried after its lease'),
        ),
      ),
    );
    if (runs.length < BATCH) break;
  }
  return { created, followed, tried };
}

const retryMinutes = (deps: Pick<Deps, 'config'>, now: Date) =>
  new Date(now.getTime() + deps.config.AUTODEBET_RETRY_MINUTES * 60_000);

function subjectOf(
  deps: Pick<Deps, 'catalog'>,
  s: { product: string; nickname: string; memberNo: string; memberName: string },
  period: string,
): NoticeSubject {
  return {
    label: subscriptionLabel(deps.catalog.get(s.product), s.nickname),
    period,
    member: `${s.memberNo} ${s.memberName}`,
  };
}

function noticeRows(
  pair: NoticePair,
  base: {
    koperasiId: string;
    memberId: string;
    subscriptionId: string;
    paymentId?: string;
    dedupeKey: string;
    at: Date;
  },
): NotificationInsert[] {
  const rows: NotificationInsert[] = [];
  const common = {
    koperasiId: base.koperasiId,
    subscriptionId: base.subscriptionId,
    paymentId: base.paymentId ?? null,
    at: base.at,
  };
  if (pair.member)
    rows.push({ ...common, ...pair.member, memberId: base.memberId, dedupeKey: `${base.dedupeKey}:member` });
  if (pair.staff)
    rows.push({ ...common, ...pair.staff, memberId: null, dedupeKey: `${base.dedupeKey}:staff` });
  return rows;
}

/** Step (2): payments of runs that ended, told once each (the run's outcome marks it told). */
async function followPayments(deps: Deps, now: Date): Promise<number> {
  const { finished, told } = await withTransaction(deps.db, async (tx) => {
    const finished = await followFinishedPayments(
      tx,
      now,
      retryMinutes(deps, now),
      MAX_FAILED_PAYMENTS,
      REFUND_HORIZON_DAYS,
    );
    const notices = finished.flatMap((run) => paymentNoticeRows(deps, run, now));
    return { finished, told: await insertNotifications(tx, notices) };
  });
  await publishNotifications(deps, told);
  return finished.length;
}

function paymentNoticeRows(deps: Deps, run: FinishedRun, now: Date): NotificationInsert[] {
  const subject = subjectOf(deps, run, run.period);
  const base = {
    koperasiId: run.koperasiId,
    memberId: run.memberId,
    subscriptionId: run.subscriptionId,
    paymentId: run.paymentId,
    at: now,
  };
  const rows = noticeRows(
    paymentNotices(run.paymentStatus, subject, run.total, run.runStatus === 'pending'),
    {
      ...base,
      dedupeKey: `payment:${run.paymentId}:${run.paymentStatus}`,
    },
  );
  if (run.runStatus === 'skipped')
    rows.push(
      ...noticeRows(outcomeNotices('PAYMENT_FAILED', 'skipped', subject, {}), {
        ...base,
        dedupeKey: `run:${run.runId}:skipped`,
      }),
    );
  return rows;
}

/** How a refusal is retried: tomorrow morning, later today, or not this month. */
type Retry = 'tomorrow' | 'soon' | 'never';

function classify(
  error: unknown,
): { outcome: RunOutcome; retry: Retry; detail: Record<string, unknown> } | undefined {
  if (!(error instanceof AppError)) return undefined;
  switch (error.code) {
    case 'BILL_ALREADY_PAID':
    case 'BILL_NOT_AVAILABLE':
      return { outcome: 'NOTHING_DUE', retry: 'tomorrow', detail: { reason: error.code } };
    case 'INSUFFICIENT_BALANCE':
      return {
        outcome: 'INSUFFICIENT_BALANCE',
        retry: 'tomorrow',
        detail: { required: error.extra.required },
      };
    case 'PIN_LOCKED':
      return { outcome: 'PIN_LOCKED', retry: 'tomorrow', detail: {} };
    case 'PRODUCT_CUT_OFF':
    case 'UPSTREAM_UNAVAILABLE':
    case 'PRODUCT_UNAVAILABLE':
      return { outcome: error.code, retry: 'soon', detail: {} };
    case 'QUOTE_EXPIRED':
    case 'QUOTE_ALREADY_USED':
      // A quote the run itself just made: only a stalled worker sees this; a new inquiry soon settles it.
      return { outcome: 'UPSTREAM_UNAVAILABLE', retry: 'soon', detail: { reason: error.code } };
    case 'CUSTOMER_NOT_FOUND':
      return { outcome: 'CUSTOMER_NOT_FOUND', retry: 'never', detail: {} };
    case 'VALIDATION_FAILED':
    case 'PRODUCT_UNKNOWN':
    case 'MEMBER_NOT_FOUND':
    case 'QUOTE_NOT_FOUND':
      return { outcome: 'INVALID', retry: 'never', detail: { reason: error.code, message: error.message } };
    default:
      return undefined;
  }
}

/** Step (3) for one taken run. */
async function tryRun(deps: Deps, run: RunRow, now: Date): Promise<void> {
  const subscription = await findSubscription(deps.db, { koperasiId: run.koperasiId }, run.subscriptionId);
  if (!subscription || subscription.status !== 'active') return releaseRun(deps.db, run);
  const product = deps.catalog.get(subscription.product);
  const lastDate = lastTryDate(run.period, subscription.dayOfMonth, deps.config.AUTODEBET_RETRY_DAYS);
  const context = { deps, run, subscription, now, lastDate };

  let quote: QuoteRow;
  try {
    quote = await quoteFor(
      deps,
      { koperasiId: run.koperasiId, memberId: subscription.memberId, kasirId: null },
      {
        product: subscription.product,
        customerNo: subscription.customerNo,
        ...(subscription.months === null ? {} : { months: subscription.months }),
      },
    );
  } catch (error) {
    return refused(context, error);
  }
  if (quote.total > subscription.maxAmount) {
    return settle(context, 'skipped', 'OVER_LIMIT', {
      total: quote.total.toString(),
      maxAmount: subscription.maxAmount.toString(),
    });
  }

  let paid: PaymentRow | 'done' | 'released';
  try {
    paid = await payRun(deps, run, subscription, quote, product);
  } catch (error) {
    return refused(context, error);
  }
  if (paid === 'released') return releaseRun(deps.db, run);
  if (paid !== 'done') await announcePayment(deps, paid);
}

/**
 * The payment, in ONE transaction with the run locked: the run's own payment (if it has one that did not fail) is
 * the answer; otherwise a new one from savings. A concurrent or restarted worker waits on the lock and finds it.
 */
async function payRun(
  deps: Deps,
  run: RunRow,
  subscription: SubscriptionWithMember,
  quote: QuoteRow,
  product: ProductSpec | undefined,
): Promise<PaymentRow | 'done' | 'released'> {
  const now = deps.clock.now();
  return withTransaction(deps.db, async (tx) => {
    const locked = await lockRun(tx, run.id);
    if (!locked || locked.status !== 'pending') return 'done';
    if (locked.paymentId) {
      const prior = await tx.query.payments.findFirst({
        columns: { status: true },
        where: (p, { eq }) => eq(p.id, locked.paymentId!),
      });
      if (prior && prior.status !== 'failed') {
        await markPaid(tx, run.id, null, now);
        return 'done';
      }
    }
    if (locked.tries !== run.tries) return 'done';
    // Held against a pause, a cancel or a lower limit until this payment commits.
    const current = await findSubscription(
      tx,
      { koperasiId: run.koperasiId },
      run.subscriptionId,
      'FOR SHARE',
    );
    if (!current || current.status !== 'active' || quote.total > current.maxAmount) return 'released';
    const accepted = await acceptFromSavings(deps, tx, {
      quote,
      memberId: subscription.memberId,
      origin: { channel: 'autodebet', subscriptionId: subscription.id },
    });
    if (accepted.replayed) throw new Error('an autodebet payment without an idempotency key was replayed');
    await markPaid(tx, run.id, { id: accepted.payment.id, total: accepted.payment.total }, now);
    deps.log.info(
      { runId: run.id, paymentId: accepted.payment.id, product: product?.code },
      'autodebet payment accepted',
    );
    return accepted.payment;
  });
}

interface RunContext {
  deps: Deps;
  run: RunRow;
  subscription: SubscriptionWithMember;
  now: Date;
  lastDate: string;
}

/** A refusal of the inquiry or the acceptance: retried as its kind says, within the run's days. */
async function refused(context: RunContext, error: unknown): Promise<void> {
  const kind = classify(error);
  if (!kind) throw error;
  const { deps, now, lastDate } = context;
  const today = wibDate(now);
  let next: Date | null = null;
  if (kind.retry === 'tomorrow' && today < lastDate) next = morningAfter(today);
  if (kind.retry === 'soon') {
    const soon = retryMinutes(deps, now);
    if (wibDate(soon) <= lastDate) next = soon;
  }
  await settle(context, next ? 'pending' : 'skipped', kind.outcome, kind.detail, next);
}

/** Records the try and, in the same transaction, what the member and the staff are told; publishes after. */
async function settle(
  context: RunContext,
  status: 'pending' | 'skipped',
  outcome: RunOutcome,
  detail: Record<string, unknown>,
  nextTryAt: Date | null = null,
): Promise<void> {
  const { deps, run, subscription, now } = context;
  const pair = outcomeNotices(outcome, status, subjectOf(deps, subscription, run.period), detail);
  // Once per run for a final word; once a day for a daily retry (the member hears it each morning, not each tick).
  const dedupeKey =
    status === 'skipped' ? `run:${run.id}:skipped` : `run:${run.id}:${outcome}:${wibDate(now)}`;
  const told = await withTransaction(deps.db, async (tx) => {
    if (!(await recordTry(tx, run, { status, outcome, detail, nextTryAt, at: now }))) return [];
    return insertNotifications(
      tx,
      noticeRows(pair, {
        koperasiId: run.koperasiId,
        memberId: subscription.memberId,
        subscriptionId: subscription.id,
        dedupeKey,
        at: now,
      }),
    );
  });
  await publishNotifications(deps, told);
}
