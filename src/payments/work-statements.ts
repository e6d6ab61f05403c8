/**
 * The worker's hot path in few round trips:
 * - `loadWork`: read the payment, its quote's upstream handle, its attempts and the member's savings
 *   account, in one statement;
 * - `settleSuccessAtomically`: the common case — a processing or suspect payment the upstream paid —
 *   records the answer, posts the hold out (payable, fee, commission; receivable and deposit in the
 *   platform book), finishes the hold and the payment and clears the outbox, in one statement.
 *   Anything unusual (already final, a refund, a hold not pending) goes through the general state
 *   machine in pipeline.ts instead.
 */
import { sql } from 'drizzle-orm';
import { runNamed } from '../db/raw.js';
import type { Deps } from '../deps.js';
import { balanceSql, pendingHoldsSql, postHoldCtes } from '../ledger/hold-statements.js';
import { planPosting } from '../ledger/postings.js';
import type { Rupiah } from '../money.js';
import type { AttemptRow, PaymentRow } from './repository.js';
import { type SettleAccounts, successLines, tokenFor } from './settle.js';
import { OPEN_STATUSES_SQL } from './lifecycle.js';

export interface Work {
  payment: PaymentRow;
  attempts: AttemptRow[];
  quote: { adapter: string; sku: string; refId: string; upstreamHandle: string | null; price: bigint };
  savingsAccountId: bigint | null;
}

type Raw = Record<string, unknown>;
const big = (v: unknown) => (v === null || v === undefined ? null : BigInt(v as string | number));
const date = (v: unknown) =>
  v === null || v === undefined ? null : v instanceof Date ? v : new Date(v as string);

function toPayment(r: Raw): PaymentRow {
  return {
    id: r.id as string,
    koperasiId: r.koperasi_id as string,
    memberId: r.member_id as string,
    quoteId: r.quote_id as string,
    product: r.product as string,
    customerNo: r.customer_no as string,
    customerName: r.customer_name as string,
    periods: r.periods as string[],
    months: (r.months as number | null) ?? null,
    denomination: big(r.denomination),
    billAmount: big(r.bill_amount)!,
    penalty: big(r.penalty)!,
    adminFee: big(r.admin_fee)!,
    koperasiFee: big(r.koperasi_fee)!,
    price: big(r.price)!,
    total: big(r.total)!,
    status: r.status as PaymentRow['status'],
    holdId: big(r.hold_id)!,
    adapter: r.adapter as string,
    refId: r.ref_id as string,
    upstreamRef: (r.upstream_ref as string | null) ?? null,
    token: (r.token as string | null) ?? null,
    failureCode: (r.failure_code as string | null) ?? null,
    failureMessage: (r.failure_message as string | null) ?? null,
    suspectSince: date(r.suspect_since),
    reviewReason: (r.review_reason as string | null) ?? null,
    reviewSince: date(r.review_since),
    createdAt: date(r.created_at)!,
    finishedAt: date(r.finished_at),
    updatedAt: date(r.updated_at)!,
  };
}

function toAttempt(r: Raw): AttemptRow {
  return {
    paymentId: r.payment_id as string,
    attemptNo: r.attempt_no as number,
    adapter: r.adapter as string,
    sku: r.sku as string,
    refId: r.ref_id as string,
    upstreamHandle: (r.upstream_handle as string | null) ?? null,
    state: r.state as AttemptRow['state'],
    rc: (r.rc as string | null) ?? null,
    message: (r.message as string | null) ?? null,
    price: big(r.price),
    sentAt: date(r.sent_at)!,
    answeredAt: date(r.answered_at),
  };
}

/**
 * Load the job's payment, its attempts, its quote's upstream handle and the member's savings account
 * in one read; undefined when the job is stale (the outbox row is gone or has moved to a newer seq).
 * No lease is taken: two workers on one payment cannot both send (the attempt row is unique) and
 * cannot both settle (the settlement locks the payment row and checks its state).
 */
export async function loadWork(
  deps: Pick<Deps, 'database'>,
  job: { paymentId: string; seq: number },
): Promise<Work | undefined> {
  const rows = await runNamed<Raw>(
    deps.database.pool,
    'pintu_load_work',
    sql`
    SELECT p.*, q.adapter AS quote_adapter, q.sku AS quote_sku, q.ref_id AS quote_ref_id,
           q.upstream_handle AS quote_handle, q.price AS quote_price, u.savings_account_id,
           (SELECT coalesce(jsonb_agg(to_jsonb(a) ORDER BY a.attempt_no), '[]'::jsonb)
              FROM payment_attempts a WHERE a.payment_id = p.id) AS attempts
    FROM outbox o JOIN payments p ON p.id = o.payment_id JOIN quotes q ON q.id = p.quote_id JOIN users u ON u.id = p.member_id
    WHERE o.payment_id = ${job.paymentId}::uuid AND o.seq = ${job.seq}::int`,
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    payment: toPayment(r),
    attempts: (r.attempts as Raw[]).map(toAttempt),
    quote: {
      adapter: r.quote_adapter as string,
      sku: r.quote_sku as string,
      refId: r.quote_ref_id as string,
      upstreamHandle: (r.quote_handle as string | null) ?? null,
      price: big(r.quote_price)!,
    },
    savingsAccountId: big(r.savings_account_id),
  };
}

export interface SettledSuccess {
  payment: PaymentRow;
  balances: { savingsAccountId: bigint; balance: bigint; available: bigint };
  /** A notice was being confirmed: the worker's next step (a reversal check), under this seq. */
  followUpSeq: number | undefined;
}

/**
 * Settle a payment the upstream paid, in one statement; undefined when it was not open (final
 * already, or its hold not pending): the caller then takes the general path.
 */
export async function settleSuccessAtomically(
  deps: Pick<Deps, 'database' | 'db' | 'ledger' | 'clock'>,
  work: Work,
  attempt: Pick<AttemptRow, 'attemptNo' | 'adapter' | 'refId' | 'price'>,
  answer: { upstreamRef: string; token?: string | null; price?: Rupiah; rc: string; message: string },
  accounts: SettleAccounts,
): Promise<SettledSuccess | undefined> {
  const { payment } = work;
  if (work.savingsAccountId === null) return undefined;
  // What this attempt's upstream charged: its answer, else its own quote (not the first attempt's).
  const price = answer.price ?? attempt.price ?? payment.price;
  const token = tokenFor(payment, answer.token);
  const now = deps.clock.now();
  const { credits, extra } = successLines(payment, price, accounts);
  const lines = [
    { accountId: accounts.inFlight, side: 'D' as const, amount: payment.total },
    ...credits,
    ...extra,
  ];
  const metas = new Map(
    await Promise.all(
      lines.map(async (l) => [l.accountId, await deps.ledger.accountById(deps.db, l.accountId)] as const),
    ),
  );
  const plan = planPosting(
    {
      kind: 'payment_post',
      paymentId: payment.id,
      memo: `${payment.product} ${attempt.refId}`,
      at: now,
      lines,
    },
    metas,
  );
  const rows = await runNamed<{
    settled: number;
    follow_up_seq: number | null;
    available: string | null;
    pending_before: string;
  }>(
    deps.database.pool,
    'pintu_settle_success',
    sql`
    WITH p AS (
      SELECT id, hold_id FROM payments WHERE id = ${payment.id}::uuid AND status IN ${OPEN_STATUSES_SQL} FOR UPDATE
    ), ${postHoldCtes({ plan, holdId: sql`(SELECT hold_id FROM p)`, amount: payment.total })},
    pu AS (
      UPDATE payments SET status = 'success', price = ${price}::bigint, adapter = ${attempt.adapter}::text,
             ref_id = ${attempt.refId}::text, upstream_ref = ${answer.upstreamRef}::text, token = ${token}::text,
             failure_code = NULL, failure_message = NULL, finished_at = ${now}::timestamptz, updated_at = now()
      WHERE id = (SELECT id FROM p) AND EXISTS (SELECT 1 FROM ledger_finished)
      RETURNING id
    ), au AS (
      UPDATE payment_attempts SET state = 'success', rc = ${answer.rc}::text, message = ${answer.message.slice(0, 300)}::text,
             answered_at = ${now}::timestamptz, price = ${price}::bigint
      WHERE payment_id = ${payment.id}::uuid AND attempt_no = ${attempt.attemptNo}::smallint AND EXISTS (SELECT 1 FROM pu)
    ), od AS (
      DELETE FROM outbox WHERE payment_id = ${payment.id}::uuid AND notice_at IS NULL AND EXISTS (SELECT 1 FROM pu)
    ), ob AS (
      -- A notice being confirmed keeps the row: the worker then checks the paid bill for a reversal.
      UPDATE outbox SET seq = seq + 1, due_at = ${now}::timestamptz
      WHERE payment_id = ${payment.id}::uuid AND notice_at IS NOT NULL AND EXISTS (SELECT 1 FROM pu)
      RETURNING seq
    )
    SELECT (SELECT count(*) FROM pu)::int AS settled, (SELECT seq FROM ob) AS follow_up_seq,
           ${balanceSql(work.savingsAccountId)}::text AS available,
           ${pendingHoldsSql(work.savingsAccountId)}::text AS pending_before`,
  );
  const row = rows[0]!;
  if (row.settled !== 1) return undefined;
  const available = BigInt(row.available ?? '0');
  return {
    payment: {
      ...payment,
      status: 'success',
      price,
      adapter: attempt.adapter,
      refId: attempt.refId,
      upstreamRef: answer.upstreamRef,
      token,
      failureCode: null,
      failureMessage: null,
      finishedAt: now,
    },
    followUpSeq: row.follow_up_seq ?? undefined,
    // The pending sum was read before this statement's own hold update: this hold is no longer pending.
    balances: {
      savingsAccountId: work.savingsAccountId,
      available,
      balance: available + BigInt(row.pending_before) - payment.total,
    },
  };
}
