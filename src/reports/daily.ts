/**
 * The treasurer's daily report data: every payment of the koperasi created during the WIB day, and
 * the day's totals. Totals come from SQL aggregates (payments by product and status) and from the
 * ledger (fee income, commission income and payable to the gateway, as posted during the day, net
 * of refunds), so the report agrees with the books by construction. Rows stream in keyset pages.
 */
import { sql } from 'drizzle-orm';
import { formatWib, wibDayRange } from '../clock.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { findKoperasiByCode, findKoperasiById } from '../koperasi/repository.js';
import { KOPERASI_ACCOUNTS } from '../ledger/index.js';
import { toRupiah } from '../money.js';
import { maskCustomerNo } from '../privacy.js';
import type { DailyReport, ReportRow, ReportTotals } from './types.js';

const PAGE = 5_000;

type ReportDeps = Pick<Deps, 'db' | 'clock'>;

async function ledgerDayChange(
  deps: ReportDeps,
  koperasiId: string,
  code: string,
  start: Date,
  end: Date,
): Promise<bigint> {
  const rows = await deps.db.execute<{ net: string }>(sql`
    SELECT coalesce(sum(CASE WHEN e.side = 'C' THEN e.amount ELSE -e.amount END), 0)::text AS net
    FROM entries e
    JOIN accounts a ON a.id = e.account_id
    JOIN books b ON b.id = a.book_id
    JOIN journal_transactions t ON t.id = e.tx_id
    WHERE b.koperasi_id = ${koperasiId} AND a.code = ${code} AND t.created_at >= ${start} AND t.created_at < ${end}`);
  return toRupiah(rows.rows[0]?.net ?? '0');
}

export async function dailyTotals(deps: ReportDeps, koperasiId: string, date: string): Promise<ReportTotals> {
  const { start, end } = wibDayRange(date);
  const groups = await deps.db.execute<{ product: string; status: string; n: number; total: string }>(sql`
    SELECT product, status, count(*)::int AS n, sum(total)::text AS total FROM payments
    WHERE koperasi_id = ${koperasiId} AND created_at >= ${start} AND created_at < ${end}
    GROUP BY product, status ORDER BY product, status`);
  const suspect = await deps.db.execute<{ n: number; total: string }>(sql`
    SELECT count(*)::int AS n, coalesce(sum(total), 0)::text AS total FROM payments
    WHERE koperasi_id = ${koperasiId} AND created_at >= ${start} AND created_at < ${end} AND status = 'suspect'`);
  const unmatched = await deps.db.execute<{ n: number }>(sql`
    WITH latest AS (
      SELECT DISTINCT ON (adapter) id FROM recon_runs WHERE settlement_date = ${date} ORDER BY adapter, started_at DESC
    )
    SELECT count(*)::int AS n FROM recon_items i JOIN latest l ON l.id = i.run_id
    WHERE i.koperasi_id = ${koperasiId} AND i.action IN ('needs_review', 'waiting_grace')`);
  const byProductStatus = groups.rows.map((g) => ({
    product: g.product,
    status: g.status,
    count: g.n,
    total: toRupiah(g.total),
  }));
  return {
    paymentCount: byProductStatus.reduce((n, g) => n + g.count, 0),
    byProductStatus,
    feeIncome: await ledgerDayChange(deps, koperasiId, KOPERASI_ACCOUNTS.feeIncome.code, start, end),
    commissionIncome: await ledgerDayChange(
      deps,
      koperasiId,
      KOPERASI_ACCOUNTS.commissionIncome.code,
      start,
      end,
    ),
    payableToGateway: await ledgerDayChange(
      deps,
      koperasiId,
      KOPERASI_ACCOUNTS.payableGateway.code,
      start,
      end,
    ),
    openSuspect: { count: suspect.rows[0]?.n ?? 0, total: toRupiah(suspect.rows[0]?.total ?? '0') },
    unmatched: { count: unmatched.rows[0]?.n ?? 0 },
  };
}

interface RowRecord {
  id: string;
  created_at: Date;
  created_text: string;
  member_no: string;
  member_name: string;
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

/** Every payment of the day in time order, fetched a page at a time (memory stays flat at 100k rows). */
export async function* dailyRows(
  deps: ReportDeps,
  koperasiId: string,
  date: string,
): AsyncGenerator<ReportRow> {
  const { start, end } = wibDayRange(date);
  // The cursor keeps Postgres' own text of created_at: microseconds survive the round trip.
  let after: { at: string; id: string } | undefined;
  for (;;) {
    const page = await deps.db.execute<RowRecord & Record<string, unknown>>(sql`
      SELECT p.id, p.created_at, p.created_at::text AS created_text, u.username AS member_no, u.name AS member_name, p.product, p.customer_no,
             p.bill_amount::text, p.penalty::text, p.admin_fee::text, p.koperasi_fee::text, p.total::text,
             p.upstream_ref, p.status,
             (SELECT i.class FROM recon_items i JOIN recon_runs r ON r.id = i.run_id
              WHERE i.payment_id = p.id ORDER BY r.started_at DESC LIMIT 1) AS recon
      FROM payments p JOIN users u ON u.id = p.member_id
      WHERE p.koperasi_id = ${koperasiId} AND p.created_at >= ${start} AND p.created_at < ${end}
        ${after ? sql`AND (p.created_at, p.id) > (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
      ORDER BY p.created_at, p.id
      LIMIT ${PAGE}`);
    for (const r of page.rows) {
      const at = r.created_at instanceof Date ? r.created_at : new Date(r.created_at);
      yield {
        paymentId: r.id,
        timeWib: formatWib(at).slice(0, 19).replace('T', ' '),
        memberNo: r.member_no,
        memberName: r.member_name,
        product: r.product,
        customerNo: maskCustomerNo(r.customer_no),
        billAmount: toRupiah(r.bill_amount),
        penalty: toRupiah(r.penalty),
        adminFee: toRupiah(r.admin_fee),
        koperasiFee: toRupiah(r.koperasi_fee),
        total: toRupiah(r.total),
        upstreamRef: r.upstream_ref ?? '',
        status: r.status,
        reconResult: r.recon ?? 'not_reconciled',
      };
    }
    const last = page.rows.at(-1);
    if (!last || page.rows.length < PAGE) return;
    after = { at: last.created_text, id: last.id };
  }
}

export async function buildDailyReport(
  deps: ReportDeps,
  koperasi: { id: string } | { code: string },
  date: string,
): Promise<DailyReport> {
  try {
    wibDayRange(date);
  } catch {
    throw new AppError('REPORT_DATE_INVALID', `${date} is not a calendar date (YYYY-MM-DD)`);
  }
  const kop =
    'id' in koperasi
      ? await findKoperasiById(deps.db, koperasi.id)
      : await findKoperasiByCode(deps.db, koperasi.code);
  if (!kop) throw new AppError('NOT_FOUND', 'koperasi not found');
  return {
    koperasi: { id: kop.id, code: kop.code, name: kop.name },
    date,
    generatedAt: deps.clock.now(),
    totals: await dailyTotals(deps, kop.id, date),
    rows: dailyRows(deps, kop.id, date),
  };
}
