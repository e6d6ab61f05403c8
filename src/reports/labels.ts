/**
 * Bahasa Indonesia labels for the treasurer's report (XLSX and PDF). The CSV keeps the raw values,
 * because scripts match on them; people read these.
 */
import { BULAN, formatBulan } from '../bulan.js';
import { PAYMENT_STATUS_LABELS } from '../glossary.js';
import { formatWib } from '../clock.js';
import type { DailyReport, ReportRow } from './types.js';

/** The same words as the app and the struk (src/glossary.ts). */
export const STATUS_LABELS: Readonly<Record<ReportRow['status'], string>> = PAYMENT_STATUS_LABELS;

export const RECON_LABELS: Readonly<Record<string, string>> = {
  matched: 'Cocok',
  amount_mismatch: 'Selisih jumlah',
  missing_upstream: 'Tidak ada di penyedia tagihan',
  missing_here: 'Tidak ada di Pintu',
  status_mismatch: 'Beda status',
  not_reconciled: 'Belum direkonsiliasi',
};

const MONTHS = BULAN;

// Totals carry the status as a plain string; an unknown value is shown as is rather than hidden.
export function statusLabel(status: string): string {
  return Object.hasOwn(STATUS_LABELS, status) ? STATUS_LABELS[status as ReportRow['status']] : status;
}

export function reconLabel(result: string): string {
  return RECON_LABELS[result] ?? result;
}

/** `2026-11-29` → `29 November 2026`. */
export function formatTanggal(date: string): string {
  const [year, month, day] = date.split('-');
  const name = MONTHS[Number(month) - 1];
  if (!year || !day || !name) return date;
  return `${Number(day)} ${name} ${year}`;
}

/** What the report covers, for titles: "4 Desember 2026", "Desember 2026", "1 Januari 2026 – 31 Desember 2026". */
export function periodLabel(report: Pick<DailyReport, 'date' | 'period'>): string {
  const p = report.period;
  if (!p) return formatTanggal(report.date);
  if (p.month) return formatBulan(p.month);
  return p.from === p.to ? formatTanggal(p.from) : `${formatTanggal(p.from)} – ${formatTanggal(p.to)}`;
}

/** "Laporan Harian", "Laporan Bulanan", "Laporan Periode". */
export function reportTitle(report: Pick<DailyReport, 'period'>): string {
  return !report.period ? 'Laporan Harian' : report.period.month ? 'Laporan Bulanan' : 'Laporan Periode';
}

/** `29 November 2026 08:15:02 WIB`: when the report was made, for the reader in Indonesia. */
export function formatWaktuWib(at: Date): string {
  const iso = formatWib(at);
  return `${formatTanggal(iso.slice(0, 10))} ${iso.slice(11, 19)} WIB`;
}

/** The per-day table of a range or month report (XLSX and PDF; the CSV uses raw keys). */
export const DAY_LABELS = [
  'Tanggal',
  'Jumlah pembayaran',
  'Berhasil',
  'Total berhasil',
  'Pendapatan biaya koperasi',
  'Pendapatan komisi',
  'Utang ke penyedia tagihan',
];
