/** The ledger: books, accounts, balances (bucketed for hot accounts), journal transactions, entries, holds, seals. */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

import { bytea, createdAt, id64, money } from './columns.js';
import { koperasi } from './tenancy.js';

/** One book per koperasi, plus the platform operator's (koperasi_id null). */
export const books = pgTable(
  'books',
  {
    id: id64('id').primaryKey().generatedAlwaysAsIdentity(),
    koperasiId: uuid('koperasi_id').references(() => koperasi.id),
    kind: text('kind', { enum: ['koperasi', 'platform'] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('books_koperasi').on(t.koperasiId),
    uniqueIndex('books_single_platform')
      .on(t.kind)
      .where(sql`${t.kind} = 'platform'`),
  ],
);

export const accounts = pgTable(
  'accounts',
  {
    id: id64('id').primaryKey().generatedAlwaysAsIdentity(),
    bookId: id64('book_id')
      .notNull()
      .references(() => books.id),
    code: text('code').notNull(),
    name: text('name').notNull(),
    type: text('type', { enum: ['asset', 'liability', 'income', 'expense', 'equity'] }).notNull(),
    /**
     * Balance rows for this account. 1 for ordinary accounts; hot accounts (a koperasi's fee income,
     * in-flight holds, the platform's upstream deposit) spread their balance over N rows so that
     * concurrent postings do not queue behind one row lock. The balance is their sum.
     */
    buckets: smallint('buckets').notNull().default(1),
    nonNegative: boolean('non_negative').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('accounts_book_code').on(t.bookId, t.code),
    check('accounts_buckets_range', sql`${t.buckets} between 1 and 256`),
    check('accounts_non_negative_single_bucket', sql`not ${t.nonNegative} or ${t.buckets} = 1`),
  ],
);

/** Balances in the account's normal direction (debit-normal for assets/expenses, credit-normal otherwise). */
export const accountBalances = pgTable(
  'account_balances',
  {
    accountId: id64('account_id')
      .notNull()
      .references(() => accounts.id),
    bucket: smallint('bucket').notNull(),
    balance: money('balance')
      .notNull()
      .default(sql`0`),
    nonNegative: boolean('non_negative').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.bucket] }),
    // The database, not the code, guarantees savings never go below zero under any concurrency.
    check('account_balances_non_negative', sql`not ${t.nonNegative} or ${t.balance} >= 0`),
  ],
);

export const journalTransactions = pgTable(
  'journal_transactions',
  {
    id: id64('id').primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind').notNull(),
    paymentId: uuid('payment_id'),
    reversesTxId: id64('reverses_tx_id'),
    memo: text('memo'),
    createdAt: createdAt(),
  },
  (t) => [
    index('journal_transactions_payment').on(t.paymentId),
    // A deposit is corrected at most once (migrations/0009).
    uniqueIndex('journal_transactions_one_deposit_correction')
      .on(t.reversesTxId)
      .where(sql`${t.kind} = 'deposit_correction'`),
    // A failed cash payment's money goes back over the counter at most once (migrations/0010).
    uniqueIndex('journal_transactions_one_cash_return')
      .on(t.paymentId)
      .where(sql`${t.kind} = 'counter_cash_return'`),
  ],
);

export const entries = pgTable(
  'entries',
  {
    id: id64('id').primaryKey().generatedAlwaysAsIdentity(),
    txId: id64('tx_id')
      .notNull()
      .references(() => journalTransactions.id),
    accountId: id64('account_id')
      .notNull()
      .references(() => accounts.id),
    bookId: id64('book_id').notNull(),
    side: text('side', { enum: ['D', 'C'] }).notNull(),
    amount: money('amount').notNull(),
  },
  (t) => [
    index('entries_tx').on(t.txId),
    index('entries_account').on(t.accountId),
    check('entries_amount_positive', sql`${t.amount} > 0`),
  ],
);

/** Two-phase payment holds: savings → in-flight at request, then posted out or voided back. */
export const holds = pgTable(
  'holds',
  {
    id: id64('id').primaryKey().generatedAlwaysAsIdentity(),
    bookId: id64('book_id').notNull(),
    debitAccountId: id64('debit_account_id').notNull(),
    holdAccountId: id64('hold_account_id').notNull(),
    amount: money('amount').notNull(),
    status: text('status', { enum: ['pending', 'posted', 'voided'] })
      .notNull()
      .default('pending'),
    holdTxId: id64('hold_tx_id').notNull(),
    finalTxId: id64('final_tx_id'),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('holds_pending_account')
      .on(t.debitAccountId)
      .where(sql`${t.status} = 'pending'`),
    check('holds_amount_positive', sql`${t.amount} > 0`),
  ],
);

/** Committed transactions waiting for the sealer to append them to their books' hash chains. */
export const unsealed = pgTable('unsealed', {
  txId: id64('tx_id').primaryKey(),
});

/** Per-book hash chain: seq is the order the sealer appended the book's transactions (commit order). */
export const journalSeals = pgTable(
  'journal_seals',
  {
    bookId: id64('book_id').notNull(),
    seq: id64('seq').notNull(),
    txId: id64('tx_id').notNull(),
    prevHash: bytea('prev_hash').notNull(),
    hash: bytea('hash').notNull(),
    sealedAt: timestamp('sealed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.bookId, t.seq] }),
    uniqueIndex('journal_seals_book_tx').on(t.bookId, t.txId),
  ],
);

/**
 * Signed checkpoints: per book and WIB day (and on demand), the chain head, the entry count and the balances
 * of the book's accounts as of that head, signed with the platform's Ed25519 key. Append-only. A copy kept
 * outside the database (the office exports them) proves later that history up to the head is unchanged.
 */
export const ledgerCheckpoints = pgTable(
  'ledger_checkpoints',
  {
    id: id64('id').primaryKey().generatedAlwaysAsIdentity(),
    bookId: id64('book_id')
      .notNull()
      .references(() => books.id),
    koperasiId: uuid('koperasi_id'),
    day: date('day').notNull(),
    kind: text('kind', { enum: ['daily', 'on_demand'] }).notNull(),
    seq: id64('seq').notNull(),
    txId: id64('tx_id'),
    headHash: bytea('head_hash').notNull(),
    entryCount: bigint('entry_count', { mode: 'bigint' }).notNull(),
    balances: jsonb('balances').notNull(),
    keyId: text('key_id').notNull(),
    /** The exact signed bytes (canonical JSON) and the signature over them. */
    payload: text('payload').notNull(),
    signature: bytea('signature').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('ledger_checkpoints_daily')
      .on(t.bookId, t.day)
      .where(sql`${t.kind} = 'daily'`),
    index('ledger_checkpoints_koperasi').on(t.koperasiId, t.day),
  ],
);

/** Every run of `ledger verify` (CLI or the worker's daily run): when, whether it passed, what failed. */
export const ledgerVerifications = pgTable('ledger_verifications', {
  id: id64('id').primaryKey().generatedAlwaysAsIdentity(),
  checkedAt: timestamp('checked_at', { withTimezone: true }).notNull().defaultNow(),
  source: text('source', { enum: ['cli', 'worker'] }).notNull(),
  ok: boolean('ok').notNull(),
  failedChecks: jsonb('failed_checks').notNull(),
  checkpointsChecked: integer('checkpoints_checked').notNull().default(0),
});
