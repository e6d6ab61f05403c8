/**
 * A new transaction record, and the serial numbers it shows once it succeeds. Serials and tokens come from the
 * ref's own PRNG (seed + dialect + ref_id): the same seed and ref give the same token in any request order.
 */
import type { Code } from './codes.js';
import { formatKwh, tokenKwhTenths } from './pricing-pln.js';
import type { Quote } from './pricing.js';
import { randomFor } from './prng.js';
import type { Scenario } from './scenarios.js';
import type { Target, Txn } from './store.js';

/** 20 digits as xxxx-xxxx-xxxx-xxxx-xxxx (ppob.md §2.2). */
export const formatToken = (digits: string) => digits.replace(/(\d{4})(?=\d)/g, '$1-');

export function newTransaction(
  fields: { seed: number; dialect: Txn['dialect']; handle: string; inquired: Code },
  target: Target,
  scenario: Scenario,
  quote: Quote,
  now: Date,
): Txn {
  const random = randomFor(fields.seed, fields.dialect, target.refId);
  const noref = random.digits(16);
  const token = target.product.kind === 'pln-prepaid' ? formatToken(random.digits(20)) : undefined;
  return {
    dialect: fields.dialect,
    refId: target.refId,
    handle: fields.handle,
    sku: target.sku,
    product: target.product,
    customerNo: target.customerNo,
    months: target.months,
    scenario,
    quote,
    state: 'inquired',
    rc: fields.inquired.rc,
    message: fields.inquired.message,
    createdAt: now,
    inquiredAt: undefined,
    paidAt: undefined,
    finalAt: undefined,
    sn: '',
    token,
    noref,
    debited: false,
  };
}

/**
 * What a success shows as `sn`: the biller reference for bills; for tokens TOKEN/NAME/TARIF/DAYA/KWH
 * (ppob.md §1.6, e.g. 2514-1798-8056-2280-2824/HASMALINDA/R1M/900VA/33.7).
 */
export function successSerial(txn: Txn): string {
  const { tariff } = txn.quote;
  if (txn.token === undefined || tariff === undefined) return txn.noref;
  const kwh = formatKwh(tokenKwhTenths(txn.product.denomination ?? 0n, tariff));
  return `${txn.token}/${txn.quote.customerName}/${tariff.tarif}/${tariff.daya}VA/${kwh}`;
}
