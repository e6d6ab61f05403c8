/**
 * Posting a journal transaction: the one write path into the ledger.
 *
 * One SQL statement inserts the transaction and its entries, moves the balances and queues the
 * transaction for sealing, so a posting costs one round trip inside the caller's DB transaction.
 * The database enforces what matters even if this code were wrong: entries balance per book
 * (statement trigger), entries are append-only (row trigger), savings never go below zero (CHECK).
 */
import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import type { Rupiah } from '../money.js';
import { toRupiah } from '../money.js';
import { type AccountCache, type AccountMeta, loadAccounts, normalSide } from './accounts.js';

export interface PostingLine {
  accountId: bigint;
  side: 'D' | 'C';
  amount: Rupiah;
}

export interface JournalInput {
  kind: string;
  /** When the transaction happened (the process clock); defaults to the database's now(). */
  at?: Date;
  paymentId?: string | null;
  reversesTxId?: bigint | null;
  memo?: string | null;
  lines: PostingLine[];
}

/** A debit would take a non-negative account (member savings) below zero. */
export class InsufficientFundsError extends Error {
  constructor() {
    super('insufficient funds');
    this.name = 'InsufficientFundsError';
  }
}

export class UnbalancedTransactionError extends Error {
  constructor(detail: string) {
    super(`journal transaction does not balance: ${detail}`);
    this.name = 'UnbalancedTransactionError';
  }
}

/** Reject malformed or unbalanced input before it reaches the database. */
export function assertBalanced(lines: PostingLine[], accounts: Map<bigint, AccountMeta>): void {
  if (lines.length < 2) throw new UnbalancedTransactionError('fewer than two entries');
  const perBook = new Map<bigint, bigint>();
  for (const line of lines) {
    if (line.amount <= 0n) throw new UnbalancedTransactionError(`non-positive amount ${line.amount}`);
    const meta = accounts.get(line.accountId);
    if (!meta) throw new UnbalancedTransactionError(`unknown account ${line.accountId}`);
    const signed = line.side === 'D' ? line.amount : -line.amount;
    perBook.set(meta.bookId, (perBook.get(meta.bookId) ?? 0n) + signed);
  }
  for (const [bookId, sum] of perBook) {
    if (sum !== 0n) throw new UnbalancedTransactionError(`book ${bookId} is off by ${sum}`);
  }
}

const isNonNegativeViolation = (error: unknown): boolean => {
  const cause = (error as { cause?: unknown }).cause ?? error;
  const pgError = cause as { code?: string; constraint?: string };
  return pgError.code === '23514' && pgError.constraint === 'account_balances_non_negative';
};

/**
 * A posting resolved for SQL: entry lines and per-account balance deltas as parallel arrays, so the
 * statement text is the same whatever the number of lines (it can be a named prepared statement).
 */
export interface PostingPlan {
  tx: {
    kind: string;
    paymentId: string | null;
    reversesTxId: bigint | null;
    memo: string | null;
    at: Date | null;
  };
  lineAccounts: bigint[];
  lineBooks: bigint[];
  lineSides: string[];
  lineAmounts: bigint[];
  deltaAccounts: bigint[];
  deltaBuckets: number[];
  deltas: bigint[];
}

/** Validate (balanced per book) and resolve a journal input against known account facts. */
export function planPosting(input: JournalInput, accounts: Map<bigint, AccountMeta>): PostingPlan {
  assertBalanced(input.lines, accounts);
  const deltas = new Map<bigint, bigint>();
  for (const line of input.lines) {
    const meta = accounts.get(line.accountId)!;
    const delta = line.side === normalSide(meta.type) ? line.amount : -line.amount;
    deltas.set(line.accountId, (deltas.get(line.accountId) ?? 0n) + delta);
  }
  const deltaAccounts = [...deltas.keys()];
  return {
    tx: {
      kind: input.kind,
      paymentId: input.paymentId ?? null,
      reversesTxId: input.reversesTxId ?? null,
      memo: input.memo ?? null,
      at: input.at ?? null,
    },
    lineAccounts: input.lines.map((l) => l.accountId),
    lineBooks: input.lines.map((l) => accounts.get(l.accountId)!.bookId),
    lineSides: input.lines.map((l) => l.side),
    lineAmounts: input.lines.map((l) => l.amount),
    deltaAccounts,
    deltaBuckets: deltaAccounts.map((id) => accounts.get(id)!.buckets),
    deltas: deltaAccounts.map((id) => deltas.get(id)!),
  };
}

/**
 * The posting as common table expressions for embedding in a larger statement. Its named outputs are
 * `ledger_tx` (id: the journal transaction; no row when the gate was false) and `ledger_balances`
 * (account_id, balance: the balance rows it moved, after the move); the other `ledger_*` names are private.
 * With `gate`, nothing is posted unless the gate (a SQL condition over earlier CTEs) holds.
 */
export function postingCtes(plan: PostingPlan, gate: SQL = sql`true`): SQL {
  return sql`ledger_tx AS (
      INSERT INTO journal_transactions (kind, payment_id, reverses_tx_id, memo, created_at)
      SELECT ${plan.tx.kind}, ${plan.tx.paymentId}::uuid, ${plan.tx.reversesTxId}::bigint, ${plan.tx.memo}::text,
             coalesce(${plan.tx.at}::timestamptz, now())
      WHERE ${gate}
      RETURNING id
    ), ledger_entries AS (
      INSERT INTO entries (tx_id, account_id, book_id, side, amount)
      SELECT t.id, x.account_id, x.book_id, x.side, x.amount
      FROM ledger_tx t, unnest(${sql.param(plan.lineAccounts)}::bigint[], ${sql.param(plan.lineBooks)}::bigint[],
                     ${sql.param(plan.lineSides)}::text[], ${sql.param(plan.lineAmounts)}::bigint[])
              WITH ORDINALITY AS x(account_id, book_id, side, amount, ord)
      ORDER BY x.ord
      RETURNING 1
    ), ledger_deltas AS (
      SELECT x.account_id, CASE WHEN x.buckets = 1 THEN 0 ELSE pg_backend_pid() % x.buckets END AS bucket, x.delta
      FROM unnest(${sql.param(plan.deltaAccounts)}::bigint[], ${sql.param(plan.deltaBuckets)}::int[],
                  ${sql.param(plan.deltas)}::bigint[]) AS x(account_id, buckets, delta)
      WHERE EXISTS (SELECT 1 FROM ledger_tx)
    ), ledger_locks AS (
      -- Lock the balance rows in one global order so concurrent postings never deadlock.
      SELECT b.account_id FROM account_balances b JOIN ledger_deltas d ON d.account_id = b.account_id AND d.bucket = b.bucket
      ORDER BY b.account_id, b.bucket
      FOR UPDATE OF b
    ), ledger_balances AS (
      UPDATE account_balances b SET balance = b.balance + d.delta
      FROM ledger_deltas d
      WHERE b.account_id = d.account_id AND b.bucket = d.bucket AND (SELECT count(*) FROM ledger_locks) > 0
      RETURNING b.account_id, b.balance
    ), ledger_unsealed AS (
      INSERT INTO unsealed (tx_id) SELECT id FROM ledger_tx
    )`;
}

export const isInsufficientFunds = isNonNegativeViolation;

/** Post a balanced journal transaction; returns its id. Throws InsufficientFundsError on overdraft. */
export async function postJournal(db: DbOrTx, cache: AccountCache, input: JournalInput): Promise<bigint> {
  const accounts = await loadAccounts(
    db,
    cache,
    input.lines.map((l) => l.accountId),
  );
  const plan = planPosting(input, accounts);
  let row: { tx_id: unknown; updated: unknown } | undefined;
  try {
    const result = await db.execute<{ tx_id: unknown; updated: unknown }>(
      sql`WITH ${postingCtes(plan)} SELECT (SELECT id FROM ledger_tx) AS tx_id, (SELECT count(*) FROM ledger_balances) AS updated`,
    );
    row = result.rows[0];
  } catch (error) {
    if (isNonNegativeViolation(error)) throw new InsufficientFundsError();
    throw error;
  }
  if (!row || toRupiah(row.updated) !== BigInt(plan.deltaAccounts.length)) {
    throw new Error('ledger balance rows missing for a posted account');
  }
  return toRupiah(row.tx_id);
}

/** The current balance of an account, in its normal direction (sum of its buckets). */
export async function accountBalance(db: DbOrTx, accountId: bigint): Promise<Rupiah> {
  const result = await db.execute<{ balance: unknown }>(
    sql`SELECT coalesce(sum(balance), 0) AS balance FROM account_balances WHERE account_id = ${accountId}`,
  );
  return toRupiah(result.rows[0]?.balance ?? 0);
}

export type { AccountMeta };
