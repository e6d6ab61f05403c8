/**
 * PLN amounts (ppob.md §2.1–2.2).
 *
 * Tariffs per kWh, 2025 and unchanged through Q4 2025: R1/450 subsidised 415 · R1/900 subsidised 605 ·
 * R1/900 RTM 1.352 · R1 1.300–2.200 1.444,70 · R2 3.500–5.500 and R3 ≥6.600 1.699,53. Kept in hundredths of a
 * rupiah so the arithmetic stays integer. A postpaid bill here is kWh × tariff (PLN's real bill also carries
 * PPJ and a minimum charge; left out on purpose). The late fee for a period past its due date (the 20th) follows
 * Permen ESDM 27/2017: 450 & 900 VA Rp3.000 · 1.300 VA Rp5.000 · 2.200 VA Rp10.000 · 3.500–5.500 VA Rp50.000 ·
 * 6.600–14.000 VA 3 % (min Rp75.000) · above 14.000 VA 3 % (min Rp100.000). Only older periods carry it, so a
 * bill does not change with the day of the month. A token buys (denomination − 3 % PPJ) / tariff kWh, rounded
 * to 0,1 (metrotvnews: Rp20k → ~13,2 kWh at 1.444,70).
 */
import { hash32 } from './prng.js';
import type { PlnTariff, QuotePeriod } from './quote.js';

export type { PlnTariff } from './quote.js';

/** [weight, tariff]: most households are 900 or 1.300 VA. */
const TARIFFS: ReadonlyArray<readonly [number, PlnTariff]> = [
  [1, { tarif: 'R1', daya: 450, centiPerKwh: 41_500 }],
  [2, { tarif: 'R1', daya: 900, centiPerKwh: 60_500 }],
  [2, { tarif: 'R1M', daya: 900, centiPerKwh: 135_200 }],
  [4, { tarif: 'R1', daya: 1300, centiPerKwh: 144_470 }],
  [2, { tarif: 'R1', daya: 2200, centiPerKwh: 144_470 }],
  [1, { tarif: 'R2', daya: 3500, centiPerKwh: 169_953 }],
  [1, { tarif: 'R2', daya: 5500, centiPerKwh: 169_953 }],
  [1, { tarif: 'R3', daya: 6600, centiPerKwh: 169_953 }],
];
const FALLBACK_TARIFF: PlnTariff = { tarif: 'R1', daya: 1300, centiPerKwh: 144_470 };
const TOTAL_WEIGHT = TARIFFS.reduce((total, [weight]) => total + weight, 0);

export function plnTariffFor(customerNo: string): PlnTariff {
  let ticket = hash32('tariff', customerNo) % TOTAL_WEIGHT;
  for (const [weight, tariff] of TARIFFS) {
    if (ticket < weight) return tariff;
    ticket -= weight;
  }
  return FALLBACK_TARIFF;
}

/** "R1 /000001300", the Digiflazz/IAK meter-check `segment_power` format. */
export function segmentPower(tariff: PlnTariff): string {
  return `${tariff.tarif} /${String(tariff.daya).padStart(9, '0')}`;
}

/** Permen ESDM 27/2017 late fee for one overdue bill. */
export function plnLateFee(daya: number, bill: bigint): bigint {
  if (daya <= 900) return 3_000n;
  if (daya <= 1300) return 5_000n;
  if (daya <= 2200) return 10_000n;
  if (daya <= 5500) return 50_000n;
  const percent = (bill * 3n) / 100n;
  const floor = daya <= 14_000 ? 75_000n : 100_000n;
  return percent > floor ? percent : floor;
}

const meter = (stand: number) => String(stand % 100_000_000).padStart(8, '0');

export function plnPostpaidPeriods(
  customerNo: string,
  periods: readonly string[],
  admin: bigint,
): { periods: QuotePeriod[]; details: Record<string, string | number>; tariff: PlnTariff } {
  const tariff = plnTariffFor(customerNo);
  const h = hash32('pln-usage', customerNo);
  // Usage grows with the connection: 40 kWh up to ~daya/8 kWh a month.
  const base = 40 + (h % Math.max(1, Math.floor(tariff.daya / 8)));
  let stand = 10_000 + ((h >>> 8) % 80_000);
  const built = periods.map((period, index): QuotePeriod => {
    const kwh = base + (hash32('pln-month', customerNo, period) % 30);
    const amount = (BigInt(kwh) * BigInt(tariff.centiPerKwh) + 50n) / 100n;
    const late = index < periods.length - 1;
    const start = stand;
    stand += kwh;
    return {
      period,
      amount,
      penalty: late ? plnLateFee(tariff.daya, amount) : 0n,
      admin,
      meterStart: meter(start),
      meterEnd: meter(stand),
    };
  });
  return { periods: built, details: { tarif: tariff.tarif, daya: tariff.daya }, tariff };
}

/** kWh a token buys, in tenths: (denomination − 3 % PPJ) / tariff, rounded half up. */
export function tokenKwhTenths(denomination: bigint, tariff: PlnTariff): bigint {
  const numerator = denomination * 970n * 2n + BigInt(tariff.centiPerKwh);
  return numerator / (2n * BigInt(tariff.centiPerKwh));
}

export function formatKwh(tenths: bigint): string {
  return `${tenths / 10n}.${tenths % 10n}`;
}

/** PPJ (pajak penerangan jalan) at 3 %: the exact regional rate is unverified (ppob.md §6). */
export function tokenPpj(denomination: bigint): bigint {
  return (denomination * 3n) / 100n;
}
