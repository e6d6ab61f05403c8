/**
 * Counter invariants `pintu ledger verify` checks beside the ledger's and the payments' own: a drawer holds cash
 * only while its kasir's shift is open, the cash owed to customers of failed cash payments is exactly what the
 * ledger says the koperasi owes them, and every closing adds up and was posted.
 */
import { sql } from 'drizzle-orm';
import type { VerifyCheck } from '../ledger/verify.js';

export const COUNTER_CHECKS: VerifyCheck[] = [
  {
    name: 'cash_drawers_empty_when_closed',
    description: "every kasir's cash drawer account is 0 while the kasir has no open shift",
    query: sql`
      SELECT a.id::text AS account_id, a.book_id::text AS book_id, a.code, sum(b.balance)::text AS balance
      FROM accounts a JOIN account_balances b ON b.account_id = a.id
      WHERE a.code LIKE 'cash_drawer:%'
        AND NOT EXISTS (SELECT 1 FROM counter_shifts s WHERE s.drawer_account_id = a.id AND s.closed_at IS NULL)
      GROUP BY a.id, a.book_id, a.code
      HAVING sum(b.balance) <> 0`,
  },
  {
    name: 'counter_funds_match_cash_owed',
    description:
      "each book's counter_customer_funds equals the total of failed or refunded cash payments whose cash was not handed back",
    query: sql`
      WITH funds AS (
        SELECT bk.koperasi_id, sum(b.balance) AS balance
        FROM accounts a JOIN books bk ON bk.id = a.book_id JOIN account_balances b ON b.account_id = a.id
        WHERE a.code = 'counter_customer_funds'
        GROUP BY bk.koperasi_id
      ), owed AS (
        SELECT p.koperasi_id, sum(p.total) AS total, count(*)::int AS payments
        FROM payments p
        WHERE p.funding = 'cash' AND p.status IN ('failed', 'refunded')
          AND NOT EXISTS (SELECT 1 FROM journal_transactions j WHERE j.payment_id = p.id AND j.kind = 'counter_cash_return')
        GROUP BY p.koperasi_id
      )
      SELECT coalesce(f.koperasi_id, o.koperasi_id)::text AS koperasi_id,
             coalesce(f.balance, 0)::text AS customer_funds, coalesce(o.total, 0)::text AS cash_owed,
             coalesce(o.payments, 0) AS payments
      FROM funds f FULL OUTER JOIN owed o ON o.koperasi_id = f.koperasi_id
      WHERE coalesce(f.balance, 0) <> coalesce(o.total, 0)`,
  },
  {
    name: 'closed_shifts_add_up',
    description:
      'every closed shift: difference = counted − expected, and its closing transaction exists and moved exactly expected out of the drawer',
    query: sql`
      SELECT s.id::text AS shift_id, s.koperasi_id::text AS koperasi_id, s.expected::text AS expected,
             s.counted::text AS counted, s.difference::text AS difference, s.close_tx_id::text AS close_tx_id
      FROM counter_shifts s
      WHERE s.closed_at IS NOT NULL AND (
        s.difference IS NULL OR s.expected - s.counted <> -s.difference
        OR (s.close_tx_id IS NULL AND (s.expected <> 0 OR s.counted <> 0))
        OR (s.close_tx_id IS NOT NULL AND NOT EXISTS (
              SELECT 1 FROM journal_transactions t WHERE t.id = s.close_tx_id AND t.kind = 'counter_close'))
        OR (s.close_tx_id IS NOT NULL AND s.expected <> coalesce((
              SELECT sum(CASE WHEN e.side = 'C' THEN e.amount ELSE -e.amount END)
              FROM entries e WHERE e.tx_id = s.close_tx_id AND e.account_id = s.drawer_account_id), 0))
      )`,
  },
];
