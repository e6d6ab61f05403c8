/**
 * The common end of a payment — a processing or suspect payment the upstream paid — in one statement: records the
 * answer, posts the hold out through the ledger's fragment (payable, fee, commission; receivable and deposit in the
 * platform book), finishes the payment and clears the outbox. Anything unusual (already final, a refund, a hold not
 * pending) goes through the general state machine (outcome.ts, settle.ts) instead.
 */
import { sql } from 'drizzle-orm';
import { runNamed } from '../db/raw.js';
import type { Deps } from '../deps.js';
import { balanceSql, pendingHoldsSql, postHoldCtes } from '../ledger/hold-statements.js';
import { planPosting } from '../ledger/postings.js';
import type { Rupiah } from '../money.js';
import type { JobState } from './job-state.js';
import { OPEN_STATUSES_SQL } from './lifecycle.js';
import type { AttemptRow, PaymentRow } from './repository.js';
import { type SettlementAccountIds, successLines, tokenFor } from './settle.js';

export interface SettledSuccess {
  payment: PaymentRow;
  balances: { savingsAccountId: bigint; balance: bigint; available: bigint };
}

/**
 * Settle a payment the upstream paid, in one statement; undefined when it was not open (final
 * already, or its hold not pending): the caller then takes the general path.
 */
export async function settlePaid(
  deps: Pick<Deps, 'database' | 'db' | 'ledger' | 'clock'>,
  work: JobState,
  attempt: Pick<AttemptRow, 'attemptNo' | 'adapter' | 'refId' | 'price'>,
  answer: { upstreamRef: string; token?: string | null; price?: Rupiah; rc: string; message: string },
  accounts: SettlementAccountIds,
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
    available: string | null;
    pending_before: string;
  }>(
    deps.database.named,
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
    )
    SELECT (SELECT count(*) FROM pu)::int AS settled,
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
    // The pending sum was read before this statement's own hold update: this hold is no longer pending.
    balances: {
      savingsAccountId: work.savingsAccountId,
      available,
      balance: available + BigInt(row.pending_before) - payment.total,
    },
  };
}
