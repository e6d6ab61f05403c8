/**
 * What a koperasi shows about itself: its totals of today and this month (bills paid by product, fee income
 * earned, number of payments), its latest signed checkpoint and the latest verification. Totals only: no
 * member, customer number or name appears.
 */
import { wibDate, wibDayRange } from '../clock.js';
import type { Deps } from '../deps.js';
import { findKoperasiById } from '../koperasi/repository.js';
import { toJsonAmount, toRupiah } from '../money.js';
import { ledgerFigures, paymentsByProduct } from '../office/repository.js';
import { latestCheckpoints, latestVerification } from './checkpoints.js';
import { AppError } from '../http/errors.js';

/** [start, end) of the WIB month containing `date` (YYYY-MM-DD), and its label YYYY-MM. */
export function wibMonthRange(date: string): { month: string; start: Date; end: Date } {
  const month = date.slice(0, 7);
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return { month, start: wibDayRange(`${month}-01`).start, end: wibDayRange(`${next}-01`).start };
}

export async function koperasiTotals(
  deps: Pick<Deps, 'db' | 'catalog'>,
  koperasiId: string,
  range: { start: Date; end: Date },
) {
  const [byProduct, ledger] = await Promise.all([
    paymentsByProduct(deps.db, koperasiId, range),
    ledgerFigures(deps.db, null, range, koperasiId),
  ]);
  const fees = ledger[0];
  return {
    payments: byProduct.reduce((n, p) => n + p.payments, 0),
    total: toJsonAmount(byProduct.reduce((sum, p) => sum + toRupiah(p.total), 0n)),
    feeIncome: toJsonAmount(toRupiah(fees?.fee_income ?? '0')),
    byProduct: byProduct.map((p) => ({
      product: p.product,
      name: deps.catalog.get(p.product)?.name ?? p.product,
      category: deps.catalog.get(p.product)?.category ?? 'electricity',
      payments: p.payments,
      total: toJsonAmount(toRupiah(p.total)),
    })),
  };
}

export async function transparencySummary(deps: Pick<Deps, 'db' | 'catalog' | 'clock'>, koperasiId: string) {
  const kop = await findKoperasiById(deps.db, koperasiId);
  if (!kop) throw new AppError('NOT_FOUND', 'koperasi not found');
  const today = wibDate(deps.clock.now());
  const month = wibMonthRange(today);
  const [todayTotals, monthTotals, checkpoints, verification] = await Promise.all([
    koperasiTotals(deps, koperasiId, wibDayRange(today)),
    koperasiTotals(deps, koperasiId, month),
    latestCheckpoints(deps.db, [koperasiId]),
    latestVerification(deps.db),
  ]);
  const checkpoint = checkpoints.get(koperasiId);
  const bookId = checkpoint?.book_id;
  return {
    koperasi: { name: kop.name, code: kop.code },
    today: { day: today, ...todayTotals },
    month: { month: month.month, ...monthTotals },
    checkpoint: checkpoint
      ? {
          day: checkpoint.day,
          createdAt: checkpoint.created_at.toISOString(),
          fingerprint: checkpoint.fingerprint,
          entries: Number(checkpoint.entry_count),
          seq: Number(checkpoint.seq),
        }
      : null,
    verification: verification
      ? {
          verifiedAt: verification.checkedAt.toISOString(),
          ok: bookId ? verification.okForBook(bookId) : verification.ok,
        }
      : null,
  };
}
