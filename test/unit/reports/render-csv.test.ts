import { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { neutralizeFormula, renderCsv } from '../../../src/reports/render-csv.js';
import type { ReportRow } from '../../../src/reports/types.js';
import {
  collector,
  givenReport,
  givenRow,
  hangsUpAfter,
  manyRows,
  rendered,
  totalsOf,
  watchedRows,
} from './fixture.js';

const EXPECTED = [
  'payment_id,time_wib,member_no,member_name,product,customer_no,bill_amount,penalty,admin_fee,koperasi_fee,total,upstream_ref,status,recon_result',
  '0b9c5f9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b,2026-11-29 08:15:02,A-0001,Siti Aminah,PLN_POSTPAID,********1234,1230067,0,2500,2000,1234567,DF-000123,success,matched',
  `1b9c5f9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b,2026-11-29 09:00:00,A-0002,"'=HYPERLINK(""http://x.test"",""klik"")",PDAM_TIRTA_BENTENG,******5678,85000,5000,2500,1000,93500,,failed,status_mismatch`,
  '2b9c5f9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b,2026-11-29 10:30:45,A-0003,"Budi, ""Bos"" Santoso",BPJS_KESEHATAN,********1234,150000,0,2500,1000,153500,DF-000125,suspect,missing_upstream',
  "3b9c5f9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b,2026-11-29 11:00:00,A-0004,'+62 812 Dewi,PLN_POSTPAID,********1234,1230067,0,2500,2000,1234567,DF-000123,processing,not_reconciled",
  "4b9c5f9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b,2026-11-29 12:00:00,A-0005,'@Ani -Rahma,PLN_POSTPAID,********1234,1230067,0,2500,2000,1234567,DF-000123,refunded,amount_mismatch",
  '5b9c5f9e-1c2d-4e5f-8a9b-0c1d2e3f4a5b,2026-11-29 23:59:59,A-0006,Rahmawati,PDAM_TIRTA_BENTENG,********1234,40000,2500,2500,1000,46000,DF-000123,success,missing_here',
  '',
  'section,product,status,count,amount',
  'by_product_status,BPJS_KESEHATAN,suspect,1,153500',
  'by_product_status,PDAM_TIRTA_BENTENG,failed,1,93500',
  'by_product_status,PDAM_TIRTA_BENTENG,success,1,46000',
  'by_product_status,PLN_POSTPAID,processing,1,1234567',
  'by_product_status,PLN_POSTPAID,refunded,1,1234567',
  'by_product_status,PLN_POSTPAID,success,1,1234567',
  'payment_count,,,6,',
  'fee_income,,,,3000',
  'commission_income,,,,1500',
  'payable_to_gateway,,,,1276067',
  'open_suspect,,,1,153500',
  'unmatched,,,4,',
];

describe('daily report as CSV', () => {
  it('writes the header, one line per payment, a blank line and the totals table, CRLF-terminated', async () => {
    const text = (await rendered(renderCsv)).toString('utf8');
    expect(text).toBe(EXPECTED.join('\r\n') + '\r\n');
  });

  it('neutralizes every cell a spreadsheet would run as a formula, and nothing else', () => {
    for (const cell of ['=1+1', '+62', '-5', '@SUM(A1)', '\tx', '\rx'])
      expect(neutralizeFormula(cell)).toBe(`'${cell}`);
    for (const cell of ['Siti', '', "'already", ' =spaced', 'a=b'])
      expect(neutralizeFormula(cell)).toBe(cell);
  });

  it('round-trips through a CSV parser with amounts as plain integers and statuses as raw values', async () => {
    const text = (await rendered(renderCsv)).toString('utf8');
    const [payments = ''] = text.split('\r\n\r\n');
    const records: Record<string, string>[] = parse(payments, { columns: true });
    expect(records.map((r) => r.member_name)).toEqual([
      'Siti Aminah',
      `'=HYPERLINK("http://x.test","klik")`,
      'Budi, "Bos" Santoso',
      "'+62 812 Dewi",
      "'@Ani -Rahma",
      'Rahmawati',
    ]);
    for (const r of records) {
      for (const key of ['bill_amount', 'penalty', 'admin_fee', 'koperasi_fee', 'total'])
        expect(r[key]).toMatch(/^\d+$/);
    }
    expect(records.map((r) => r.status)).toEqual([
      'success',
      'failed',
      'suspect',
      'processing',
      'refunded',
      'success',
    ]);
  });

  it('fails and destroys the output when the rows fail mid-way, so no truncated file looks complete', async () => {
    async function* broken(): AsyncGenerator<ReportRow> {
      yield givenRow();
      throw new Error('connection lost');
    }
    const { out } = collector();
    const report = { ...givenReport(), rows: broken() };
    await expect(renderCsv(report, out)).rejects.toThrow('connection lost');
    expect(out.destroyed).toBe(true);
    expect(out.writableFinished).toBe(false);
  });

  it('stops reading rows when the reader goes away mid-download', async () => {
    const rows = watchedRows(100_000);
    await expect(renderCsv(givenReport(rows, totalsOf([])), hangsUpAfter(100_000))).rejects.toThrow();
    expect(rows.closed()).toBe(true);
    expect(rows.produced()).toBeLessThan(10_000);
  });

  it('streams 100 000 payments to a slow reader with only a few rows in flight', async () => {
    const COUNT = 100_000;
    let produced = 0;
    let lines = 0;
    let maxInFlight = 0;
    const baseline = process.memoryUsage().heapUsed;
    let maxHeap = baseline;
    function* counted(): Generator<ReportRow> {
      for (const row of manyRows(COUNT)) {
        produced++;
        maxInFlight = Math.max(maxInFlight, produced - lines);
        yield row;
      }
    }
    const out = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _encoding, callback) {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
        if (lines % 5_000 < 50) maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
        // An asynchronous reader, like a socket: the renderer has to wait for it.
        void nextTurn().then(() => callback());
      },
    });
    await renderCsv(givenReport(counted(), totalsOf([])), out);
    const totalsLines = 1 + 1 + 6; // blank line, totals header, six summary lines (no product groups)
    expect(produced).toBe(COUNT);
    expect(lines).toBe(1 + COUNT + totalsLines);
    expect(maxInFlight).toBeLessThan(2_000);
    expect(maxHeap - baseline).toBeLessThan(48 * 1024 * 1024);
  });
});
