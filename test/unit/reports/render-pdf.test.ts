import { describe, expect, it } from 'vitest';
import { renderPdf } from '../../../src/reports/render-pdf.js';
import type { DailyReport } from '../../../src/reports/types.js';
import {
  givenReport,
  givenRow,
  hangsUpAfter,
  manyRows,
  rendered,
  ROWS,
  totalsOf,
  watchedRows,
} from './fixture.js';
import { pdfPageCount, pdfTexts } from './read-back.js';

const uncompressed = (report: DailyReport = givenReport()) =>
  rendered((r, out) => renderPdf(r, out, { compress: false }), report);

describe('daily report as PDF', () => {
  it('is a complete A4 landscape PDF, compressed by default', async () => {
    const pdf = await rendered(renderPdf);
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(text).toContain('/MediaBox [0 0 841.89 595.28]');
    expect(text).toContain('/FlateDecode');
  });

  it("prints the day's signed ledger checkpoint with its fingerprint, or says it is not made yet", async () => {
    expect(pdfTexts(await uncompressed())).toContain(
      'Checkpoint buku besar (ditandatangani Pintu): sidik jari 3F2A-91C0-77BE-0D14 · segel 1204 · 3611 entri',
    );
    const without = { ...givenReport(), checkpoint: null };
    expect(pdfTexts(await uncompressed(without)).join(' ')).toContain('Checkpoint buku besar: belum dibuat');
  });

  it('opens with a summary page: title, koperasi, Indonesian date, WIB time and the totals in rupiah', async () => {
    const texts = pdfTexts(await uncompressed());
    for (const expected of [
      'Laporan Harian',
      'Koperasi Simpan Pinjam Maju Bersama',
      'Kode koperasi: KSP-MAJU',
      'Tanggal: 29 November 2026',
      'Dibuat: 30 November 2026 08:15:00 WIB',
      'Halaman 1',
    ]) {
      expect(texts).toContain(expected);
    }
    const summary = texts.slice(0, texts.indexOf('ID Pembayaran'));
    expect(summary.join('|')).toContain('PLN_POSTPAID|Berhasil|1|Rp 1.234.567');
    expect(summary.join('|')).toContain('BPJS_KESEHATAN|Menunggu kepastian|1|Rp 153.500');
    expect(summary.join('|')).toContain('Utang ke penyedia tagihan (lewat Pintu)|Rp 1.276.067');
    expect(summary.join('|')).toContain('Menunggu kepastian (masih terbuka)|1|Rp 153.500');
  });

  it('lists every payment with rupiah amounts and Indonesian statuses, header and page number on every page', async () => {
    const rows = [...ROWS, ...manyRows(300)];
    const pdf = await uncompressed(givenReport(rows, totalsOf(rows)));
    const texts = pdfTexts(pdf);
    const pages = pdfPageCount(pdf);
    expect(pages).toBeGreaterThan(3);
    for (let n = 1; n <= pages; n++) expect(texts).toContain(`Halaman ${n}`);
    expect(texts).not.toContain(`Halaman ${pages + 1}`);
    expect(texts.filter((t) => t === 'ID Pembayaran')).toHaveLength(pages - 1);
    for (const row of rows) expect(texts.filter((t) => t === row.paymentId)).toHaveLength(1);
    const first = texts.indexOf(ROWS[0]!.paymentId);
    expect(texts.slice(first, first + 14)).toEqual([
      '0b9c5f9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
      '08:15:02',
      'A-0001',
      'Siti Aminah',
      'PLN_POSTPAID',
      '********1234',
      'Rp 1.230.067',
      'Rp 0',
      'Rp 2.500',
      'Rp 2.000',
      'Rp 1.234.567',
      'DF-000123',
      'Berhasil',
      'Cocok',
    ]);
    for (const label of ['Gagal', 'Menunggu kepastian', 'Diproses', 'Dana kembali', 'Belum direkonsiliasi']) {
      expect(texts).toContain(label);
    }
  });

  it('cuts long names with an ellipsis but never cuts an amount', async () => {
    const rows = [
      givenRow({
        memberName: 'Raden Ayu Siti Nurhaliza Kusumawardhani Prawirodirjo',
        total: 123_456_789_012n,
      }),
    ];
    const texts = pdfTexts(await uncompressed(givenReport(rows, totalsOf(rows))));
    const name = texts.find((t) => t.startsWith('Raden Ayu'));
    expect(name).toMatch(/^Raden Ayu Siti .+…$/);
    expect(rows[0]!.memberName.startsWith(name!.slice(0, -1))).toBe(true);
    expect(texts).toContain('Rp 123.456.789.012');
  });

  it('draws what Helvetica cannot as base letters or "?", and control characters as spaces', async () => {
    const rows = [givenRow({ memberName: 'Nguyễn 王\nÑoño' })];
    const texts = pdfTexts(await uncompressed(givenReport(rows, totalsOf(rows))));
    expect(texts).toContain('Nguyen ? Ñoño');
  });

  it('says so when the day had no payments', async () => {
    const texts = pdfTexts(await uncompressed(givenReport([], totalsOf([]))));
    expect(texts.filter((t) => t === 'Tidak ada pembayaran pada tanggal ini')).toHaveLength(2);
  });

  it('stops reading rows and fails when the reader goes away mid-download', async () => {
    const rows = watchedRows(20_000);
    await expect(renderPdf(givenReport(rows, totalsOf([])), hangsUpAfter(100_000))).rejects.toThrow();
    expect(rows.closed()).toBe(true);
    expect(rows.produced()).toBeLessThan(10_000);
  });
});
