/**
 * A small daily report whose rows cover every status and reconciliation result, a zero and a
 * non-zero denda, a member name that is a formula and one with a comma and a quote. Totals are
 * computed from the rows the way the SQL does, so every format can be checked against them.
 */
import { Writable } from 'node:stream';
import type { DailyReport, ProductStatusTotal, ReportRow, ReportTotals } from '../../../src/reports/types.js';

export const DATE = '2026-11-29';

export function givenRow(overrides: Partial<ReportRow> = {}): ReportRow {
  return {
    paymentId: '0b9c5f9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
    timeWib: `${DATE} 08:15:02`,
    memberNo: 'A-0001',
    memberName: 'Siti Aminah',
    product: 'PLN_POSTPAID',
    customerNo: '********1234',
    billAmount: 1_230_067n,
    penalty: 0n,
    adminFee: 2_500n,
    koperasiFee: 2_000n,
    total: 1_234_567n,
    upstreamRef: 'DF-000123',
    status: 'success',
    reconResult: 'matched',
    ...overrides,
  };
}

export const ROWS: readonly ReportRow[] = [
  givenRow(),
  givenRow({
    paymentId: '1b9c5f9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
    timeWib: `${DATE} 09:00:00`,
    memberNo: 'A-0002',
    memberName: '=HYPERLINK("http://x.test","klik")',
    product: 'PDAM_TIRTA_BENTENG',
    customerNo: '******5678',
    billAmount: 85_000n,
    penalty: 5_000n,
    adminFee: 2_500n,
    koperasiFee: 1_000n,
    total: 93_500n,
    upstreamRef: '',
    status: 'failed',
    reconResult: 'status_mismatch',
  }),
  givenRow({
    paymentId: '2b9c5f9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
    timeWib: `${DATE} 10:30:45`,
    memberNo: 'A-0003',
    memberName: 'Budi, "Bos" Santoso',
    product: 'BPJS_KESEHATAN',
    billAmount: 150_000n,
    adminFee: 2_500n,
    koperasiFee: 1_000n,
    total: 153_500n,
    upstreamRef: 'DF-000125',
    status: 'suspect',
    reconResult: 'missing_upstream',
  }),
  givenRow({
    paymentId: '3b9c5f9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
    timeWib: `${DATE} 11:00:00`,
    memberNo: 'A-0004',
    memberName: '+62 812 Dewi',
    status: 'processing',
    reconResult: 'not_reconciled',
  }),
  givenRow({
    paymentId: '4b9c5f9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
    timeWib: `${DATE} 12:00:00`,
    memberNo: 'A-0005',
    memberName: '@Ani -Rahma',
    status: 'refunded',
    reconResult: 'amount_mismatch',
  }),
  givenRow({
    paymentId: '5b9c5f9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
    timeWib: `${DATE} 23:59:59`,
    memberNo: 'A-0006',
    memberName: 'Rahmawati',
    product: 'PDAM_TIRTA_BENTENG',
    billAmount: 40_000n,
    penalty: 2_500n,
    adminFee: 2_500n,
    koperasiFee: 1_000n,
    total: 46_000n,
    status: 'success',
    reconResult: 'missing_here',
  }),
];

/** Count and sum by product and status, sorted like the SQL (`ORDER BY product, status`). */
export function totalsOf(rows: readonly ReportRow[]): ReportTotals {
  const groups = new Map<string, ProductStatusTotal>();
  for (const r of rows) {
    const key = `${r.product}\u0000${r.status}`;
    const g = groups.get(key) ?? { product: r.product, status: r.status, count: 0, total: 0n };
    groups.set(key, { ...g, count: g.count + 1, total: g.total + r.total });
  }
  const byProductStatus = [...groups.values()].sort(
    (a, b) => a.product.localeCompare(b.product) || a.status.localeCompare(b.status),
  );
  const suspects = rows.filter((r) => r.status === 'suspect');
  return {
    paymentCount: rows.length,
    byProductStatus,
    feeIncome: 3_000n,
    commissionIncome: 1_500n,
    payableToGateway: 1_276_067n,
    openSuspect: { count: suspects.length, total: suspects.reduce((s, r) => s + r.total, 0n) },
    unmatched: { count: 4 },
  };
}

async function* streamOf(rows: Iterable<ReportRow>): AsyncGenerator<ReportRow> {
  for (const row of rows) yield row;
}

/** A fresh report each call: its rows can be iterated once, like the real one. */
export function givenReport(
  rows: Iterable<ReportRow> = ROWS,
  totals: ReportTotals = totalsOf(ROWS),
): DailyReport {
  return {
    koperasi: { id: 'kop-1', code: 'KSP-MAJU', name: 'Koperasi Simpan Pinjam Maju Bersama' },
    date: DATE,
    generatedAt: new Date('2026-11-30T01:15:00Z'),
    totals,
    checkpoint: { day: DATE, kind: 'daily', seq: 1_204, entries: 3_611, fingerprint: '3F2A-91C0-77BE-0D14' },
    rows: streamOf(rows),
  };
}

/** `count` distinct rows, made one at a time as the renderer asks for them. */
export function* manyRows(count: number): Generator<ReportRow> {
  for (let i = 0; i < count; i++) {
    yield givenRow({
      paymentId: `p-${i}`,
      memberName: `Anggota Nomor ${i} dengan Nama yang Sangat Panjang Sekali`,
    });
  }
}

/** `count` rows that tell how many were taken and whether the renderer closed the iteration. */
export function watchedRows(count: number): Iterable<ReportRow> & { produced(): number; closed(): boolean } {
  let produced = 0;
  let closed = false;
  return {
    *[Symbol.iterator]() {
      try {
        for (const row of manyRows(count)) {
          produced++;
          yield row;
        }
      } finally {
        closed = true;
      }
    },
    produced: () => produced,
    closed: () => closed,
  };
}

/** A reader that hangs up (destroys the stream, no error) once it has received `limit` bytes. */
export function hangsUpAfter(limit: number): Writable {
  let bytes = 0;
  const out: Writable = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback();
      if (bytes > limit) out.destroy();
    },
  });
  return out;
}

/** Collects what a renderer writes, so a test can read the whole file back. */
export function collector(): { out: Writable; bytes: () => Buffer } {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return { out, bytes: () => Buffer.concat(chunks) };
}

export async function rendered(
  render: (report: DailyReport, out: Writable) => Promise<void>,
  report: DailyReport = givenReport(),
): Promise<Buffer> {
  const { out, bytes } = collector();
  await render(report, out);
  return bytes();
}
