/**
 * The treasurer's daily report data: every payment of the koperasi created during the WIB day, and
 * the day's totals. Totals come from SQL aggregates (payments by product and status) and from the
 * ledger (fee income, commission income and payable to the gateway, as posted during the day, net
 * of refunds), so the report agrees with the books by construction. Rows stream in keyset pages.
 */
import { formatWib, wibDayRange } from '../clock.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { findKoperasiByCode, findKoperasiById } from '../koperasi/repository.js';
import { KOPERASI_ACCOUNTS } from '../ledger/index.js';
import { toRupiah } from '../money.js';
import { maskCustomerNo } from '../privacy.js';
import { counterFigures } from './counter.js';
import { dayPaymentCounts, dayPaymentsPage, ledgerDayChange } from './repository.js';
import type { DailyReport, ReportRow, ReportTotals } from './types.js';
import { checkpointOfDay } from '../transparency/checkpoints.js';

const PAGE = 5_000;

type ReportDeps = Pick<Deps, 'db' | 'clock'>;

export async function dailyTotals(deps: ReportDeps, koperasiId: string, date: string): Promise<ReportTotals> {
  const { start, end } = wibDayRange(date);
  const { groups, suspect, unmatched } = await dayPaymentCounts(deps.db, koperasiId, date, { start, end });
  const byProductStatus = groups.map((g) => ({
    product: g.product,
    status: g.status,
    count: g.n,
    total: toRupiah(g.total),
  }));
  return {
    paymentCount: byProductStatus.reduce((n, g) => n + g.count, 0),
    byProductStatus,
    feeIncome: await ledgerDayChange(deps.db, koperasiId, KOPERASI_ACCOUNTS.feeIncome.code, start, end),
    commissionIncome: await ledgerDayChange(
      deps.db,
      koperasiId,
      KOPERASI_ACCOUNTS.commissionIncome.code,
      start,
      end,
    ),
    payableToGateway: await ledgerDayChange(
      deps.db,
      koperasiId,
      KOPERASI_ACCOUNTS.payableGateway.code,
      start,
      end,
    ),
    openSuspect: { count: suspect?.n ?? 0, total: toRupiah(suspect?.total ?? '0') },
    unmatched: { count: unmatched?.n ?? 0 },
    counter: await counterFigures(deps.db, koperasiId, { start, end }),
  };
}

/** Every payment of the day in time order, fetched a page at a time (memory stays flat at 100k rows). */
export function dailyRows(deps: ReportDeps, koperasiId: string, date: string): AsyncGenerator<ReportRow> {
  return paymentRows(deps, koperasiId, wibDayRange(date));
}

/** Every payment created in [start, end) in time order, a page at a time (a day, or a range of days). */
export async function* paymentRows(
  deps: ReportDeps,
  koperasiId: string,
  { start, end }: { start: Date; end: Date },
): AsyncGenerator<ReportRow> {
  // The cursor keeps Postgres' own text of created_at: microseconds survive the round trip.
  let after: { at: string; id: string } | undefined;
  for (;;) {
    const page = await dayPaymentsPage(deps.db, koperasiId, { start, end }, after, PAGE);
    for (const r of page) {
      const at = r.created_at instanceof Date ? r.created_at : new Date(r.created_at);
      yield {
        paymentId: r.id,
        timeWib: formatWib(at).slice(0, 19).replace('T', ' '),
        memberNo: r.member_no,
        memberName:
          r.member_no === '' ? `Tunai loket${r.payer_name ? `: ${r.payer_name}` : ''}` : r.member_name,
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
    const last = page.at(-1);
    if (!last || page.length < PAGE) return;
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
    checkpoint: await checkpointOfDay(deps.db, kop.id, date),
    rows: dailyRows(deps, kop.id, date),
  };
}
