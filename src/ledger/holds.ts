/**
 * Two-phase holds, like a pending transfer: at payment request the member's savings are debited into
 * the koperasi's in-flight account (the available balance is checked by the same statement); the hold
 * is later posted out (to payable, fee and commission income) or voided back to the member.
 * A hold's status changes exactly once, under a row lock, so a racing callback, worker and treasurer
 * cannot post and void the same hold.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/client.js';
import { toBigInt } from '../db/rows.js';
import type { Rupiah } from '../money.js';
import { toRupiah } from '../money.js';
import { holdCtes } from './hold-statements.js';
import { type AccountCache, loadAccounts } from './accounts.js';
import {
  InsufficientFundsError,
  type PostingLine,
  isInsufficientFunds,
  planPosting,
  postJournal,
} from './postings.js';

export interface Hold {
  id: bigint;
  bookId: bigint;
  debitAccountId: bigint;
  holdAccountId: bigint;
  amount: Rupiah;
  status: 'pending' | 'posted' | 'voided';
  holdTxId: bigint;
  finalTxId: bigint | null;
}

export class HoldNotPendingError extends Error {
  constructor(
    readonly holdId: bigint,
    readonly status: string,
  ) {
    super(`hold ${holdId} is ${status}, not pending`);
    this.name = 'HoldNotPendingError';
  }
}

interface HoldRow extends Record<string, unknown> {
  id: unknown;
  book_id: unknown;
  debit_account_id: unknown;
  hold_account_id: unknown;
  amount: unknown;
  status: Hold['status'];
  hold_tx_id: unknown;
  final_tx_id: unknown;
}

const toHold = (row: HoldRow): Hold => ({
  id: toBigInt(row.id),
  bookId: toBigInt(row.book_id),
  debitAccountId: toBigInt(row.debit_account_id),
  holdAccountId: toBigInt(row.hold_account_id),
  amount: toRupiah(row.amount),
  status: row.status,
  holdTxId: toBigInt(row.hold_tx_id),
  finalTxId: row.final_tx_id === null ? null : toBigInt(row.final_tx_id),
});

export interface HoldRequest {
  bookId: bigint;
  debitAccountId: bigint;
  holdAccountId: bigint;
  amount: Rupiah;
  paymentId: string;
  memo?: string;
  at?: Date;
}

/**
 * Debit `amount` from `debitAccountId` into `holdAccountId` and record the pending hold, in one statement (the
 * fragment the payment acceptance embeds). Throws InsufficientFundsError.
 */
export async function holdFunds(db: DbOrTx, cache: AccountCache, input: HoldRequest): Promise<Hold> {
  const plan = planPosting(
    {
      kind: 'payment_hold',
      at: input.at,
      paymentId: input.paymentId,
      memo: input.memo ?? null,
      lines: [
        { accountId: input.debitAccountId, side: 'D', amount: input.amount },
        { accountId: input.holdAccountId, side: 'C', amount: input.amount },
      ],
    },
    await loadAccounts(db, cache, [input.debitAccountId, input.holdAccountId]),
  );
  try {
    const result = await db.execute<HoldRow>(
      sql`WITH ${holdCtes({ plan, ...input })} SELECT * FROM ledger_hold`,
    );
    return toHold(result.rows[0]!);
  } catch (error) {
    if (isInsufficientFunds(error)) throw new InsufficientFundsError();
    throw error;
  }
}

async function lockPendingHold(tx: Tx, holdId: bigint): Promise<Hold> {
  const result = await tx.execute<HoldRow>(sql`SELECT * FROM holds WHERE id = ${holdId} FOR UPDATE`);
  const row = result.rows[0];
  if (!row) throw new Error(`hold ${holdId} not found`);
  const hold = toHold(row);
  if (hold.status !== 'pending') throw new HoldNotPendingError(holdId, hold.status);
  return hold;
}

async function finishHold(
  db: DbOrTx,
  holdId: bigint,
  status: 'posted' | 'voided',
  finalTxId: bigint,
): Promise<void> {
  await db.execute(sql`
    UPDATE holds SET status = ${status}, final_tx_id = ${finalTxId}, finished_at = now() WHERE id = ${holdId}`);
}

/**
 * Post a pending hold: debit the in-flight account for the full amount and credit `credits` (which
 * must sum to the hold amount); `extra` lines may touch other books (they must balance there).
 */
export async function postHold(
  db: Tx,
  cache: AccountCache,
  holdId: bigint,
  input: { credits: PostingLine[]; extra?: PostingLine[]; paymentId: string; memo?: string; at?: Date },
): Promise<bigint> {
  const hold = await lockPendingHold(db, holdId);
  const txId = await postJournal(db, cache, {
    kind: 'payment_post',
    at: input.at,
    paymentId: input.paymentId,
    memo: input.memo ?? null,
    lines: [
      { accountId: hold.holdAccountId, side: 'D', amount: hold.amount },
      ...input.credits,
      ...(input.extra ?? []),
    ],
  });
  await finishHold(db, holdId, 'posted', txId);
  return txId;
}

/** Void a pending hold: the full amount goes back to the account it came from. */
export async function voidHold(
  db: Tx,
  cache: AccountCache,
  holdId: bigint,
  input: { paymentId: string; memo?: string; at?: Date },
): Promise<bigint> {
  const hold = await lockPendingHold(db, holdId);
  const txId = await postJournal(db, cache, {
    kind: 'payment_void',
    at: input.at,
    paymentId: input.paymentId,
    reversesTxId: hold.holdTxId,
    memo: input.memo ?? null,
    lines: [
      { accountId: hold.holdAccountId, side: 'D', amount: hold.amount },
      { accountId: hold.debitAccountId, side: 'C', amount: hold.amount },
    ],
  });
  await finishHold(db, holdId, 'voided', txId);
  return txId;
}

export async function getHold(db: DbOrTx, holdId: bigint): Promise<Hold | undefined> {
  const result = await db.execute<HoldRow>(sql`SELECT * FROM holds WHERE id = ${holdId}`);
  return result.rows[0] ? toHold(result.rows[0]) : undefined;
}

/** Sum of the pending holds taken from an account (money on its way out, not yet posted). */
export async function pendingHoldsTotal(db: DbOrTx, debitAccountId: bigint): Promise<Rupiah> {
  const result = await db.execute<{ total: unknown }>(sql`
    SELECT coalesce(sum(amount), 0) AS total FROM holds WHERE debit_account_id = ${debitAccountId} AND status = 'pending'`);
  return toRupiah(result.rows[0]?.total ?? 0);
}
