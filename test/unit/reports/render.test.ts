import { describe, expect, it } from 'vitest';
import { formatTanggal, formatWaktuWib, reconLabel, statusLabel } from '../../../src/reports/labels.js';
import { contentTypeFor, fileNameFor, renderReport } from '../../../src/reports/render.js';
import type { ReportFormat } from '../../../src/reports/types.js';
import { givenReport, rendered } from './fixture.js';

describe('renderReport', () => {
  it.each([
    ['csv', 'payment_id,time_wib,'],
    ['xlsx', 'PK\u0003\u0004'],
    ['pdf', '%PDF-'],
  ] as const)('renders %s with the matching renderer', async (format: ReportFormat, magic) => {
    const bytes = await rendered((report, out) => renderReport(format, report, out));
    expect(bytes.subarray(0, magic.length).toString('latin1')).toBe(magic);
  });

  it('names the download after the koperasi and the date, with only safe characters', () => {
    expect(fileNameFor(givenReport(), 'csv')).toBe('laporan-harian-KSP-MAJU-2026-11-29.csv');
    const hostile = { koperasi: { id: 'k', code: 'KSP "Maju"/../x', name: 'K' }, date: '2026-11-29' };
    expect(fileNameFor(hostile, 'pdf')).toBe('laporan-harian-KSP-Maju-x-2026-11-29.pdf');
  });

  it('gives each format its content type', () => {
    expect(contentTypeFor('csv')).toBe('text/csv; charset=utf-8');
    expect(contentTypeFor('xlsx')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(contentTypeFor('pdf')).toBe('application/pdf');
  });
});

describe('report labels', () => {
  it('says every status and reconciliation result in Bahasa Indonesia, unknown values as they are', () => {
    expect(['processing', 'success', 'failed', 'suspect', 'refunded', 'paused'].map(statusLabel)).toEqual([
      'Diproses',
      'Berhasil',
      'Gagal',
      'Menunggu kepastian',
      'Dana kembali',
      'paused',
    ]);
    expect(
      [
        'matched',
        'amount_mismatch',
        'missing_upstream',
        'missing_here',
        'status_mismatch',
        'not_reconciled',
        'x',
      ].map(reconLabel),
    ).toEqual([
      'Cocok',
      'Selisih jumlah',
      'Tidak ada di penyedia tagihan',
      'Tidak ada di Pintu',
      'Beda status',
      'Belum direkonsiliasi',
      'x',
    ]);
    expect(statusLabel('toString')).toBe('toString');
  });

  it('writes dates the Indonesian way and times in WIB', () => {
    expect(formatTanggal('2026-11-29')).toBe('29 November 2026');
    expect(formatTanggal('2026-01-05')).toBe('5 Januari 2026');
    expect(formatWaktuWib(new Date('2026-11-29T17:30:00Z'))).toBe('30 November 2026 00:30:00 WIB');
  });
});
