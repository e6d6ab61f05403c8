/**
 * The day's totals as lines, once for all three formats, so the CSV, XLSX and PDF cannot disagree
 * on a number: `key` is what the CSV prints (scripts match it), `label` what people read.
 */
import type { Rupiah } from '../money.js';
import type { ReportTotals } from './types.js';

export interface SummaryLine {
  key: string;
  label: string;
  count?: number;
  amount?: Rupiah;
}

export function summaryLines(totals: ReportTotals): SummaryLine[] {
  return [
    { key: 'payment_count', label: 'Jumlah pembayaran', count: totals.paymentCount },
    { key: 'fee_income', label: 'Pendapatan biaya koperasi', amount: totals.feeIncome },
    { key: 'commission_income', label: 'Pendapatan komisi', amount: totals.commissionIncome },
    {
      key: 'payable_to_gateway',
      label: 'Utang ke penyedia tagihan (lewat Pintu)',
      amount: totals.payableToGateway,
    },
    {
      key: 'open_suspect',
      label: 'Menunggu kepastian (masih terbuka)',
      count: totals.openSuspect.count,
      amount: totals.openSuspect.total,
    },
    { key: 'unmatched', label: 'Selisih rekonsiliasi perlu diperiksa', count: totals.unmatched.count },
    ...counterLines(totals),
  ];
}

/** The counter (loket) section: after the existing lines, so scripts reading those keep working. */
function counterLines(totals: ReportTotals): SummaryLine[] {
  const c = totals.counter;
  if (!c) return [];
  return [
    {
      key: 'counter_cash_payments',
      label: 'Loket: pembayaran tunai berhasil',
      count: c.payments.cash.count,
      amount: c.payments.cash.total,
    },
    {
      key: 'counter_cash_fee',
      label: 'Loket: biaya koperasi dari pembayaran tunai',
      amount: c.payments.cash.fee,
    },
    { key: 'counter_cash_failed', label: 'Loket: pembayaran tunai gagal', count: c.payments.cash.failed },
    {
      key: 'counter_savings_payments',
      label: 'Loket: pembayaran dari simpanan berhasil',
      count: c.payments.savings.count,
      amount: c.payments.savings.total,
    },
    {
      key: 'counter_savings_fee',
      label: 'Loket: biaya koperasi dari pembayaran simpanan',
      amount: c.payments.savings.fee,
    },
    { key: 'counter_shifts', label: 'Loket: shift dibuka', count: c.cash.shifts },
    { key: 'counter_open_shifts', label: 'Loket: shift belum ditutup', count: c.cash.openShifts },
    { key: 'counter_floats', label: 'Loket: modal awal laci', amount: c.cash.floats },
    { key: 'counter_cash_taken', label: 'Loket: uang tunai diterima', amount: c.cash.taken },
    { key: 'counter_cash_returned', label: 'Loket: uang tunai dikembalikan', amount: c.cash.returned },
    {
      key: 'counter_cash_expected',
      label: 'Loket: kas seharusnya saat tutup shift',
      amount: c.cash.expected,
    },
    { key: 'counter_cash_counted', label: 'Loket: kas dihitung saat tutup shift', amount: c.cash.counted },
    {
      key: 'counter_cash_difference',
      label: 'Loket: selisih kas (lebih +, kurang −)',
      amount: c.cash.difference,
    },
    {
      key: 'counter_cash_owed',
      label: 'Loket: uang tunai pelanggan belum dikembalikan',
      amount: c.cash.owed,
    },
  ];
}
