/** Reconciliation: settlement files and rows, runs and their items. */
import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

import { money } from './columns.js';

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

export const RECON_CLASSES = [
  'matched',
  'amount_mismatch',
  'missing_upstream',
  'missing_here',
  'status_mismatch',
] as const;

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
