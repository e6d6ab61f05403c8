/**
 * The koperasi's counter (loket): a kasir's shift, from the opening float to the closing count. While a shift is
 * open its drawer account (cash_drawer:<kasirId> in the koperasi's book) holds exactly the cash that should be in
 * the drawer; closing moves what was counted to the koperasi's cash and the difference to "selisih kas".
 */
import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

import { createdAt, id64, money } from './columns.js';
import { koperasi, users } from './tenancy.js';

export const counterShifts = pgTable(
  'counter_shifts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    koperasiId: uuid('koperasi_id')
      .notNull()
      .references(() => koperasi.id),
    kasirId: uuid('kasir_id')
      .notNull()
      .references(() => users.id),
    /** The kasir's drawer account (cash_drawer:<kasirId>) in the koperasi's book. */
    drawerAccountId: id64('drawer_account_id').notNull(),
    openingFloat: money('opening_float').notNull(),
    /** The journal transaction that moved the float from the koperasi's cash into the drawer (none for 0). */
    openTxId: id64('open_tx_id'),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** At closing: what the ledger says the drawer holds, what the kasir counted, counted − expected. */
    expected: money('expected'),
    counted: money('counted'),
    difference: money('difference'),
    closeNote: text('close_note'),
    closedBy: uuid('closed_by'),
    closeTxId: id64('close_tx_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('counter_shifts_one_open')
      .on(t.kasirId)
      .where(sql`${t.closedAt} is null`),
    index('counter_shifts_koperasi_opened').on(t.koperasiId, t.openedAt),
    check('counter_shifts_float', sql`${t.openingFloat} >= 0`),
    check(
      'counter_shifts_closed_whole',
      sql`(${t.closedAt} IS NULL) = (${t.counted} IS NULL) AND (${t.closedAt} IS NULL) = (${t.expected} IS NULL)`,
    ),
  ],
);
