/**
 * One entry point for the daily report in any format: the route and the CLI pick a format, these
 * functions pick the renderer, the content type and the download's file name.
 */
import type { Writable } from 'node:stream';
import { renderCsv } from './render-csv.js';
import { renderPdf } from './render-pdf.js';
import { renderXlsx } from './render-xlsx.js';
import type { DailyReport, ReportFormat } from './types.js';

export function renderReport(format: ReportFormat, report: DailyReport, out: Writable): Promise<void> {
  switch (format) {
    case 'csv':
      return renderCsv(report, out);
    case 'xlsx':
      return renderXlsx(report, out);
    case 'pdf':
      return renderPdf(report, out);
  }
}

export function contentTypeFor(format: ReportFormat): string {
  switch (format) {
    case 'csv':
      return 'text/csv; charset=utf-8';
    case 'xlsx':
      return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    case 'pdf':
      return 'application/pdf';
  }
}

/**
 * `laporan-harian-<kode>-<YYYY-MM-DD>.<format>`, `laporan-bulanan-<kode>-<YYYY-MM>.<format>` or
 * `laporan-<kode>-<from>_<to>.<format>`. The name goes into a Content-Disposition header
 * and onto the treasurer's disk, so anything but letters, digits, `-` and `_` becomes `-`.
 */
export function fileNameFor(
  report: Pick<DailyReport, 'koperasi' | 'date' | 'period'>,
  format: ReportFormat,
): string {
  const safe = (part: string) => part.replace(/[^A-Za-z0-9_-]+/g, '-');
  const code = safe(report.koperasi.code);
  const period = report.period;
  if (period?.month) return `laporan-bulanan-${code}-${safe(period.month)}.${format}`;
  if (period) return `laporan-${code}-${safe(period.from)}_${safe(period.to)}.${format}`;
  return `laporan-harian-${code}-${safe(report.date)}.${format}`;
}
