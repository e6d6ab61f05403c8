/**
 * The treasurer's daily report as data: one shape, rendered to CSV, XLSX and PDF by the renderers,
 * so every format shows the same numbers. Rows stream (a busy day has 100k payments).
 */
import type { Rupiah } from '../money.js';
import type { CounterFigures } from './counter.js';

export type ReportFormat = 'csv' | 'xlsx' | 'pdf';

export interface ReportRow {
  paymentId: string;
  /** Local WIB time, "YYYY-MM-DD HH:MM:SS". */
  timeWib: string;
  memberNo: string;
  memberName: string;
  product: string;
  /** Masked except the last 4 digits. */
  customerNo: string;
  billAmount: Rupiah;
  penalty: Rupiah;
  adminFee: Rupiah;
  koperasiFee: Rupiah;
  total: Rupiah;
  upstreamRef: string;
  status: 'processing' | 'success' | 'failed' | 'suspect' | 'refunded';
  /** matched | amount_mismatch | missing_upstream | missing_here | status_mismatch | not_reconciled */
  reconResult: string;
}

export interface ProductStatusTotal {
  product: string;
  status: string;
  count: number;
  total: Rupiah;
}

export interface ReportTotals {
  paymentCount: number;
  /** Count and sum of `total` per product and status, sorted by product then status. */
  byProductStatus: ProductStatusTotal[];
  /** Ledger figures for the koperasi's book, postings made during the WIB day (net of refunds). */
  feeIncome: Rupiah;
  commissionIncome: Rupiah;
  payableToGateway: Rupiah;
  /** Payments of the day still suspect now, and their sum. */
  openSuspect: { count: number; total: Rupiah };
  /** Reconciliation items of the day that need a person (unmatched / mismatched, not auto-resolved). */
  unmatched: { count: number };
  /** The counter (loket): payments by funding and the cash of the shifts (src/reports/counter.ts). */
  counter?: CounterFigures;
}

/** One WIB day of a range report: the day's totals, the same numbers its daily report shows. */
export interface DayLine {
  date: string;
  paymentCount: number;
  /** Successful payments: count and what members paid. */
  success: { count: number; total: Rupiah };
  feeIncome: Rupiah;
  commissionIncome: Rupiah;
  payableToGateway: Rupiah;
}

export interface DailyReport {
  koperasi: { id: string; code: string; name: string };
  /** YYYY-MM-DD (WIB); a range report's first day. */
  date: string;
  /** A report over several days (a range or a month): its last day, its month if it is one, and one line per day. */
  period?: { from: string; to: string; month?: string; days: DayLine[] };
  generatedAt: Date;
  totals: ReportTotals;
  /** The koperasi's signed ledger checkpoint of this day (the daily one once taken), if any. */
  checkpoint: { day: string; kind: string; seq: number; entries: number; fingerprint: string } | null;
  rows: AsyncIterable<ReportRow>;
}
