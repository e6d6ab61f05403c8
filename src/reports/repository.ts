/** The daily report's reads: the day's payments a page at a time, their counts, and the ledger's day totals. */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { toRupiah } from '../money.js';
import type { ReportRow } from './types.js';

type Day = { start: Date; end: Date };

/** The net credit movement of a koperasi account (by code) over a day, from the journal. */
export async function ledgerDayChange(
  db: DbOrTx,
  koperasiId: string,
  code: string,
  start: Date,
  end: Date,
): Promise<bigint> {
  const rows = await db.execute<{ net: string }>(sql`
    SELECT coalesce(sum(CASE WHEN e.side = 'C' THEN e.amount ELSE -e.amount END), 0)::text AS net
    FROM entries e
    JOIN accounts a ON a.id = e.account_id
    JOIN books b ON b.id = a.book_id
    JOIN journal_transactions t ON t.id = e.tx_id
    WHERE b.koperasi_id = ${koperasiId} AND a.code = ${code} AND t.created_at >= ${start} AND t.created_at < ${end}`);
  return toRupiah(rows.rows[0]?.net ?? '0');
}

/** The day's payments by product and status, its open suspects, and its reconciliation items still open. */
export async function dayPaymentCounts(db: DbOrTx, koperasiId: string, date: string, { start, end }: Day) {
  const groups = await db.execute<{ product: string; status: string; n: number; total: string }>(sql`
    SELECT product, status, count(*)::int AS n, sum(total)::text AS total FROM payments
    WHERE koperasi_id = ${koperasiId} AND created_at >= ${start} AND created_at < ${end}
    GROUP BY product, status ORDER BY product, status`);
  const suspect = await db.execute<{ n: number; total: string }>(sql`
    SELECT count(*)::int AS n, coalesce(sum(total), 0)::text AS total FROM payments
    WHERE koperasi_id = ${koperasiId} AND created_at >= ${start} AND created_at < ${end} AND status = 'suspect'`);
  const unmatched = await db.execute<{ n: number }>(sql`
    WITH latest AS (
      SELECT DISTINCT ON (adapter) id FROM recon_runs WHERE settlement_date = ${date} ORDER BY adapter, started_at DESC
    )
    SELECT count(*)::int AS n FROM recon_items i JOIN latest l ON l.id = i.run_id
    WHERE i.koperasi_id = ${koperasiId} AND i.action IN ('needs_review', 'waiting_grace')`);
  return { groups: groups.rows, suspect: suspect.rows[0], unmatched: unmatched.rows[0] };
}

export interface RowRecord {
  id: string;
  created_at: Date;
  created_text: string;
  member_no: string;
  member_name: string;
  /** A cash customer at the counter who is not a member: no member, perhaps the name they gave. */
  payer_name: string | null;
  product: string;
  customer_no: string;
  bill_amount: string;
  penalty: string;
  admin_fee: string;
  koperasi_fee: string;
  total: string;
  upstream_ref: string | null;
  status: ReportRow['status'];
  recon: string | null;
}

/** One page of the day's payments in (created_at, id) order, after the cursor. */
export async function dayPaymentsPage(
  db: DbOrTx,
  koperasiId: string,
  { start, end }: Day,
  after: { at: string; id: string } | undefined,
  limit: number,
): Promise<RowRecord[]> {
  const page = await db.execute<RowRecord & Record<string, unknown>>(sql`
      SELECT p.id, p.created_at, p.created_at::text AS created_text, coalesce(u.username, '') AS member_no,
             coalesce(u.name, '') AS member_name, p.payer_name, p.product, p.customer_no,
             p.bill_amount::text, p.penalty::text, p.admin_fee::text, p.koperasi_fee::text, p.total::text,
             p.upstream_ref, p.status,
             (SELECT i.class FROM recon_items i JOIN recon_runs r ON r.id = i.run_id
              WHERE i.payment_id = p.id ORDER BY r.started_at DESC LIMIT 1) AS recon
      FROM payments p LEFT JOIN users u ON u.id = p.member_id
      WHERE p.koperasi_id = ${koperasiId} AND p.created_at >= ${start} AND p.created_at < ${end}
        ${after ? sql`AND (p.created_at, p.id) > (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
      ORDER BY p.created_at, p.id
      LIMIT ${limit}`);
  return page.rows;
}

/** A range of WIB days: the dates (inclusive) and the instants [start, end). */
export interface DayRange {
  from: string;
  to: string;
  start: Date;
  end: Date;
}

/**
 * The range's figures per WIB day in three grouped reads — payments by day, product and status; the ledger's
 * movements by day of the accounts the report totals; reconciliation items still open by settlement day — so a
 * year costs three queries, not three per day. Each day's numbers are the ones `dailyTotals` computes for it.
 */
export async function rangeDayFigures(db: DbOrTx, koperasiId: string, range: DayRange) {
  const payments = await db.execute<{
    day: string;
    product: string;
    status: string;
    n: number;
    total: string;
  }>(sql`
    SELECT to_char(created_at AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM-DD') AS day, product, status,
           count(*)::int AS n, sum(total)::text AS total
    FROM payments
    WHERE koperasi_id = ${koperasiId} AND created_at >= ${range.start} AND created_at < ${range.end}
    GROUP BY 1, product, status ORDER BY 1, product, status`);
  const ledger = await db.execute<{ day: string; code: string; net: string }>(sql`
    SELECT to_char(t.created_at AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM-DD') AS day, a.code,
           sum(CASE WHEN e.side = 'C' THEN e.amount ELSE -e.amount END)::text AS net
    FROM books b
    JOIN accounts a ON a.book_id = b.id AND a.code IN ('fee_income', 'commission_income', 'payable_gateway')
    JOIN entries e ON e.account_id = a.id
    JOIN journal_transactions t ON t.id = e.tx_id
    WHERE b.koperasi_id = ${koperasiId} AND t.created_at >= ${range.start} AND t.created_at < ${range.end}
    GROUP BY 1, a.code`);
  const unmatched = await db.execute<{ day: string; n: number }>(sql`
    WITH latest AS (
      SELECT DISTINCT ON (adapter, settlement_date) id, settlement_date FROM recon_runs
      WHERE settlement_date >= ${range.from} AND settlement_date <= ${range.to}
      ORDER BY adapter, settlement_date, started_at DESC
    )
    SELECT l.settlement_date AS day, count(*)::int AS n FROM recon_items i JOIN latest l ON l.id = i.run_id
    WHERE i.koperasi_id = ${koperasiId} AND i.action IN ('needs_review', 'waiting_grace')
    GROUP BY 1`);
  return {
    payments: payments.rows.map((r) => ({ ...r, total: toRupiah(r.total) })),
    ledger: ledger.rows.map((r) => ({ ...r, net: toRupiah(r.net) })),
    unmatched: unmatched.rows,
  };
}
