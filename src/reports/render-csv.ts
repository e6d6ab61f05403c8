/**
 * The daily report as CSV, streamed: header, one line per payment, a blank line, then the totals
 * as a second small table with its own header:
 *
 *   section,product,status,count,amount
 *   by_product_status,PLN_POSTPAID,success,12,1543000
 *   payment_count,,,15,
 *   fee_income,,,,12000
 *   open_suspect,,,1,102500
 *
 * A range or month report adds, after one more blank line, a table of days (`date,payment_count,…`).
 * Every totals line has the same five columns, so a spreadsheet shows them aligned and a script
 * reads both parts with an ordinary CSV parser, switching at the first empty record.
 * Amounts are raw integer rupiah and statuses raw values: scripts match on them.
 */
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { COLUMNS } from './render-columns.js';
import { summaryLines } from './render-summary.js';
import type { DailyReport, ReportRow } from './types.js';

type CsvRecord = string[];

// A cell starting with one of these is a formula to Excel / LibreOffice / Sheets (OWASP "CSV
// injection"); member names are user input, so such a cell gets a leading apostrophe.
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralizeFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

function paymentRecord(row: ReportRow): CsvRecord {
  // Amounts are written by us as digits and are never neutralized (a refund may one day be negative).
  return COLUMNS.map((c) => (c.kind === 'amount' ? c.get(row).toString() : neutralizeFormula(c.get(row))));
}

function totalsRecords(report: DailyReport): CsvRecord[] {
  const records: CsvRecord[] = [['section', 'product', 'status', 'count', 'amount']];
  for (const g of report.totals.byProductStatus) {
    records.push([
      'by_product_status',
      neutralizeFormula(g.product),
      neutralizeFormula(g.status),
      String(g.count),
      g.total.toString(),
    ]);
  }
  for (const line of summaryLines(report.totals)) {
    records.push([line.key, '', '', line.count?.toString() ?? '', line.amount?.toString() ?? '']);
  }
  return records;
}

/** A range or month report's third table, after another blank line: one line per WIB day. */
function dayRecords(report: DailyReport): CsvRecord[] {
  if (!report.period) return [];
  return [
    [],
    [...DAY_COLUMNS],
    ...report.period.days.map((d) => [
      d.date,
      String(d.paymentCount),
      String(d.success.count),
      d.success.total.toString(),
      d.feeIncome.toString(),
      d.commissionIncome.toString(),
      d.payableToGateway.toString(),
    ]),
  ];
}

export const DAY_COLUMNS = [
  'date',
  'payment_count',
  'success_count',
  'success_total',
  'fee_income',
  'commission_income',
  'payable_to_gateway',
] as const;

async function* records(report: DailyReport): AsyncGenerator<CsvRecord> {
  yield COLUMNS.map((c) => c.key);
  for await (const row of report.rows) yield paymentRecord(row);
  yield []; // the blank line between the payments and the totals
  yield* totalsRecords(report);
  yield* dayRecords(report);
}

/**
 * CRLF line ends (RFC 4180): Excel expects them, CSV parsers accept them. Comma-separated and no
 * byte-order mark, for scripts (a BOM would become part of the first header name); an Excel set to
 * the Indonesian locale expects `;` when a CSV is double-clicked, which is why the XLSX exists. pipeline() carries backpressure from
 * `out` back to the row query, ends `out`, and destroys it if anything fails.
 */
export async function renderCsv(report: DailyReport, out: Writable): Promise<void> {
  await pipeline(Readable.from(records(report)), stringify({ record_delimiter: '\r\n' }), out);
}
