/**
 * A quoted bill, in the sandbox's neutral terms; each dialect renders it in its own fields. Money is bigint rupiah.
 */

/** A PLN connection's tariff (pricing-pln.ts). */
export interface PlnTariff {
  tarif: string;
  /** VA */
  daya: number;
  /** Rupiah per kWh × 100. */
  centiPerKwh: number;
}

export interface QuotePeriod {
  /** YYYYMM */
  period: string;
  amount: bigint;
  penalty: bigint;
  admin: bigint;
  meterStart?: string;
  meterEnd?: string;
  /** Components worth showing (PDAM abodemen, usage…), passed through in `detail`. */
  extra?: Record<string, string | number>;
}

export interface Quote {
  customerName: string;
  periods: QuotePeriod[];
  /** BPJS: months paid. */
  months?: number;
  billAmount: bigint;
  penalty: bigint;
  admin: bigint;
  commission: bigint;
  /** bill + penalty + admin. */
  total: bigint;
  /** total − commission: what the deposit pays. */
  price: bigint;
  /** Product details for `desc` (tarif, daya, jumlah_peserta, kode_cabang…). */
  details: Record<string, string | number>;
  /** PLN (both kinds): the meter's tariff. */
  tariff?: PlnTariff;
}

export interface Fees {
  adminPerPeriod: number;
  commissionPerPeriod: number;
}
