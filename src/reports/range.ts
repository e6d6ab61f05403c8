/**
 * The report over a range of WIB days (at most 366: the annual member meeting, RAT, needs a year) or a month:
 * every payment of the range in time order (streamed, like the daily report), one line per day, and the
 * range's totals — each day's line carries exactly what that day's daily report says, and the totals are
 * their sums.
 */
import { wibDayRange } from '../clock.js';
import type { Deps } from '../deps.js';
import { AppError } from '../http/errors.js';
import { findKoperasiById } from '../koperasi/repository.js';
import { counterFigures } from './counter.js';
import { paymentRows } from './daily.js';
import { rangeDayFigures } from './repository.js';
import type { DailyReport, DayLine, ReportTotals } from './types.js';

export const MAX_RANGE_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

type ReportDeps = Pick<Deps, 'db' | 'clock'>;

function dayOf(date: string, field: string): { start: Date; end: Date } {
  try {
    return wibDayRange(date);
  } catch {
    throw new AppError('REPORT_DATE_INVALID', `${field} ${date} is not a calendar date (YYYY-MM-DD)`);
  }
}

/** "2026-12" → first and last day of the month. */
export function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

export async function buildRangeReport(
  deps: ReportDeps,
  koperasiId: string,
  input: { from: string; to: string; month?: string },
): Promise<DailyReport> {
  const { start } = dayOf(input.from, 'from');
  const { end } = dayOf(input.to, 'to');
  const days = Math.round((end.getTime() - start.getTime()) / DAY_MS);
  if (days < 1) throw new AppError('REPORT_DATE_INVALID', `to (${input.to}) is before from (${input.from})`);
  if (days > MAX_RANGE_DAYS)
    throw new AppError(
      'REPORT_DATE_INVALID',
      `a report covers at most ${MAX_RANGE_DAYS} days; ${input.from}..${input.to} is ${days} days`,
      { maxDays: MAX_RANGE_DAYS, days },
    );
  const kop = await findKoperasiById(deps.db, koperasiId);
  if (!kop) throw new AppError('NOT_FOUND', 'koperasi not found');
  const range = { from: input.from, to: input.to, start, end };
  const figures = await rangeDayFigures(deps.db, koperasiId, range);

  const lines = new Map<string, DayLine>();
  const line = (date: string) => {
    let l = lines.get(date);
    if (!l) {
      l = {
        date,
        paymentCount: 0,
        success: { count: 0, total: 0n },
        feeIncome: 0n,
        commissionIncome: 0n,
        payableToGateway: 0n,
      };
      lines.set(date, l);
    }
    return l;
  };
  const groups = new Map<string, { product: string; status: string; count: number; total: bigint }>();
  for (const p of figures.payments) {
    const l = line(p.day);
    l.paymentCount += p.n;
    if (p.status === 'success') {
      l.success.count += p.n;
      l.success.total += p.total;
    }
    const key = `${p.product}\u0000${p.status}`;
    const g = groups.get(key) ?? { product: p.product, status: p.status, count: 0, total: 0n };
    g.count += p.n;
    g.total += p.total;
    groups.set(key, g);
  }
  for (const r of figures.ledger) {
    const l = line(r.day);
    if (r.code === 'fee_income') l.feeIncome += r.net;
    else if (r.code === 'commission_income') l.commissionIncome += r.net;
    else l.payableToGateway += r.net;
  }
  const dayLines = [...lines.values()].sort((a, b) => (a.date < b.date ? -1 : 1));
  const byProductStatus = [...groups.values()].sort((a, b) =>
    a.product === b.product ? (a.status < b.status ? -1 : 1) : a.product < b.product ? -1 : 1,
  );
  const sum = (pick: (l: DayLine) => bigint) => dayLines.reduce((n, l) => n + pick(l), 0n);
  const suspects = byProductStatus.filter((g) => g.status === 'suspect');
  const totals: ReportTotals = {
    paymentCount: byProductStatus.reduce((n, g) => n + g.count, 0),
    byProductStatus,
    feeIncome: sum((l) => l.feeIncome),
    commissionIncome: sum((l) => l.commissionIncome),
    payableToGateway: sum((l) => l.payableToGateway),
    openSuspect: {
      count: suspects.reduce((n, g) => n + g.count, 0),
      total: suspects.reduce((n, g) => n + g.total, 0n),
    },
    unmatched: { count: figures.unmatched.reduce((n, r) => n + r.n, 0) },
    counter: await counterFigures(deps.db, koperasiId, { start, end }),
  };
  return {
    koperasi: { id: kop.id, code: kop.code, name: kop.name },
    date: input.from,
    period: { from: input.from, to: input.to, month: input.month, days: dayLines },
    generatedAt: deps.clock.now(),
    totals,
    checkpoint: null,
    rows: paymentRows(deps, koperasiId, { start, end }),
  };
}
