import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { RUPIAH_FORMAT, renderXlsx, zipBacklog } from '../../../src/reports/render-xlsx.js';
import { givenReport, givenRow, hangsUpAfter, rendered, totalsOf, watchedRows } from './fixture.js';
import { loadWorkbook, sheetRows } from './read-back.js';

const HEADER = [
  'ID Pembayaran',
  'Waktu (WIB)',
  'No. Anggota',
  'Nama Anggota',
  'Produk',
  'No. Pelanggan',
  'Tagihan',
  'Denda',
  'Admin',
  'Biaya Koperasi',
  'Total',
  'Ref. Penyedia',
  'Status',
  'Hasil Rekonsiliasi',
];

describe('daily report as XLSX', () => {
  it('has the summary sheet first, then the payments with a bold, frozen, filterable header', async () => {
    const workbook = await loadWorkbook(await rendered(renderXlsx));
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Ringkasan', 'Transaksi']);
    const sheet = workbook.getWorksheet('Transaksi')!;
    expect(sheetRows(workbook, 'Transaksi')[0]).toEqual(HEADER);
    expect(sheet.getRow(1).getCell(1).font).toMatchObject({ bold: true });
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBe('A1:N1');
    expect(sheet.getColumn(1).width).toBe(38);
    expect(sheet.getColumn(4).width).toBe(28);
  });

  it('writes each payment with numeric amounts in the Rupiah format, WIB times and Indonesian labels', async () => {
    const workbook = await loadWorkbook(await rendered(renderXlsx));
    const rows = sheetRows(workbook, 'Transaksi').slice(1);
    expect(rows).toHaveLength(6);
    expect(rows[0]).toEqual([
      '0b9c5f9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
      new Date(Date.UTC(2026, 10, 29, 8, 15, 2)),
      'A-0001',
      'Siti Aminah',
      'PLN_POSTPAID',
      '********1234',
      1_230_067,
      0,
      2_500,
      2_000,
      1_234_567,
      'DF-000123',
      'Berhasil',
      'Cocok',
    ]);
    expect(rows.map((r) => [r[12], r[13]])).toEqual([
      ['Berhasil', 'Cocok'],
      ['Gagal', 'Beda status'],
      ['Menunggu kepastian', 'Tidak ada di penyedia tagihan'],
      ['Diproses', 'Belum direkonsiliasi'],
      ['Dana kembali', 'Selisih jumlah'],
      ['Berhasil', 'Tidak ada di Pintu'],
    ]);
    const sheet = workbook.getWorksheet('Transaksi')!;
    for (let col = 7; col <= 11; col++) expect(sheet.getRow(2).getCell(col).numFmt).toBe(RUPIAH_FORMAT);
    expect(sheet.getRow(2).getCell(2).numFmt).toBe('yyyy-mm-dd hh:mm:ss');
    // Spreadsheet cells are typed: a name that looks like a formula is stored as text, not run.
    const formulaName = sheet.getRow(3).getCell(4);
    expect(formulaName.type).toBe(ExcelJS.ValueType.String);
    expect(formulaName.value).toBe('=HYPERLINK("http://x.test","klik")');
    expect(rows[2]?.[3]).toBe('Budi, "Bos" Santoso');
  });

  it('summarizes the day on "Ringkasan": koperasi, date, totals by product and status, ledger figures', async () => {
    const workbook = await loadWorkbook(await rendered(renderXlsx));
    expect(sheetRows(workbook, 'Ringkasan')).toEqual([
      ['Laporan Harian'],
      ['Koperasi', 'Koperasi Simpan Pinjam Maju Bersama'],
      ['Kode koperasi', 'KSP-MAJU'],
      ['Tanggal', '29 November 2026'],
      ['Dibuat', '30 November 2026 08:15:00 WIB'],
      ['Produk', 'Status', 'Jumlah', 'Total'],
      ['BPJS_KESEHATAN', 'Menunggu kepastian', 1, 153_500],
      ['PDAM_TIRTA_BENTENG', 'Gagal', 1, 93_500],
      ['PDAM_TIRTA_BENTENG', 'Berhasil', 1, 46_000],
      ['PLN_POSTPAID', 'Diproses', 1, 1_234_567],
      ['PLN_POSTPAID', 'Dana kembali', 1, 1_234_567],
      ['PLN_POSTPAID', 'Berhasil', 1, 1_234_567],
      ['Ringkasan', undefined, 'Jumlah', 'Total'],
      ['Jumlah pembayaran', undefined, 6],
      ['Pendapatan biaya koperasi', undefined, undefined, 3_000],
      ['Pendapatan komisi', undefined, undefined, 1_500],
      ['Utang ke penyedia tagihan (lewat Pintu)', undefined, undefined, 1_276_067],
      ['Menunggu kepastian (masih terbuka)', undefined, 1, 153_500],
      ['Selisih rekonsiliasi perlu diperiksa', undefined, 4],
    ]);
    const sheet = workbook.getWorksheet('Ringkasan')!;
    expect(sheet.getRow(7).getCell(4).numFmt).toBe(RUPIAH_FORMAT);
    expect(sheet.getRow(15).getCell(4).numFmt).toBe(RUPIAH_FORMAT);
  });

  it('stays a valid workbook when a name holds characters XML forbids, keeping every other character', async () => {
    const rows = [givenRow({ memberName: 'Ani\u0001Rahma\u000bX Nguyễn 王 😀\nBaris' })];
    const workbook = await loadWorkbook(await rendered(renderXlsx, givenReport(rows, totalsOf(rows))));
    expect(sheetRows(workbook, 'Transaksi')[1]?.[3]).toBe('Ani Rahma X Nguyễn 王 😀\nBaris');
  });

  it('finds the zip backlog it throttles on (an exceljs upgrade that hides it must fail here)', () => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: new PassThrough(), useStyles: true });
    const sheet = workbook.addWorksheet('Transaksi');
    sheet.addRow(['x']).commit();
    const backlog = zipBacklog(workbook, sheet);
    expect(backlog).toBeTypeOf('function');
    expect(backlog?.()).toBeGreaterThanOrEqual(0);
  });

  it('stops reading rows and fails when the reader goes away mid-download', async () => {
    const rows = watchedRows(50_000);
    await expect(renderXlsx(givenReport(rows, totalsOf([])), hangsUpAfter(50_000))).rejects.toThrow();
    expect(rows.closed()).toBe(true);
    expect(rows.produced()).toBeLessThan(10_000);
  });
});
