/**
 * Tutup hari (daily closing): what a treasurer checks before closing the day's book — payments by status,
 * fee and commission income, deposits in (and corrections), what is owed upstream for the day, the items still
 * open, reconciliation per upstream, and the book's balances at the end of the day. The numbers come from the
 * same reads as the daily report (src/reports/daily.ts) and the "Hari ini" strip (src/office), so the three
 * cannot disagree.
 */
import { wibDate, wibDayRange } from '../clock.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { findKoperasiById } from '../koperasi/repository.js';
import { toJsonAmount } from '../money.js';
import { stateFigures } from '../office/repository.js';
import { reconRunsFor } from '../recon/service.js';
import type { CounterFigures } from '../reports/counter.js';
import { dailyTotals } from '../reports/daily.js';
import { balancesAt, depositFigures } from './repository.js';

type ClosingDeps = Pick<Deps, 'db' | 'clock'>;

const amount = (value: bigint) => toJsonAmount(value);

/** The counter (loket): the day's desk payments by funding, and the cash of the kasir's shifts. */
function counterSection(c: CounterFigures | undefined) {
  const funding = (f: CounterFigures['payments']['cash']) => ({
    count: f.count,
    total: amount(f.total),
    fee: amount(f.fee),
    failed: f.failed,
  });
  if (!c) return null;
  return {
    payments: { cash: funding(c.payments.cash), savings: funding(c.payments.savings) },
    cash: {
      shifts: c.cash.shifts,
      openShifts: c.cash.openShifts,
      floats: amount(c.cash.floats),
      taken: amount(c.cash.taken),
      returned: amount(c.cash.returned),
      expected: amount(c.cash.expected),
      counted: amount(c.cash.counted),
      difference: amount(c.cash.difference),
      owed: amount(c.cash.owed),
    },
  };
}

export async function closingDay(deps: ClosingDeps, koperasiId: string, date?: string) {
  const now = deps.clock.now();
  const day = date ?? wibDate(now);
  let range: { start: Date; end: Date };
  try {
    range = wibDayRange(day);
  } catch {
    throw new AppError('REPORT_DATE_INVALID', `${day} is not a calendar date (YYYY-MM-DD)`);
  }
  if (day > wibDate(now)) throw new AppError('REPORT_DATE_INVALID', `${day} has not happened yet`);
  const kop = await findKoperasiById(deps.db, koperasiId);
  if (!kop) throw new AppError('NOT_FOUND', 'koperasi not found');
  const [totals, deposits, state, runs, balances] = await Promise.all([
    dailyTotals(deps, koperasiId, day),
    depositFigures(deps.db, koperasiId, range),
    stateFigures(deps.db, null, now, koperasiId),
    reconRunsFor(deps, koperasiId, day),
    balancesAt(deps.db, koperasiId, range.end <= now ? range.end : now),
  ]);
  const byStatus = new Map<string, { count: number; total: bigint }>();
  for (const g of totals.byProductStatus) {
    const s = byStatus.get(g.status) ?? { count: 0, total: 0n };
    byStatus.set(g.status, { count: s.count + g.count, total: s.total + g.total });
  }
  const open = state[0];
  const oldest = open?.oldest_suspect_since ? new Date(open.oldest_suspect_since) : null;
  return {
    date: day,
    complete: range.end <= now,
    generatedAt: now.toISOString(),
    koperasi: { code: kop.code, name: kop.name },
    payments: {
      count: totals.paymentCount,
      byStatus: [...byStatus].map(([status, s]) => ({ status, count: s.count, total: amount(s.total) })),
      byProduct: totals.byProductStatus.map((g) => ({
        product: g.product,
        status: g.status,
        count: g.count,
        total: amount(g.total),
      })),
    },
    feeIncome: amount(totals.feeIncome),
    commissionIncome: amount(totals.commissionIncome),
    owedUpstream: amount(totals.payableToGateway),
    deposits: {
      count: deposits.deposits.count,
      total: amount(deposits.deposits.amount),
      corrections: { count: deposits.corrections.count, total: amount(deposits.corrections.amount) },
      net: amount(deposits.deposits.amount - deposits.corrections.amount),
    },
    open: {
      suspects: open?.open_suspects ?? 0,
      oldestSuspectMinutes: oldest
        ? Math.max(0, Math.floor((now.getTime() - oldest.getTime()) / 60_000))
        : null,
      daySuspects: { count: totals.openSuspect.count, total: amount(totals.openSuspect.total) },
      reviewPayments: open?.review_payments ?? 0,
      reviewRecon: open?.review_recon ?? 0,
      dayUnmatched: totals.unmatched.count,
    },
    reconciliation: {
      reconciled: runs.length > 0,
      runs: runs.map((r) => ({
        adapter: r.adapter,
        finishedAt: r.finishedAt,
        differences: Object.entries(r.counts)
          .filter(([cls]) => cls !== 'matched')
          .reduce((n, [, c]) => n + c, 0),
        matched: r.counts.matched ?? 0,
      })),
    },
    counter: counterSection(totals.counter),
    balances: balances.map((b) => ({
      code: b.code,
      name: b.name,
      type: b.type,
      balance: amount(b.balance),
      accounts: b.accounts,
    })),
  };
}
