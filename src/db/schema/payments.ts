/** Payments: quotes, payments, upstream attempts, the outbox, callback deliveries. */
import { sql } from 'drizzle-orm';
import {
  check,
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

import { createdAt, id64, money } from './columns.js';

export const quotes = pgTable(
  'quotes',
  {
    id: uuid('id').primaryKey(),
    koperasiId: uuid('koperasi_id').notNull(),
    /** The member whose bill check this is; null for a cash customer at the counter (see kasirId). */
    memberId: uuid('member_id'),
    /** The counter clerk who made the inquiry at the desk (a member's payment there, or a cash one). */
    kasirId: uuid('kasir_id'),
    product: text('product').notNull(),
    customerNo: text('customer_no').notNull(),
    adapter: text('adapter').notNull(),
    sku: text('sku').notNull(),
    refId: text('ref_id').notNull(),
    upstreamHandle: text('upstream_handle'),
    customerName: text('customer_name').notNull(),
    periods: jsonb('periods')
      .$type<{ period: string; amount: string; penalty: string; admin: string }[]>()
      .notNull(),
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
  (t) => [
    uniqueIndex('quotes_adapter_ref').on(t.adapter, t.refId),
    index('quotes_member').on(t.memberId, t.createdAt),
  ],
);

export const PAYMENT_STATUSES = ['processing', 'success', 'failed', 'suspect', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** Where a payment was started: the member's app, an autodebet subscription, or the koperasi's counter. */
export const PAYMENT_CHANNELS = ['app', 'autodebet', 'counter'] as const;
export type PaymentChannel = (typeof PAYMENT_CHANNELS)[number];
/** Where the money came from: the member's savings, or cash at the counter (into the kasir's drawer). */
export const PAYMENT_FUNDING = ['savings', 'cash'] as const;
export type PaymentFunding = (typeof PAYMENT_FUNDING)[number];

export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey(),
    koperasiId: uuid('koperasi_id').notNull(),
    /** The paying member; null only for a cash payment by a non-member at the counter. */
    memberId: uuid('member_id'),
    quoteId: uuid('quote_id').notNull(),
    channel: text('channel', { enum: PAYMENT_CHANNELS }).notNull().default('app'),
    funding: text('funding', { enum: PAYMENT_FUNDING }).notNull().default('savings'),
    /** Counter payments: the clerk and their shift (cash goes into that shift's drawer). */
    kasirId: uuid('kasir_id'),
    shiftId: uuid('shift_id'),
    /** Autodebet payments: the subscription that made it. */
    subscriptionId: uuid('subscription_id'),
    /** Cash payments: who paid at the desk (optional, for the struk and a WhatsApp share). */
    payerName: text('payer_name'),
    payerPhone: text('payer_phone'),
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
    /**
     * Set when the machine stopped deciding and a person must (Pintu and the upstream disagree, or the
     * upstream never gave a final answer): the evidence in words. An open payment is always either
     * scheduled (outbox row) or listed here.
     */
    reviewReason: text('review_reason'),
    reviewSince: timestamp('review_since', { withTimezone: true }),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('payments_quote').on(t.quoteId),
    index('payments_member_created').on(t.memberId, t.createdAt, t.id),
    index('payments_koperasi_created').on(t.koperasiId, t.createdAt, t.id),
    index('payments_shift')
      .on(t.shiftId)
      .where(sql`${t.shiftId} is not null`),
    check(
      'payments_funding_payer',
      sql`(${t.funding} = 'savings' AND ${t.memberId} IS NOT NULL) OR (${t.funding} = 'cash' AND ${t.shiftId} IS NOT NULL)`,
    ),
    index('payments_open')
      .on(t.status)
      .where(sql`${t.status} in ('processing', 'suspect')`),
    index('payments_review')
      .on(t.koperasiId, t.reviewSince)
      .where(sql`${t.reviewReason} is not null`),
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
    state: text('state', {
      enum: ['sending', 'success', 'failed', 'suspect', 'refunded', 'not_created'],
    }).notNull(),
    rc: text('rc'),
    message: text('message'),
    price: money('price'),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.paymentId, t.attemptNo] }),
    uniqueIndex('payment_attempts_ref').on(t.adapter, t.refId),
  ],
);

/**
 * The outbox: a row exists while a payment needs worker action (processing, or suspect with a poll
 * due). Written in the same transaction as the state it describes, it is the workers' queue: they claim due
 * rows (moving `due_at` out by a lease), so nothing outside PostgreSQL can lose a payment's next step.
 */
export const outbox = pgTable(
  'outbox',
  {
    paymentId: uuid('payment_id').primaryKey(),
    /** Bumped each time the payment is rescheduled; a claim carries it, so a stale step is a no-op. */
    seq: integer('seq').notNull().default(0),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull().defaultNow(),
    /**
     * A refund or failure notice arrived and is being confirmed with the upstream: the row outlives the
     * payment's success, so an answer read before the refund but applied after the notice cannot end
     * the confirmation (the worker then checks the paid bill for a reversal).
     */
    noticeAt: timestamp('notice_at', { withTimezone: true }),
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
