/**
 * The counter's (loket) figures of a span of WIB days, for the daily report and Tutup hari: counter payments by
 * funding (cash or savings), and the cash of the shifts — floats given, cash taken and handed back (from the
 * ledger's counter postings), the closing counts and their differences, shifts still open, cash still owed.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { type Rupiah, toRupiah } from '../money.js';

export interface CounterFundingLine {
  /** Successful payments: how many, what customers paid, the koperasi fee earned. */
  count: number;
  total: Rupiah;
  fee: Rupiah;
  /** Failed or refunded ones. */
  failed: number;
}

export interface CounterFigures {
  payments: { cash: CounterFundingLine; savings: CounterFundingLine };
  cash: {
    /** Shifts opened in the span, and shifts open now (of any day). */
    shifts: number;
    openShifts: number;
    floats: Rupiah;
    taken: Rupiah;
    returned: Rupiah;
    /** Of the shifts closed in the span. */
    expected: Rupiah;
    counted: Rupiah;
    difference: Rupiah;
    /** What the koperasi owed counter customers at the span's end (counter_customer_funds). */
    owed: Rupiah;
  };
}

export async function counterFigures(
  db: DbOrTx,
  koperasiId: string,
  { start, end }: { start: Date; end: Date },
): Promise<CounterFigures> {
  const [pays, shifts, moves] = await Promise.all([
    db.execute<{ funding: string; ok: boolean; n: number; total: string; fee: string }>(sql`
      SELECT p.funding, p.status = 'success' AS ok, count(*)::int AS n,
             coalesce(sum(p.total), 0)::text AS total, coalesce(sum(p.koperasi_fee), 0)::text AS fee
      FROM payments p
      WHERE p.koperasi_id = ${koperasiId} AND p.channel = 'counter' AND p.status IN ('success', 'failed', 'refunded')
        AND p.created_at >= ${start} AND p.created_at < ${end}
      GROUP BY 1, 2`),
    db.execute<{
      opened: number;
      open_now: number;
      floats: string;
      expected: string;
      counted: string;
      difference: string;
    }>(sql`
      SELECT count(*) FILTER (WHERE s.opened_at >= ${start} AND s.opened_at < ${end})::int AS opened,
             count(*) FILTER (WHERE s.closed_at IS NULL)::int AS open_now,
             coalesce(sum(s.opening_float) FILTER (WHERE s.opened_at >= ${start} AND s.opened_at < ${end}), 0)::text AS floats,
             coalesce(sum(s.expected) FILTER (WHERE s.closed_at >= ${start} AND s.closed_at < ${end}), 0)::text AS expected,
             coalesce(sum(s.counted) FILTER (WHERE s.closed_at >= ${start} AND s.closed_at < ${end}), 0)::text AS counted,
             coalesce(sum(s.difference) FILTER (WHERE s.closed_at >= ${start} AND s.closed_at < ${end}), 0)::text AS difference
      FROM counter_shifts s WHERE s.koperasi_id = ${koperasiId}`),
    db.execute<{ taken: string; returned: string; owed: string }>(sql`
      SELECT coalesce(sum(e.amount) FILTER (WHERE t.kind = 'counter_cash_in' AND a.code LIKE 'cash_drawer:%'
                                              AND t.created_at >= ${start}), 0)::text AS taken,
             coalesce(sum(e.amount) FILTER (WHERE t.kind = 'counter_cash_return' AND a.code LIKE 'cash_drawer:%'
                                              AND t.created_at >= ${start}), 0)::text AS returned,
             coalesce(sum(CASE WHEN e.side = 'C' THEN e.amount ELSE -e.amount END)
                        FILTER (WHERE a.code = 'counter_customer_funds'), 0)::text AS owed
      FROM books b
      JOIN accounts a ON a.book_id = b.id AND (a.code LIKE 'cash_drawer:%' OR a.code = 'counter_customer_funds')
      JOIN entries e ON e.account_id = a.id
      JOIN journal_transactions t ON t.id = e.tx_id AND t.created_at < ${end}
      WHERE b.koperasi_id = ${koperasiId}`),
  ]);
  const line = (funding: string): CounterFundingLine => {
    const ok = pays.rows.find((r) => r.funding === funding && r.ok);
    const bad = pays.rows.find((r) => r.funding === funding && !r.ok);
    return {
      count: ok?.n ?? 0,
      total: toRupiah(ok?.total ?? '0'),
      fee: toRupiah(ok?.fee ?? '0'),
      failed: bad?.n ?? 0,
    };
  };
  const s = shifts.rows[0];
  const m = moves.rows[0];
  return {
    payments: { cash: line('cash'), savings: line('savings') },
    cash: {
      shifts: s?.opened ?? 0,
      openShifts: s?.open_now ?? 0,
      floats: toRupiah(s?.floats ?? '0'),
      taken: toRupiah(m?.taken ?? '0'),
      returned: toRupiah(m?.returned ?? '0'),
      expected: toRupiah(s?.expected ?? '0'),
      counted: toRupiah(s?.counted ?? '0'),
      difference: toRupiah(s?.difference ?? '0'),
      owed: toRupiah(m?.owed ?? '0'),
    },
  };
}
