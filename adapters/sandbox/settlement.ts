/**
 * The canonical settlement CSV (docs/upstream-wire.md §"Canonical settlement CSV"): a header, one row per
 * transaction that became final (SUCCESS, FAILED, REFUNDED) during the WIB day, then
 * `TOTAL,<row count>,<sum total_amount>,<sum price>`. Amounts are integer rupiah; `total_amount = bill_amount +
 * penalty + admin_fee` and `price = total_amount − commission`. The trailer sums every row, FAILED ones included
 * (the layout does not exclude them; a reconciler reads `status`).
 */
import { PassThrough, Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { FinalStatus, Txn } from './store.js';
import { formatWib } from './wib.js';

export const SETTLEMENT_COLUMNS = [
  'trx_time',
  'final_time',
  'ref_id',
  'biller_trx_id',
  'product_code',
  'customer_no',
  'customer_name',
  'periods',
  'months',
  'bill_amount',
  'penalty',
  'admin_fee',
  'total_amount',
  'price',
  'commission',
  'status',
  'rc',
  'sn_or_token',
  'noref',
] as const;

export interface SettlementRow {
  trxTime: Date;
  finalTime: Date;
  refId: string;
  billerTrxId: string;
  productCode: string;
  customerNo: string;
  customerName: string;
  /** YYYYMM each. */
  periods: readonly string[];
  /** BPJS only. */
  months: number | undefined;
  billAmount: bigint;
  penalty: bigint;
  adminFee: bigint;
  commission: bigint;
  status: FinalStatus;
  rc: string;
  snOrToken: string;
  noref: string;
}

/** A row for one final event of a transaction. Tokens settle with the token itself, bills with the biller ref. */
export function rowFromTxn(txn: Txn, status: FinalStatus, rc: string, at: Date): SettlementRow {
  const { quote } = txn;
  const succeeded = status !== 'FAILED';
  return {
    trxTime: txn.paidAt ?? txn.createdAt,
    finalTime: at,
    refId: txn.refId,
    billerTrxId: txn.handle,
    productCode: txn.sku,
    customerNo: txn.customerNo,
    customerName: quote.customerName,
    periods: quote.periods.map((p) => p.period),
    months: quote.months,
    billAmount: quote.billAmount,
    penalty: quote.penalty,
    adminFee: quote.admin,
    commission: quote.commission,
    status,
    rc,
    snOrToken: succeeded ? (txn.token ?? txn.sn) : '',
    noref: succeeded ? txn.noref : '',
  };
}

export const totalOf = (row: SettlementRow) => row.billAmount + row.penalty + row.adminFee;

/** The row's fields in column order. */
export function settlementRecord(row: SettlementRow): string[] {
  const total = totalOf(row);
  return [
    formatWib(row.trxTime),
    formatWib(row.finalTime),
    row.refId,
    row.billerTrxId,
    row.productCode,
    row.customerNo,
    row.customerName,
    row.periods.join(';'),
    row.months === undefined ? '' : String(row.months),
    String(row.billAmount),
    String(row.penalty),
    String(row.adminFee),
    String(total),
    String(total - row.commission),
    String(row.commission),
    row.status,
    row.rc,
    row.snOrToken,
    row.noref,
  ];
}

export interface SettlementTotals {
  count: number;
  totalAmount: bigint;
  price: bigint;
}

export const trailerLine = (totals: SettlementTotals) =>
  `TOTAL,${totals.count},${totals.totalAmount},${totals.price}\n`;

/** Streams the CSV (csv-stringify) for any number of rows, pulled lazily, then the trailer. */
export function renderSettlementCsv(rows: Iterable<SettlementRow> | AsyncIterable<SettlementRow>): Readable {
  const totals: SettlementTotals = { count: 0, totalAmount: 0n, price: 0n };
  async function* records(): AsyncGenerator<string[]> {
    for await (const row of rows) {
      const total = totalOf(row);
      totals.count += 1;
      totals.totalAmount += total;
      totals.price += total - row.commission;
      yield settlementRecord(row);
    }
  }
  const stringifier = stringify({ header: true, columns: [...SETTLEMENT_COLUMNS] });
  const out = new PassThrough();
  const source = Readable.from(records());
  source.on('error', (error) => out.destroy(error));
  stringifier.on('error', (error) => out.destroy(error));
  stringifier.on('end', () => out.end(trailerLine(totals)));
  source.pipe(stringifier).pipe(out, { end: false });
  return out;
}
