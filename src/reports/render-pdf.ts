/**
 * The daily report as a PDF for printing and signing: A4 landscape, a summary page (koperasi, date,
 * totals), then every payment in a table whose header repeats on each page, "Halaman N" in every
 * footer. pdfkit streams each page out as soon as the next begins (`bufferPages: false`), so a
 * 100k-payment day never sits in memory; only built-in Helvetica is used (no font files to ship;
 * it covers Latin names, which is what member names are).
 */
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import PDFDocument from 'pdfkit';
import { formatRupiah } from '../money.js';
import {
  DAY_LABELS,
  formatTanggal,
  formatWaktuWib,
  periodLabel,
  reconLabel,
  reportTitle,
  statusLabel,
} from './labels.js';
import { COLUMNS, type ColumnKey, type ReportColumn } from './render-columns.js';
import {
  ellipsize,
  FONT,
  FONT_BOLD,
  MARGIN,
  PdfTable,
  toWinAnsi,
  type PdfColumn,
} from './render-pdf-table.js';
import { relieve } from './render-stream.js';
import { summaryLines } from './render-summary.js';
import type { DailyReport, ReportRow } from './types.js';

type Doc = InstanceType<typeof PDFDocument>;

export interface PdfOptions {
  /** Deflate page contents (default). Tests turn it off to read the text back. */
  compress?: boolean;
}

// Points; they add up to the 785 pt between A4 landscape's margins, sized for 6.5 pt text so that
// a full payment id, "Menunggu kepastian" and "Belum direkonsiliasi" fit uncut.
const WIDTHS: Readonly<Record<ColumnKey, number>> = {
  payment_id: 123,
  time_wib: 32,
  member_no: 44,
  member_name: 78,
  product: 56,
  customer_no: 46,
  bill_amount: 50,
  penalty: 42,
  admin_fee: 38,
  koperasi_fee: 42,
  total: 52,
  upstream_ref: 60,
  status: 60,
  recon_result: 62,
};
const ROW_STYLE = { fontSize: 6.5, rowHeight: 10, headerHeight: 18 };
const SUMMARY_STYLE = { fontSize: 9, rowHeight: 14, headerHeight: 16 };
// Every 50 rows (about a page), wait while more than 256 KiB of finished pages are still on their
// way to the reader: memory per download stays small however many treasurers download at once.
const ROWS_PER_CHECK = 50;
const PDF_BUFFER_LIMIT = 256 * 1024;

function cellText(column: ReportColumn, row: ReportRow, date: string): string {
  switch (column.kind) {
    case 'amount':
      return formatRupiah(column.get(row));
    case 'status':
      return statusLabel(column.get(row));
    case 'recon':
      return reconLabel(column.get(row));
    case 'time': {
      // The date is the report's own (it is in every page caption); the time alone fits the column.
      const at = column.get(row);
      return at.startsWith(`${date} `) ? at.slice(date.length + 1) : at;
    }
    case 'text':
      return column.get(row);
  }
}

function heading(doc: Doc, text: string, y: number, size: number, font = FONT_BOLD): void {
  doc.font(font).fontSize(size);
  const line = ellipsize(doc, toWinAnsi(text), doc.page.width - 2 * MARGIN);
  doc.text(line, MARGIN, y, { lineBreak: false });
}

function drawFooter(doc: Doc, report: DailyReport, page: number): void {
  const y = doc.page.height - MARGIN + 10;
  const label = `Halaman ${page}`;
  doc.font(FONT).fontSize(7).fillColor('#555555');
  doc.text(`Pintu · ${reportTitle(report)} ${report.koperasi.code} · ${periodLabel(report)}`, MARGIN, y, {
    lineBreak: false,
  });
  doc.text(label, doc.page.width - MARGIN - doc.widthOfString(label), y, { lineBreak: false });
  doc.fillColor('black');
}

function drawSummary(doc: Doc, report: DailyReport): void {
  const newPage = () => (doc.addPage(), MARGIN);
  heading(doc, reportTitle(report), MARGIN, 18);
  heading(doc, report.koperasi.name, MARGIN + 26, 12);
  heading(doc, `Kode koperasi: ${report.koperasi.code}`, MARGIN + 44, 9, FONT);
  heading(doc, `${report.period ? 'Periode' : 'Tanggal'}: ${periodLabel(report)}`, MARGIN + 57, 9, FONT);
  heading(doc, `Dibuat: ${formatWaktuWib(report.generatedAt)}`, MARGIN + 70, 9, FONT);

  heading(doc, 'Pembayaran per produk dan status', MARGIN + 94, 10);
  const byProduct = new PdfTable(
    doc,
    [
      { label: 'Produk', width: 220, align: 'left' },
      { label: 'Status', width: 130, align: 'left' },
      { label: 'Jumlah', width: 70, align: 'right' },
      { label: 'Total', width: 130, align: 'right', shrink: true },
    ],
    SUMMARY_STYLE,
    newPage,
  );
  byProduct.begin(MARGIN + 110);
  for (const g of report.totals.byProductStatus) {
    byProduct.row([g.product, statusLabel(g.status), String(g.count), formatRupiah(g.total)]);
  }
  if (report.totals.byProductStatus.length === 0) byProduct.row(['Tidak ada pembayaran pada tanggal ini']);

  const y = byProduct.bottom + 18;
  heading(doc, 'Ringkasan', y, 10);
  const summary = new PdfTable(
    doc,
    [
      { label: 'Keterangan', width: 350, align: 'left' },
      { label: 'Jumlah', width: 70, align: 'right' },
      { label: 'Total', width: 130, align: 'right', shrink: true },
    ],
    SUMMARY_STYLE,
    newPage,
  );
  summary.begin(y + 16);
  for (const line of summaryLines(report.totals)) {
    summary.row([
      line.label,
      line.count?.toString() ?? '',
      line.amount === undefined ? '' : formatRupiah(line.amount),
    ]);
  }
  drawDays(doc, report, summary.bottom + 14, newPage);
  if (report.period) return;
  const cp = report.checkpoint;
  heading(
    doc,
    cp
      ? `Checkpoint buku besar (ditandatangani Pintu): sidik jari ${cp.fingerprint} · segel ${cp.seq} · ${cp.entries} entri`
      : 'Checkpoint buku besar: belum dibuat untuk tanggal ini (dibuat otomatis setelah pukul 00.05 WIB hari berikutnya)',
    summary.bottom + 14,
    8,
    FONT,
  );
}

/** A range or month report: the days after the totals, one row each (a year runs onto further pages). */
function drawDays(doc: Doc, report: DailyReport, y: number, newPage: () => number): void {
  if (!report.period) return;
  heading(doc, 'Per hari', y, 10);
  const days = new PdfTable(
    doc,
    DAY_LABELS.map((label, i) => ({
      label,
      width: i === 0 ? 110 : 105,
      align: i === 0 ? ('left' as const) : ('right' as const),
      shrink: i > 2,
    })),
    SUMMARY_STYLE,
    newPage,
  );
  days.begin(y + 16);
  for (const d of report.period.days) {
    days.row([
      formatTanggal(d.date),
      String(d.paymentCount),
      String(d.success.count),
      formatRupiah(d.success.total),
      formatRupiah(d.feeIncome),
      formatRupiah(d.commissionIncome),
      formatRupiah(d.payableToGateway),
    ]);
  }
  if (report.period.days.length === 0) days.row(['Tidak ada transaksi pada periode ini']);
}

async function drawTransactions(doc: Doc, report: DailyReport, out: Writable): Promise<void> {
  const caption = `Transaksi · ${report.koperasi.name} · ${periodLabel(report)}`;
  const newPage = () => {
    doc.addPage();
    heading(doc, caption, MARGIN, 9);
    return MARGIN + 16;
  };
  const columns: PdfColumn[] = COLUMNS.map((c) => ({
    label: c.label,
    width: WIDTHS[c.key],
    align: c.kind === 'amount' ? 'right' : 'left',
    shrink: c.kind === 'amount',
  }));
  const table = new PdfTable(doc, columns, ROW_STYLE, newPage);
  table.begin(newPage());
  let n = 0;
  for await (const row of report.rows) {
    // A range's rows keep their date: the caption names the whole period.
    table.row(COLUMNS.map((c) => cellText(c, row, report.period ? '' : report.date)));
    if (++n % ROWS_PER_CHECK === 0) await relieve(out, () => doc.readableLength, PDF_BUFFER_LIMIT);
  }
  if (n === 0) table.row(['Tidak ada pembayaran pada tanggal ini']);
}

export async function renderPdf(report: DailyReport, out: Writable, options: PdfOptions = {}): Promise<void> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    autoFirstPage: false,
    bufferPages: false,
    compress: options.compress ?? true,
    info: {
      Title: `${reportTitle(report)} ${report.koperasi.code} ${periodLabel(report)}`,
      Author: 'Pintu',
      CreationDate: report.generatedAt,
    },
  });
  let page = 0;
  doc.on('pageAdded', () => drawFooter(doc, report, ++page));
  // pipeline() ends `out` after the last page and destroys it if either side fails; the no-op
  // catch keeps a reader's early hang-up from being an unhandled rejection while we still draw.
  const done = pipeline(doc, out);
  done.catch(() => undefined);
  try {
    doc.addPage();
    drawSummary(doc, report);
    await drawTransactions(doc, report, out);
    doc.end();
  } catch (err) {
    doc.destroy(err instanceof Error ? err : new Error(String(err)));
  }
  await done;
}
