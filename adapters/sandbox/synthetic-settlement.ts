/**
 * Large settlement files for benchmarks: `writeSyntheticSettlement(out, { date, rows })` writes a canonical CSV of
 * `rows` SUCCESS rows (a million in a few seconds) without touching any sandbox state. Rows are cheap PLN-postpaid-
 * like bills derived from the index; `refIdFor(i)` names them after the bench's own payments and `rowFor(i)` can
 * override any field (e.g. a FAILED row or a wrong amount to plant a recon break). Formatted by hand for speed; the
 * fields are quoted exactly as csv-stringify quotes them (only when they hold a comma, quote or line break).
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { customerName } from './names.js';
import { hash32 } from './prng.js';
import {
  SETTLEMENT_COLUMNS,
  settlementRecord,
  totalOf,
  trailerLine,
  type SettlementRow,
  type SettlementTotals,
} from './settlement.js';
import { wibDayStart, wibPeriod } from './wib.js';

export interface SyntheticSettlementOptions {
  /** WIB date, YYYY-MM-DD. */
  date: string;
  rows: number;
  /** Default `SYN<YYYYMMDD><index, 8 digits>`. */
  refIdFor?: (index: number) => string;
  /** Field overrides for one row. */
  rowFor?: (index: number) => Partial<SettlementRow>;
  /** Default `pln`. */
  productCode?: string;
}

const NEEDS_QUOTES = /[",\r\n]/;

function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\n`;
}

export function syntheticRow(
  options: SyntheticSettlementOptions,
  index: number,
  dayStart: number,
  period = wibPeriod(new Date(dayStart)),
): SettlementRow {
  const h = hash32('synthetic', options.date, index);
  const customerNo = `53${String(index).padStart(10, '0')}`;
  const trxTime = new Date(dayStart + Math.floor((index * 86_398_000) / Math.max(1, options.rows)));
  const row: SettlementRow = {
    trxTime,
    finalTime: new Date(trxTime.getTime() + 1000),
    refId:
      options.refIdFor?.(index) ?? `SYN${options.date.replaceAll('-', '')}${String(index).padStart(8, '0')}`,
    billerTrxId: `SYN${String(index).padStart(9, '0')}`,
    productCode: options.productCode ?? 'pln',
    customerNo,
    customerName: customerName(customerNo),
    periods: [period],
    months: undefined,
    billAmount: BigInt(50_000 + (h % 4_500) * 100),
    penalty: 0n,
    adminFee: 2_500n,
    commission: 500n,
    status: 'SUCCESS',
    rc: '00',
    snOrToken: String(h).padStart(16, '0'),
    noref: String(hash32('noref', index)).padStart(16, '0'),
  };
  const override = options.rowFor?.(index);
  return override === undefined ? row : { ...row, ...override };
}

/** Writes the whole file (header, rows, trailer), respecting backpressure; resolves with the trailer's totals. */
export async function writeSyntheticSettlement(
  out: Writable,
  options: SyntheticSettlementOptions,
): Promise<SettlementTotals> {
  const start = wibDayStart(options.date.replaceAll('-', ''));
  if (start === undefined) throw new RangeError(`date must be YYYY-MM-DD, got ${options.date}`);
  const totals: SettlementTotals = { count: 0, totalAmount: 0n, price: 0n };
  let chunk = csvLine(SETTLEMENT_COLUMNS);
  const flush = async () => {
    if (!out.write(chunk)) await once(out, 'drain');
    chunk = '';
  };
  const period = wibPeriod(start);
  for (let i = 0; i < options.rows; i++) {
    const row = syntheticRow(options, i, start.getTime(), period);
    const total = totalOf(row);
    totals.count += 1;
    totals.totalAmount += total;
    totals.price += total - row.commission;
    chunk += csvLine(settlementRecord(row));
    if (chunk.length > 64 * 1024) await flush();
  }
  chunk += trailerLine(totals);
  await flush();
  return totals;
}
