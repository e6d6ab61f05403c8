/**
 * The daily report as an Excel workbook, written with exceljs' streaming writer: sheet "Ringkasan"
 * (the totals) first, then "Transaksi" (one row per payment), each row committed as it is made.
 * The summary comes first because the treasurer reads it first, and because the writer zips sheets
 * in order: a sheet must be committed before the next one's rows can flow out instead of piling up.
 */
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { toJsonAmount } from '../money.js';
import { DAY_LABELS, formatWaktuWib, periodLabel, reconLabel, reportTitle, statusLabel } from './labels.js';
import { COLUMNS, type ColumnKey, type ReportColumn } from './render-columns.js';
import { relieve, whenDrained } from './render-stream.js';
import { summaryLines } from './render-summary.js';
import type { DailyReport, ReportRow } from './types.js';

/**
 * Amounts are real numbers (SUM and filters work). In a number format `,` is always "thousands
 * separator" and the reader's Excel shows its own locale's separator, so an Indonesian-locale Excel
 * (and LibreOffice) displays `Rp 1.234.567`; an English-locale one shows `Rp 1,234,567`. Literal
 * dots (`#\.###`) would force dots everywhere but cannot cover every magnitude, so they are not used.
 * The negative section matches formatRupiah (`-Rp 1.234`).
 */
export const RUPIAH_FORMAT = '"Rp "#,##0;-"Rp "#,##0';
const TIME_FORMAT = 'yyyy-mm-dd hh:mm:ss';

const WIDTHS: Readonly<Record<ColumnKey, number>> = {
  payment_id: 38,
  time_wib: 20,
  member_no: 14,
  member_name: 28,
  product: 18,
  customer_no: 16,
  bill_amount: 15,
  penalty: 12,
  admin_fee: 12,
  koperasi_fee: 15,
  total: 15,
  upstream_ref: 24,
  status: 18,
  recon_result: 22,
};

const BOLD = { bold: true };
// Every 250 rows, wait while more than 256 KiB of sheet XML is still on its way to the reader:
// memory per download stays small however many treasurers download at once.
const ROWS_PER_CHECK = 250;
const ZIP_BACKLOG_LIMIT = 256 * 1024;

type Workbook = ExcelJS.stream.xlsx.WorkbookWriter;
type Sheet = ExcelJS.Worksheet;
type CellValue = string | number | Date;

// XML 1.0 forbids most control characters outright: one in a member name would make Excel refuse
// the whole file, so controls become spaces (tab and line breaks are allowed and kept).
const NOT_XML = /(?![\t\n\r])[\p{Cc}\ufffe\uffff]/gu;

export function xmlSafe(text: string): string {
  return text.replace(NOT_XML, ' ');
}

interface StreamInternals {
  _writableState?: { length: number };
  _readableState?: { length: number };
}

function buffered(stream: StreamInternals | undefined): number {
  return (stream?._writableState?.length ?? 0) + (stream?._readableState?.length ?? 0);
}

/**
 * Bytes of sheet XML written but not yet taken by `out`. The writer's sheet buffer writes into a
 * PassThrough of the zip (archiver) without heeding backpressure, so with a slow reader the rows'
 * XML piles up there; everything after it is piped and bounded. Neither object is public API,
 * hence the guarded look-up: if a new exceljs moves them, the caller falls back to waiting for
 * `out` to drain, and a unit test fails to say the bound is gone.
 */
export function zipBacklog(workbook: Workbook, sheet: Sheet): (() => number) | undefined {
  const entry = (sheet as unknown as { stream?: { pipes?: StreamInternals[] } }).stream?.pipes?.[0];
  const zip = (workbook as unknown as { zip?: StreamInternals }).zip;
  if (!entry?._writableState || !zip?._readableState) return undefined;
  return () => buffered(entry) + buffered(zip);
}

function cellValue(column: ReportColumn, row: ReportRow): CellValue {
  switch (column.kind) {
    case 'amount':
      return toJsonAmount(column.get(row));
    case 'status':
      return xmlSafe(statusLabel(column.get(row)));
    case 'recon':
      return xmlSafe(reconLabel(column.get(row)));
    case 'time': {
      // Excel dates have no zone: store the WIB wall-clock time so the cell reads as in the CSV.
      const at = new Date(`${column.get(row).replace(' ', 'T')}Z`);
      return Number.isNaN(at.getTime()) ? xmlSafe(column.get(row)) : at;
    }
    case 'text':
      return xmlSafe(column.get(row));
  }
}

function writeSummary(workbook: Workbook, report: DailyReport): void {
  const sheet = workbook.addWorksheet('Ringkasan');
  sheet.columns = [
    { width: 34 },
    { width: 22 },
    { width: 12, style: { numFmt: '#,##0' } },
    { width: 20, style: { numFmt: RUPIAH_FORMAT } },
  ];
  const add = (values: (CellValue | null)[], bold = false) => {
    const row = sheet.addRow(values);
    if (bold) row.font = BOLD;
    row.commit();
  };
  const title = sheet.addRow([reportTitle(report)]);
  title.font = { bold: true, size: 14 };
  title.commit();
  add(['Koperasi', xmlSafe(report.koperasi.name)]);
  add(['Kode koperasi', xmlSafe(report.koperasi.code)]);
  add([report.period ? 'Periode' : 'Tanggal', periodLabel(report)]);
  add(['Dibuat', formatWaktuWib(report.generatedAt)]);
  add([]);
  add(['Produk', 'Status', 'Jumlah', 'Total'], true);
  for (const g of report.totals.byProductStatus) {
    add([xmlSafe(g.product), xmlSafe(statusLabel(g.status)), g.count, toJsonAmount(g.total)]);
  }
  add([]);
  add(['Ringkasan', null, 'Jumlah', 'Total'], true);
  for (const line of summaryLines(report.totals)) {
    add([line.label, null, line.count ?? null, line.amount === undefined ? null : toJsonAmount(line.amount)]);
  }
  sheet.commit();
}

/** A range or month report: one row per WIB day with that day's totals. */
function writeDays(workbook: Workbook, report: DailyReport): void {
  if (!report.period) return;
  const sheet = workbook.addWorksheet('Per hari', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { width: 14, style: { numFmt: 'yyyy-mm-dd' } },
    { width: 12, style: { numFmt: '#,##0' } },
    { width: 12, style: { numFmt: '#,##0' } },
    ...[0, 1, 2, 3].map(() => ({ width: 20, style: { numFmt: RUPIAH_FORMAT } })),
  ];
  const header = sheet.addRow(DAY_LABELS);
  header.font = BOLD;
  header.commit();
  for (const d of report.period.days) {
    sheet
      .addRow([
        d.date,
        d.paymentCount,
        d.success.count,
        toJsonAmount(d.success.total),
        toJsonAmount(d.feeIncome),
        toJsonAmount(d.commissionIncome),
        toJsonAmount(d.payableToGateway),
      ])
      .commit();
  }
  sheet.commit();
}

async function writeTransactions(workbook: Workbook, report: DailyReport, out: Writable): Promise<void> {
  const sheet = workbook.addWorksheet('Transaksi', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c) => ({
    key: c.key,
    width: WIDTHS[c.key],
    ...(c.kind === 'amount' ? { style: { numFmt: RUPIAH_FORMAT } } : {}),
    ...(c.kind === 'time' ? { style: { numFmt: TIME_FORMAT } } : {}),
  }));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };
  const header = sheet.addRow(COLUMNS.map((c) => c.label));
  header.font = BOLD;
  header.commit();

  const backlog = zipBacklog(workbook, sheet);
  let n = 0;
  for await (const row of report.rows) {
    sheet.addRow(COLUMNS.map((c) => cellValue(c, row))).commit();
    if (++n % ROWS_PER_CHECK === 0) {
      if (backlog) await relieve(out, backlog, ZIP_BACKLOG_LIMIT);
      else await whenDrained(out);
    }
  }
  sheet.commit();
}

export async function renderXlsx(report: DailyReport, out: Writable): Promise<void> {
  // commit() waits for 'finish' only; if the reader goes away instead, `closed` ends the wait.
  const closed = finished(out, { readable: false });
  closed.catch(() => undefined);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  workbook.creator = 'Pintu';
  workbook.created = report.generatedAt;
  try {
    writeSummary(workbook, report);
    writeDays(workbook, report);
    await writeTransactions(workbook, report, out);
    await Promise.all([workbook.commit(), closed]);
  } catch (err) {
    // A half-written workbook must not look like a finished download.
    out.destroy(err instanceof Error ? err : new Error(String(err)));
    throw err;
  }
}
