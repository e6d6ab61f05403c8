/**
 * Which rows a day's settlement file holds: each ref_id's last final event of that WIB day (a ref appears at most
 * once per file, so a success refunded the same day shows only as REFUNDED), then `phantomRowsPerDay` SUCCESS rows
 * with ref_ids nobody sent: the recon break "upstream says it was paid, we never asked" (ppob.md §5).
 */
import { productFor, skusOf, type Dialect, type Product } from './catalog.js';
import type { SandboxContext } from './context.js';
import { quoteBill } from './pricing.js';
import { randomFor } from './prng.js';
import { rowFromTxn, type SettlementRow } from './settlement.js';
import type { FinalEvent } from './store.js';
import { formatToken } from './transaction.js';

export function* settlementRows(
  ctx: SandboxContext,
  dialect: Dialect,
  date: string,
): Generator<SettlementRow> {
  const events = ctx.stores[dialect].finals.get(date) ?? [];
  const last = new Map<string, FinalEvent>();
  for (const event of events) {
    last.delete(event.txn.refId);
    last.set(event.txn.refId, event);
  }
  for (const event of last.values()) yield rowFromTxn(event.txn, event.status, event.rc, event.at);
  const phantoms = ctx.knobs.phantomRowsPerDay;
  for (let i = 0; i < phantoms; i++) yield phantomRow(ctx, dialect, date, i);
}

/** A valid number for the product ending in 0000, the plain one-period scenario. */
function customerNoFor(product: Product, digits: string): string {
  const length = product.length[1];
  return `${(product.prefixes?.[0] ?? '') + digits}`.slice(0, length - 4) + '0000';
}

/** Deterministic per (seed, dialect, date, index): the same file every time it is fetched. */
export function phantomRow(
  ctx: SandboxContext,
  dialect: Dialect,
  date: string,
  index: number,
): SettlementRow {
  const random = randomFor(ctx.seed, 'phantom', dialect, date, index);
  const sku = random.pick(skusOf(dialect));
  const product = productFor(dialect, sku, 'postpaid') ?? productFor(dialect, sku, 'prepaid');
  if (product === undefined) throw new Error(`catalog has no product for ${sku}`);
  const customerNo = customerNoFor(product, random.digits(16));
  const dayStart = new Date(`${date}T00:00:00+07:00`).getTime();
  const trxTime = new Date(dayStart + random.int(0, 86_398) * 1000);
  const quote = quoteBill(product, customerNo, {
    periods: 1,
    now: trxTime,
    fees: { adminPerPeriod: ctx.knobs.adminPerPeriod, commissionPerPeriod: ctx.knobs.commissionPerPeriod },
  });
  const compact = date.replaceAll('-', '');
  return {
    trxTime,
    finalTime: new Date(trxTime.getTime() + 1000),
    refId: `PHANTOM${compact}${String(index).padStart(6, '0')}`,
    billerTrxId: dialect === 'digiflazz' ? `DFP${random.digits(9)}` : `79${random.digits(7)}`,
    productCode: sku,
    customerNo,
    customerName: quote.customerName,
    periods: quote.periods.map((p) => p.period),
    months: quote.months,
    billAmount: quote.billAmount,
    penalty: quote.penalty,
    adminFee: quote.admin,
    commission: quote.commission,
    status: 'SUCCESS',
    rc: '00',
    snOrToken: product.kind === 'pln-prepaid' ? formatToken(random.digits(20)) : random.digits(16),
    noref: random.digits(16),
  };
}
