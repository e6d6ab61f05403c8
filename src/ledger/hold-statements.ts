/**
 * Holds as SQL fragments for one-statement payment steps: the payment path accepts a payment (claim the quote,
 * hold the money, write the payment) and settles a success (post the hold, update the payment) in one
 * statement each, and these fragments are the ledger's part of them. The ledger's own functions (holds.ts) run
 * the same fragments, so the ledger's tests test what production runs.
 *
 * Named outputs, the only CTE names a caller may read (besides `ledger_tx` and `ledger_balances` of the
 * posting, see postingCtes):
 *   ledger_hold      holdCtes: the hold created (all its columns); postHoldCtes: (id) the hold, locked, pending
 *   ledger_finished  postHoldCtes: (id) the hold marked posted (no row when it was not pending at that amount)
 * A hold's status changes once, under a row lock; finished_at is the database's clock, like every ledger time.
 */
import { type SQL, sql } from 'drizzle-orm';
import type { Rupiah } from '../money.js';
import { type PostingPlan, postingCtes } from './postings.js';

export interface HoldInput {
  /** The posting debit → hold account, planned by planPosting. */
  plan: PostingPlan;
  bookId: bigint;
  debitAccountId: bigint;
  holdAccountId: bigint;
  amount: Rupiah;
}

/** Move `amount` from the debit account into the hold account and record the pending hold, if `gate` holds. */
export function holdCtes(input: HoldInput, gate: SQL = sql`true`): SQL {
  return sql`${postingCtes(input.plan, gate)},
    ledger_hold AS (
      INSERT INTO holds (book_id, debit_account_id, hold_account_id, amount, hold_tx_id)
      SELECT ${input.bookId}::bigint, ${input.debitAccountId}::bigint, ${input.holdAccountId}::bigint, ${input.amount}::bigint, t.id
      FROM ledger_tx t
      RETURNING *
    )`;
}

/**
 * Post the pending hold `holdId` (a SQL expression, e.g. a column of an earlier CTE) of exactly `amount` out
 * along `plan` (which debits the hold account by the full amount). Nothing is posted unless the hold is pending
 * at that amount; it is locked first.
 */
export function postHoldCtes(input: { plan: PostingPlan; holdId: SQL; amount: Rupiah }): SQL {
  return sql`ledger_hold AS (
      SELECT id FROM holds WHERE id = ${input.holdId} AND status = 'pending' AND amount = ${input.amount}::bigint FOR UPDATE
    ), ${postingCtes(input.plan, sql`EXISTS (SELECT 1 FROM ledger_hold)`)},
    ledger_finished AS (
      UPDATE holds SET status = 'posted', final_tx_id = t.id, finished_at = now()
      FROM ledger_tx t WHERE holds.id = (SELECT id FROM ledger_hold)
      RETURNING holds.id
    )`;
}

/** The sum of `accountId`'s pending holds, as a scalar subquery (read before the statement's own changes). */
export const pendingHoldsSql = (accountId: bigint): SQL =>
  sql`(SELECT coalesce(sum(amount), 0) FROM holds WHERE debit_account_id = ${accountId}::bigint AND status = 'pending')`;

/** `accountId`'s balance over its buckets, as a scalar subquery (read before the statement's own changes). */
export const balanceSql = (accountId: bigint): SQL =>
  sql`(SELECT coalesce(sum(balance), 0) FROM account_balances WHERE account_id = ${accountId}::bigint)`;
