/**
 * Drizzle tables (snake_case columns). `migrations/` is generated from this file by drizzle-kit;
 * the database-side guards (append-only triggers, CHECKs drizzle cannot express) live in custom
 * migrations next to the generated ones.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
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

const money = (name: string) => bigint(name, { mode: 'bigint' });
const id64 = (name: string) => bigint(name, { mode: 'bigint' });
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

// ─── tenancy and auth ───────────────────────────────────────────────────────────────────────────

export const koperasi = pgTable('koperasi', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  createdAt: createdAt(),
});

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    koperasiId: uuid('koperasi_id')
      .notNull()
      .references(() => koperasi.id),
    role: text('role', { enum: ['treasurer', 'member'] }).notNull(),
    /** Treasurers: a chosen username. Members: their member number (nomor anggota). */
    username: text('username').notNull(),
    name: text('name').notNull(),
    phone: text('phone'),
    passwordHash: text('password_hash').notNull(),
    pinHash: text('pin_hash'),
    pinFailures: integer('pin_failures').notNull().default(0),
    pinLockedAt: timestamp('pin_locked_at', { withTimezone: true }),
    /** Members: their simpanan sukarela (voluntary savings) account in the koperasi's book. */
    savingsAccountId: id64('savings_account_id'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_koperasi_username').on(t.koperasiId, t.username)],
);

export const fees = pgTable(
  'fees',
  {
    koperasiId: uuid('koperasi_id')
      .notNull()
      .references(() => koperasi.id),
    product: text('product').notNull(),
    amount: money('amount').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by'),
  },
  (t) => [primaryKey({ columns: [t.koperasiId, t.product] }), check('fees_amount_nonnegative', sql`${t.amount} >= 0`)],
);

/** Results of money-moving requests, replayed for the same key; scoped to the caller. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code'),
    responseBody: jsonb('response_body'),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] })],
);

/** Who did what, when, before and after, and why. Append-only (trigger). */
export const auditLog = pgTable(
  'audit_log',
  {
    id: id64('id').primaryKey().generatedAlwaysAsIdentity(),
    koperasiId: uuid('koperasi_id'),
    actorType: text('actor_type', { enum: ['admin', 'treasurer', 'member', 'system', 'upstream'] }).notNull(),
    actorId: text('actor_id'),
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    reason: text('reason'),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_subject').on(t.subjectType, t.subjectId), index('audit_log_koperasi').on(t.koperasiId, t.createdAt)],
);

// ─── ledger ─────────────────────────────────────────────────────────────────────────────────────

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
    uniqueIndex('books_single_platform').on(t.kind).where(sql`${t.kind} = 'platform'`),
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
    balance: money('balance').notNull().default(sql`0`),
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
  (t) => [index('journal_transactions_payment').on(t.paymentId)],
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
    status: text('status', { enum: ['pending', 'posted', 'voided'] }).notNull().default('pending'),
    holdTxId: id64('hold_tx_id').notNull(),
    finalTxId: id64('final_tx_id'),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    index('holds_pending_account').on(t.debitAccountId).where(sql`${t.status} = 'pending'`),
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
  (t) => [primaryKey({ columns: [t.bookId, t.seq] }), uniqueIndex('journal_seals_book_tx').on(t.bookId, t.txId)],
);

// ─── payments ───────────────────────────────────────────────────────────────────────────────────

export const quotes = pgTable(
  'quotes',
  {
    id: uuid('id').primaryKey(),
    koperasiId: uuid('koperasi_id').notNull(),
    memberId: uuid('member_id').notNull(),
    product: text('product').notNull(),
    customerNo: text('customer_no').notNull(),
    adapter: text('adapter').notNull(),
    sku: text('sku').notNull(),
    refId: text('ref_id').notNull(),
    upstreamHandle: text('upstream_handle'),
    customerName: text('customer_name').notNull(),
    periods: jsonb('periods').$type<{ period: string; amount: string; penalty: string; admin: string }[]>().notNull(),
    details: jsonb('details').$type<Record<string, string>>().notNull(),
    months: smallint('months'),
    denomination: money('denomination'),
    billAmount: money('bill_amount').notNull(),
    penalty: money('penalty').notNull(),
    adminFee: money('admin_fee').notNull(),
    koperasiFee: money('koperasi_fee').notNull(),
    price: money('price').notNull(),
    total: money('total').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('quotes_adapter_ref').on(t.adapter, t.refId), index('quotes_member').on(t.memberId, t.createdAt)],
);

export const PAYMENT_STATUSES = ['processing', 'success', 'failed', 'suspect', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey(),
    koperasiId: uuid('koperasi_id').notNull(),
    memberId: uuid('member_id').notNull(),
    quoteId: uuid('quote_id').notNull(),
    product: text('product').notNull(),
    customerNo: text('customer_no').notNull(),
    customerName: text('customer_name').notNull(),
    periods: jsonb('periods').$type<string[]>().notNull(),
    months: smallint('months'),
    denomination: money('denomination'),
    billAmount: money('bill_amount').notNull(),
    penalty: money('penalty').notNull(),
    adminFee: money('admin_fee').notNull(),
    koperasiFee: money('koperasi_fee').notNull(),
    /** Quoted upstream price (what our deposit pays); the posting uses the price the upstream confirms. */
    price: money('price').notNull(),
    total: money('total').notNull(),
    status: text('status', { enum: PAYMENT_STATUSES }).notNull(),
    holdId: id64('hold_id').notNull(),
    adapter: text('adapter').notNull(),
    refId: text('ref_id').notNull(),
    upstreamRef: text('upstream_ref'),
    token: text('token'),
    failureCode: text('failure_code'),
    failureMessage: text('failure_message'),
    suspectSince: timestamp('suspect_since', { withTimezone: true }),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('payments_quote').on(t.quoteId),
    index('payments_member_created').on(t.memberId, t.createdAt, t.id),
    index('payments_koperasi_created').on(t.koperasiId, t.createdAt, t.id),
    index('payments_open').on(t.status).where(sql`${t.status} in ('processing', 'suspect')`),
  ],
);

/** Every upstream transaction we created for a payment: at most one is ever sent per ref. */
export const paymentAttempts = pgTable(
  'payment_attempts',
  {
    paymentId: uuid('payment_id').notNull(),
    attemptNo: smallint('attempt_no').notNull(),
    adapter: text('adapter').notNull(),
    sku: text('sku').notNull(),
    refId: text('ref_id').notNull(),
    upstreamHandle: text('upstream_handle'),
    state: text('state', { enum: ['sending', 'success', 'failed', 'suspect', 'refunded', 'not_created'] }).notNull(),
    rc: text('rc'),
    message: text('message'),
    price: money('price'),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.paymentId, t.attemptNo] }), uniqueIndex('payment_attempts_ref').on(t.adapter, t.refId)],
);

/**
 * The outbox: a row exists while a payment needs worker action (processing, or suspect with a poll
 * due). Written in the same transaction as the state it describes; the relay re-enqueues overdue rows,
 * so a job lost by Redis (flush, restart, crash between commit and enqueue) is never lost for good.
 */
export const outbox = pgTable(
  'outbox',
  {
    paymentId: uuid('payment_id').primaryKey(),
    /** Bumped each time the payment is rescheduled; the job id carries it, so stale jobs are no-ops. */
    seq: integer('seq').notNull().default(0),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('outbox_due').on(t.dueAt)],
);

/** Callback deliveries already applied: a replayed delivery id changes nothing. */
export const callbackDeliveries = pgTable(
  'callback_deliveries',
  {
    adapter: text('adapter').notNull(),
    deliveryId: text('delivery_id').notNull(),
    refId: text('ref_id').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.adapter, t.deliveryId] })],
);

// ─── reconciliation ─────────────────────────────────────────────────────────────────────────────

/** One upstream settlement file for one adapter and WIB date; a corrected file is a new version. */
export const settlementFiles = pgTable(
  'settlement_files',
  {
    id: uuid('id').primaryKey(),
    adapter: text('adapter').notNull(),
    settlementDate: text('settlement_date').notNull(),
    sha256: text('sha256').notNull(),
    source: text('source', { enum: ['fetched', 'uploaded'] }).notNull(),
    rowCount: integer('row_count').notNull(),
    totalAmount: money('total_amount').notNull(),
    totalPrice: money('total_price').notNull(),
    ingestedAt: timestamp('ingested_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('settlement_files_version').on(t.adapter, t.settlementDate, t.sha256),
    index('settlement_files_day').on(t.adapter, t.settlementDate, t.ingestedAt),
  ],
);

export const settlementRows = pgTable(
  'settlement_rows',
  {
    fileId: uuid('file_id').notNull(),
    lineNo: integer('line_no').notNull(),
    refId: text('ref_id').notNull(),
    trxTime: timestamp('trx_time', { withTimezone: true }).notNull(),
    finalTime: timestamp('final_time', { withTimezone: true }).notNull(),
    billerTrxId: text('biller_trx_id').notNull(),
    productCode: text('product_code').notNull(),
    customerNo: text('customer_no').notNull(),
    totalAmount: money('total_amount').notNull(),
    price: money('price').notNull(),
    commission: money('commission').notNull(),
    status: text('status', { enum: ['SUCCESS', 'FAILED', 'REFUNDED'] }).notNull(),
    rc: text('rc').notNull(),
    snOrToken: text('sn_or_token').notNull(),
  },
  (t) => [primaryKey({ columns: [t.fileId, t.refId] }), index('settlement_rows_ref').on(t.refId)],
);

export const RECON_CLASSES = ['matched', 'amount_mismatch', 'missing_upstream', 'missing_here', 'status_mismatch'] as const;

export const reconRuns = pgTable(
  'recon_runs',
  {
    id: uuid('id').primaryKey(),
    adapter: text('adapter').notNull(),
    settlementDate: text('settlement_date').notNull(),
    fileId: uuid('file_id').notNull(),
    trigger: text('trigger').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    summary: jsonb('summary').$type<Record<string, number>>(),
  },
  (t) => [index('recon_runs_day').on(t.adapter, t.settlementDate, t.startedAt)],
);

export const reconItems = pgTable(
  'recon_items',
  {
    runId: uuid('run_id').notNull(),
    refId: text('ref_id').notNull(),
    paymentId: uuid('payment_id'),
    koperasiId: uuid('koperasi_id'),
    class: text('class', { enum: RECON_CLASSES }).notNull(),
    ourStatus: text('our_status'),
    upstreamStatus: text('upstream_status'),
    ourAmount: money('our_amount'),
    upstreamAmount: money('upstream_amount'),
    ourPrice: money('our_price'),
    upstreamPrice: money('upstream_price'),
    action: text('action', {
      enum: ['none', 'auto_success', 'auto_failed', 'auto_refund', 'needs_review', 'waiting_grace'],
    }).notNull(),
    note: text('note'),
  },
  (t) => [
    primaryKey({ columns: [t.runId, t.refId] }),
    index('recon_items_payment').on(t.paymentId),
    index('recon_items_koperasi').on(t.koperasiId, t.class),
  ],
);
