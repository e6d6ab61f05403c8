/** A member's own customer numbers, with a nickname ("Rumah Ibu"): paid again with one tap. */
import { sql } from 'drizzle-orm';
import { check, index, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

import { createdAt } from './columns.js';
import { koperasi, users } from './tenancy.js';

export const savedNumbers = pgTable(
  'saved_numbers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    koperasiId: uuid('koperasi_id')
      .notNull()
      .references(() => koperasi.id),
    memberId: uuid('member_id')
      .notNull()
      .references(() => users.id),
    /** A product code of the catalog (config/products.ts), as payments carry it. */
    product: text('product').notNull(),
    customerNo: text('customer_no').notNull(),
    nickname: text('nickname').notNull(),
    /** BPJS Kesehatan: how many months the member usually pays. */
    months: smallint('months'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    lastPaidAt: timestamp('last_paid_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('saved_numbers_member_product_no').on(t.memberId, t.product, t.customerNo),
    index('saved_numbers_koperasi_member').on(t.koperasiId, t.memberId),
    check('saved_numbers_nickname_length', sql`char_length(${t.nickname}) BETWEEN 1 AND 40`),
    check('saved_numbers_months_range', sql`${t.months} IS NULL OR ${t.months} BETWEEN 1 AND 24`),
  ],
);
