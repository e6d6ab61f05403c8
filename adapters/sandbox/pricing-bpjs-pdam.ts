/**
 * BPJS Kesehatan and PDAM amounts (ppob.md §2.3–2.4).
 *
 * BPJS PBPU premiums (Perpres 64/2020, 63/2022, still in force 2024–2025): Kelas I Rp150.000, Kelas II
 * Rp100.000, Kelas III Rp35.000 paid by the member (Rp42.000 less the Rp7.000 government subsidy), per person
 * per month; one VA per family, total = premium × jumlah_peserta × months. No denda: BPJS's late penalty is
 * charged only on hospital use.
 *
 * PDAM: bill = biaya administrasi + pemeliharaan (abodemen) + m³ × rate, plus denda when paid after the 20th
 * (Tirta Benteng: ppob.md §2.3; its 2017 rate was Rp2.775/m³). The other components and all Surabaya figures
 * are illustrative, not verified tariffs.
 */
import type { PdamId } from './catalog.js';
import { hash32 } from './prng.js';
import type { QuotePeriod } from './quote.js';

type Built = { periods: QuotePeriod[]; details: Record<string, string | number> };

const BPJS_CLASSES = [
  { kelas: 'III', premium: 35_000n },
  { kelas: 'III', premium: 35_000n },
  { kelas: 'III', premium: 35_000n },
  { kelas: 'II', premium: 100_000n },
  { kelas: 'II', premium: 100_000n },
  { kelas: 'I', premium: 150_000n },
] as const;

/** Branch codes in IAK's format ("0901"); illustrative. */
const BPJS_BRANCHES = [
  { kode: '0901', nama: 'SURABAYA' },
  { kode: '1101', nama: 'TANGERANG' },
  { kode: '0801', nama: 'JAKARTA PUSAT' },
  { kode: '0601', nama: 'BANDUNG' },
  { kode: '1201', nama: 'MEDAN' },
] as const;

export function bpjsPeriods(customerNo: string, periods: readonly string[], admin: bigint): Built {
  const h = hash32('bpjs', customerNo);
  const plan = BPJS_CLASSES[h % BPJS_CLASSES.length] ?? BPJS_CLASSES[0];
  const members = 1 + ((h >>> 8) % 4);
  const branch = BPJS_BRANCHES[(h >>> 16) % BPJS_BRANCHES.length] ?? BPJS_BRANCHES[0];
  const amount = plan.premium * BigInt(members);
  return {
    periods: periods.map((period) => ({ period, amount, penalty: 0n, admin })),
    details: {
      kelas: plan.kelas,
      jumlah_peserta: members,
      kode_cabang: branch.kode,
      nama_cabang: branch.nama,
      sisa_pembayaran: 0,
    },
  };
}

interface PdamTariff {
  name: string;
  ratePerM3: bigint;
  adminFee: bigint;
  abodemen: bigint;
  lateFee: bigint;
}

const PDAM: Readonly<Record<PdamId, PdamTariff>> = {
  tangerang: {
    name: 'PERUMDA TIRTA BENTENG KOTA TANGERANG',
    ratePerM3: 2_775n,
    adminFee: 5_000n,
    abodemen: 7_500n,
    lateFee: 10_000n,
  },
  surabaya: {
    name: 'PDAM SURYA SEMBADA KOTA SURABAYA',
    ratePerM3: 2_600n,
    adminFee: 3_000n,
    abodemen: 5_000n,
    lateFee: 5_000n,
  },
};

const GROUPS = ['2A', '2B', '3A', '3B'] as const;

export function pdamPeriods(
  customerNo: string,
  pdam: PdamId,
  periods: readonly string[],
  admin: bigint,
): Built {
  const tariff = PDAM[pdam];
  const h = hash32('pdam', pdam, customerNo);
  let stand = 100 + (h % 5_000);
  const built = periods.map((period, index): QuotePeriod => {
    const usage = 8 + (hash32('pdam-month', customerNo, period) % 33);
    const start = stand;
    stand += usage;
    return {
      period,
      amount: tariff.adminFee + tariff.abodemen + BigInt(usage) * tariff.ratePerM3,
      // Every period but the current one is past its 20th.
      penalty: index < periods.length - 1 ? tariff.lateFee : 0n,
      admin,
      meterStart: String(start).padStart(6, '0'),
      meterEnd: String(stand).padStart(6, '0'),
      extra: {
        pemakaian: usage,
        biaya_administrasi: Number(tariff.adminFee),
        biaya_pemeliharaan: Number(tariff.abodemen),
      },
    };
  });
  return {
    periods: built,
    details: { nama_pdam: tariff.name, tarif: GROUPS[(h >>> 12) % GROUPS.length] ?? '2A' },
  };
}
