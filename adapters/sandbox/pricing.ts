/**
 * Deterministic, realistic bills: every amount comes from a hash of the customer number (never from the seed),
 * so the same customer gets the same bill on every inquiry and in every run.
 *
 * `total = bill + penalty + admin` is what the customer pays (Digiflazz `selling_price`, IAK `price`) and
 * `price = total − commission` is what the upstream takes from our deposit (Digiflazz `price`, IAK
 * `selling_price`); admin and commission are per period (ppob.md §2.5, §5 "Pricing").
 */
import type { Product } from './catalog.js';
import { customerName } from './names.js';
import { bpjsPeriods, pdamPeriods } from './pricing-bpjs-pdam.js';
import { plnPostpaidPeriods, plnTariffFor, type PlnTariff } from './pricing-pln.js';
import type { Fees, Quote, QuotePeriod } from './quote.js';
import { wibPeriod } from './wib.js';

export type { Fees, Quote, QuotePeriod } from './quote.js';

/** Periods oldest first, ending with the current WIB month. */
export function periodsBack(now: Date, count: number): string[] {
  return Array.from({ length: count }, (_, i) => wibPeriod(now, count - 1 - i));
}

export function quoteBill(
  product: Product,
  customerNo: string,
  options: { periods: number; months?: number; now: Date; fees: Fees },
): Quote {
  const { now, fees } = options;
  const admin = BigInt(fees.adminPerPeriod);
  const name = customerName(customerNo);
  if (product.kind === 'pln-prepaid') {
    const denomination = product.denomination ?? 0n;
    const tariff = plnTariffFor(customerNo);
    return assemble(
      name,
      [],
      { billAmount: denomination, admin, commission: BigInt(fees.commissionPerPeriod) },
      {
        tarif: tariff.tarif,
        daya: tariff.daya,
      },
      tariff,
    );
  }
  // BPJS pays `month` months when asked (IAK/Digiflazz take a month count); otherwise the scenario's periods.
  const count = product.kind === 'bpjs' ? (options.months ?? options.periods) : options.periods;
  const periods = periodsBack(now, count);
  let built: { periods: QuotePeriod[]; details: Record<string, string | number>; tariff?: PlnTariff };
  switch (product.kind) {
    case 'pln-postpaid':
      built = plnPostpaidPeriods(customerNo, periods, admin);
      break;
    case 'bpjs':
      built = bpjsPeriods(customerNo, periods, admin);
      break;
    case 'pdam':
      built = pdamPeriods(customerNo, product.pdam ?? 'tangerang', periods, admin);
      break;
  }
  const quote = assemble(
    name,
    built.periods,
    {
      billAmount: sum(built.periods.map((p) => p.amount)),
      admin: sum(built.periods.map((p) => p.admin)),
      commission: BigInt(fees.commissionPerPeriod) * BigInt(built.periods.length),
    },
    { ...built.details, lembar_tagihan: built.periods.length },
    built.tariff,
  );
  if (product.kind === 'bpjs') quote.months = count;
  return quote;
}

function assemble(
  name: string,
  periods: QuotePeriod[],
  amounts: { billAmount: bigint; admin: bigint; commission: bigint },
  details: Record<string, string | number>,
  tariff: PlnTariff | undefined,
): Quote {
  const penalty = sum(periods.map((p) => p.penalty));
  const total = amounts.billAmount + penalty + amounts.admin;
  const quote: Quote = {
    customerName: name,
    periods,
    billAmount: amounts.billAmount,
    penalty,
    admin: amounts.admin,
    commission: amounts.commission,
    total,
    price: total - amounts.commission,
    details,
  };
  if (tariff !== undefined) quote.tariff = tariff;
  return quote;
}

export function sum(values: readonly bigint[]): bigint {
  return values.reduce((total, value) => total + value, 0n);
}
