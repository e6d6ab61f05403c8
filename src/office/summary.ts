/**
 * The office's monthly region summary, to file: one line per koperasi (payments and their total, fee and
 * commission income, deposits, members, open items, the latest signed checkpoint) and the region's totals,
 * as XLSX or PDF. The figures are the office console's, for a whole WIB month.
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { formatBulan } from '../bulan.js';
import { formatWib } from '../clock.js';
import type { Deps } from '../deps.js';
import { formatRupiah, toJsonAmount, toRupiah } from '../money.js';
import { FONT, FONT_BOLD, MARGIN, PdfTable } from '../reports/render-pdf-table.js';
import { RUPIAH_FORMAT, xmlSafe } from '../reports/render-xlsx.js';
import { latestCheckpoints } from '../transparency/checkpoints.js';
import { wibMonthRange } from '../transparency/service.js';
import { koperasiInRegion, ledgerFigures, paymentFigures, stateFigures } from './repository.js';
import type { Region } from './service.js';

export interface SummaryLine {
  code: string;
  name: string;
  payments: number;
  total: bigint;
  feeIncome: bigint;
  commissionIncome: bigint;
  deposits: bigint;
  members: number;
  openSuspects: number;
  reviewItems: number;
  unreconciledDays: number;
  checkpoint: string;
}

export interface RegionSummary {
  region: string;
  month: string;
  generatedAt: Date;
  lines: SummaryLine[];
  totals: Pick<SummaryLine, 'payments' | 'total' | 'feeIncome' | 'commissionIncome' | 'deposits' | 'members'>;
}

export async function buildRegionSummary(
  deps: Pick<Deps, 'db' | 'clock'>,
  region: Region,
  month: string,
): Promise<RegionSummary> {
  const range = wibMonthRange(`${month}-01`);
  const kops = await koperasiInRegion(deps.db, region);
  const now = deps.clock.now();
  const [pay, ledger, state, checkpoints] = await Promise.all([
    paymentFigures(deps.db, region, range),
    ledgerFigures(deps.db, region, range),
    stateFigures(deps.db, region, now),
    latestCheckpoints(
      deps.db,
      kops.map((k) => k.id),
    ),
  ]);
  const p = new Map(pay.map((r) => [r.koperasi_id, r]));
  const l = new Map(ledger.map((r) => [r.koperasi_id, r]));
  const s = new Map(state.map((r) => [r.koperasi_id, r]));
  const lines = kops.map((k): SummaryLine => {
    const cp = checkpoints.get(k.id);
    return {
      code: k.code,
      name: k.name,
      payments: p.get(k.id)?.payments ?? 0,
      total: toRupiah(p.get(k.id)?.total ?? '0'),
      feeIncome: toRupiah(l.get(k.id)?.fee_income ?? '0'),
      commissionIncome: toRupiah(l.get(k.id)?.commission_income ?? '0'),
      deposits: toRupiah(l.get(k.id)?.deposits ?? '0'),
      members: s.get(k.id)?.members ?? 0,
      openSuspects: s.get(k.id)?.open_suspects ?? 0,
      reviewItems: (s.get(k.id)?.review_payments ?? 0) + (s.get(k.id)?.review_recon ?? 0),
      unreconciledDays: s.get(k.id)?.unreconciled_days ?? 0,
      checkpoint: cp ? `${cp.day} ${cp.fingerprint}` : '-',
    };
  });
  const sum = (pick: (l: SummaryLine) => bigint) => lines.reduce((acc, line) => acc + pick(line), 0n);
  return {
    region: region ?? 'Semua wilayah',
    month,
    generatedAt: now,
    lines,
    totals: {
      payments: lines.reduce((n, line) => n + line.payments, 0),
      total: sum((x) => x.total),
      feeIncome: sum((x) => x.feeIncome),
      commissionIncome: sum((x) => x.commissionIncome),
      deposits: sum((x) => x.deposits),
      members: lines.reduce((n, line) => n + line.members, 0),
    },
  };
}

const HEADERS = [
  'Kode',
  'Koperasi',
  'Jumlah transaksi',
  'Nilai transaksi',
  'Pendapatan jasa',
  'Pendapatan komisi',
  'Setoran simpanan',
  'Anggota',
  'Suspect terbuka',
  'Perlu ditinjau',
  'Hari belum rekonsiliasi',
  'Checkpoint terakhir',
] as const;

export async function renderSummaryXlsx(summary: RegionSummary, out: Writable): Promise<void> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Pintu';
  const sheet = book.addWorksheet('Ringkasan');
  sheet.addRow([
    `Ringkasan bulanan koperasi — ${xmlSafe(summary.region)} — ${formatBulan(summary.month)}`,
  ]).font = {
    bold: true,
  };
  sheet.addRow([`Dibuat ${formatWib(summary.generatedAt)}`]);
  sheet.addRow([]);
  sheet.addRow([...HEADERS]).font = { bold: true };
  for (const l of summary.lines) {
    sheet.addRow([
      xmlSafe(l.code),
      xmlSafe(l.name),
      l.payments,
      toJsonAmount(l.total),
      toJsonAmount(l.feeIncome),
      toJsonAmount(l.commissionIncome),
      toJsonAmount(l.deposits),
      l.members,
      l.openSuspects,
      l.reviewItems,
      l.unreconciledDays,
      l.checkpoint,
    ]);
  }
  const t = summary.totals;
  sheet.addRow([
    '',
    'Jumlah',
    t.payments,
    toJsonAmount(t.total),
    toJsonAmount(t.feeIncome),
    toJsonAmount(t.commissionIncome),
    toJsonAmount(t.deposits),
    t.members,
  ]).font = { bold: true };
  for (const col of [4, 5, 6, 7]) sheet.getColumn(col).numFmt = RUPIAH_FORMAT;
  [10, 32, 12, 18, 16, 16, 18, 10, 10, 10, 12, 30].forEach((w, i) => (sheet.getColumn(i + 1).width = w));
  await book.xlsx.write(out);
}

export async function renderSummaryPdf(summary: RegionSummary, out: Writable): Promise<void> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: MARGIN,
    info: { Title: 'Ringkasan bulanan koperasi' },
  });
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  doc.pipe(out);
  doc.font(FONT_BOLD).fontSize(14).text(`Ringkasan bulanan koperasi — ${summary.region}`, MARGIN, MARGIN);
  doc
    .font(FONT)
    .fontSize(9)
    .text(
      `${formatBulan(summary.month)} · dibuat ${formatWib(summary.generatedAt)} · ${summary.lines.length} koperasi`,
    );
  const amount = (width: number, label: string) => ({ label, width, align: 'right' as const, shrink: true });
  const table = new PdfTable(
    doc,
    [
      { label: 'Koperasi', width: 150, align: 'left' },
      { label: 'Transaksi', width: 50, align: 'right' },
      amount(85, 'Nilai transaksi'),
      amount(75, 'Pendapatan jasa'),
      amount(70, 'Komisi'),
      amount(80, 'Setoran'),
      { label: 'Anggota', width: 45, align: 'right' },
      { label: 'Suspect', width: 42, align: 'right' },
      { label: 'Ditinjau', width: 42, align: 'right' },
      { label: 'Blm rekon', width: 45, align: 'right' },
      { label: 'Checkpoint terakhir', width: 100, align: 'left' },
    ],
    { fontSize: 7.5, rowHeight: 14, headerHeight: 20 },
    () => {
      doc.addPage();
      return MARGIN;
    },
  );
  table.begin(doc.y + 10);
  for (const l of summary.lines) {
    table.row([
      `${l.name} (${l.code})`,
      String(l.payments),
      formatRupiah(l.total),
      formatRupiah(l.feeIncome),
      formatRupiah(l.commissionIncome),
      formatRupiah(l.deposits),
      String(l.members),
      String(l.openSuspects),
      String(l.reviewItems),
      String(l.unreconciledDays),
      l.checkpoint,
    ]);
  }
  const t = summary.totals;
  table.row([
    'Jumlah',
    String(t.payments),
    formatRupiah(t.total),
    formatRupiah(t.feeIncome),
    formatRupiah(t.commissionIncome),
    formatRupiah(t.deposits),
    String(t.members),
    '',
    '',
    '',
    '',
  ]);
  doc.end();
  await done;
}
