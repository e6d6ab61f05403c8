/**
 * Autodebet (langganan): a member's saved customer number paid every month from savings on a chosen day, up to a
 * limit; one run per subscription and period (YYYY-MM, WIB), which pays at most once. Notifications tell the member
 * (and the treasurer) what a run did or why it did not pay.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

import { createdAt, money } from './columns.js';
import { koperasi, users } from './tenancy.js';

export const SUBSCRIPTION_STATUSES = ['active', 'paused', 'cancelled'] as const;

export const subscriptions = pgTable(
  'subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    koperasiId: uuid('koperasi_id')
      .notNull()
      .references(() => koperasi.id),
    memberId: uuid('member_id')
      .notNull()
      .references(() => users.id),
    product: text('product').notNull(),
    customerNo: text('customer_no').notNull(),
    nickname: text('nickname').notNull(),
    /** BPJS Kesehatan: months paid each time. */
    months: smallint('months'),
    /** Day of the month (WIB) the payment is due; 29–31 mean the month's last day in shorter months. */
    dayOfMonth: smallint('day_of_month').notNull(),
    /** "Bayar otomatis sampai Rp …": a bill above this is not paid. */
    maxAmount: money('max_amount').notNull(),
    status: text('status', { enum: SUBSCRIPTION_STATUSES }).notNull().default('active'),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('subscriptions_koperasi_member').on(t.koperasiId, t.memberId),
    uniqueIndex('subscriptions_one_live')
      .on(t.memberId, t.product, t.customerNo)
      .where(sql`${t.status} <> 'cancelled'`),
    check('subscriptions_day', sql`${t.dayOfMonth} BETWEEN 1 AND 31`),
    check('subscriptions_max_amount', sql`${t.maxAmount} > 0`),
    check('subscriptions_nickname_length', sql`char_length(${t.nickname}) BETWEEN 1 AND 40`),
  ],
);

export const RUN_STATUSES = [
  /** Being worked on, or waiting for its next try (next_try_at). */
  'pending',
  /** The payment was made (payment_id; it may still be processing). */
  'paid',
  /** Not paid this period: over the limit, savings short on the last day, nothing to pay until the end. */
  'skipped',
] as const;

export const subscriptionRuns = pgTable(
  'subscription_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    subscriptionId: uuid('subscription_id')
      .notNull()
      .references(() => subscriptions.id),
    koperasiId: uuid('koperasi_id').notNull(),
    /** The month this run pays, YYYY-MM (WIB). */
    period: text('period').notNull(),
    status: text('status', { enum: RUN_STATUSES }).notNull().default('pending'),
    /** The last thing that happened, as a stable code (NOTHING_DUE, OVER_LIMIT, INSUFFICIENT_BALANCE, ...). */
    outcome: text('outcome'),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
    tries: integer('tries').notNull().default(0),
    nextTryAt: timestamp('next_try_at', { withTimezone: true }),
    lastTriedAt: timestamp('last_tried_at', { withTimezone: true }),
    paymentId: uuid('payment_id'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('subscription_runs_period').on(t.subscriptionId, t.period),
    uniqueIndex('subscription_runs_payment').on(t.paymentId),
    index('subscription_runs_due')
      .on(t.nextTryAt)
      .where(sql`${t.status} = 'pending'`),
  ],
);

export const notifications = pgTable(
  'notifications',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    koperasiId: uuid('koperasi_id').notNull(),
    /** The member it is for; null: for the koperasi's staff (treasurer). */
    memberId: uuid('member_id'),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    subscriptionId: uuid('subscription_id'),
    paymentId: uuid('payment_id'),
    /** One notice per thing that happened (e.g. "run X tried at T"): a retried job does not say it twice. */
    dedupeKey: text('dedupe_key').notNull(),
    createdAt: createdAt(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('notifications_dedupe').on(t.koperasiId, t.dedupeKey),
    index('notifications_member').on(t.koperasiId, t.memberId, t.createdAt),
  ],
);
