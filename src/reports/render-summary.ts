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
  ];
}
