/**
 * The seeded plan: one PRNG from `--seed` decides the koperasi, members, payments and faults (see plan.ts).
 * Coverage first (every product, every token denomination, every sandbox scenario suffix, every client style,
 * every fault kind), then random fill at a steady rate.
 */
import { loadCatalog } from '../../config/products.js';
import { createRandom, type Random } from '../../adapters/sandbox/prng.js';
import { planFaults, planUploads } from './fault-schedule.js';
import type { ClientStyle, Intent, Plan, PlannedDeposit, PlannedKoperasi } from './plan.js';
import { loadTimeline, type Timeline } from './timeline.js';

/** adapters/sandbox/scenarios.ts, every suffix. */
export const SUFFIXES = [
  '0000',
  '0002',
  '0999',
  '0001',
  '0014',
  '0060',
  '0103',
  '1037',
  '1039',
  '1040',
  '1042',
  '1105',
  '1074',
  '1099',
] as const;
/** The everyday cases weigh more than the rare ones. */
const WEIGHTED_SUFFIXES = [...SUFFIXES, '0000', '0000', '0000', '0000', '0002', '1039', '1105', '1074'];
const STYLES: readonly ClientStyle[] = ['plain', 'plain', 'plain', 'wait', 'duplicate', 'drop-then-retry'];
const INTENTS_PER_SECOND = 3.5;

const hex = (random: Random, n: number) =>
  Array.from({ length: n }, () => random.int(0, 15).toString(16)).join('');
export const uuidFrom = (random: Random) =>
  `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-a${hex(random, 3)}-${hex(random, 12)}`;

function customerNo(random: Random, product: string, suffix: string): string {
  switch (product) {
    case 'PLN_POSTPAID':
      return `5${random.digits(7)}${suffix}`;
    case 'PLN_PREPAID':
      return `1${random.digits(6)}${suffix}`;
    case 'BPJS_KESEHATAN':
      return `88888${random.digits(7)}${suffix}`;
    default:
      return `2${random.digits(random.int(3, 5))}${suffix}`;
  }
}

function planKoperasi(random: Random): PlannedKoperasi[] {
  const count = random.int(3, 4);
  const products = [...loadCatalog().keys()];
  return Array.from({ length: count }, (_, k) => {
    const fees: Record<string, number> = {};
    for (const product of products) if (random.chance(0.5)) fees[product] = random.int(0, 30) * 100;
    return {
      code: `sim-kop-${k + 1}`,
      name: `Koperasi Simulasi ${k + 1}`,
      treasurer: { username: `bendahara${k + 1}`, password: `sandi-${hex(random, 12)}` },
      fees,
      members: Array.from({ length: random.int(3, 5) }, (_, m) => ({
        memberNo: `S${k + 1}-${m + 1}`,
        name: `Anggota ${k + 1}.${m + 1}`,
        password: `sandi-${hex(random, 12)}`,
        pin: random.digits(6),
        deposit: random.int(30, 80) * 1_000_000,
      })),
    };
  });
}

interface IntentSeed {
  product: string;
  suffix?: string;
  denomination?: number;
  style?: ClientStyle;
}

function planIntents(random: Random, koperasi: PlannedKoperasi[], timeline: Timeline): Intent[] {
  const catalog = loadCatalog();
  const products = [...catalog.keys()];
  const nonPln = products.filter((p) => !catalog.get(p)?.plnCutOff);
  const denominations = (catalog.get('PLN_PREPAID')?.denominations ?? []).map(Number);
  // Coverage: scenarios on products the cut-off never refuses, every product, every denomination, every style.
  const seeds: IntentSeed[] = [
    ...SUFFIXES.map((suffix) => ({ product: random.pick(nonPln), suffix })),
    ...products.map((product) => ({ product })),
    ...denominations.map((denomination) => ({ product: 'PLN_PREPAID', denomination })),
    ...STYLES.map((style) => ({ product: random.pick(nonPln), style })),
  ];
  const total = Math.max(seeds.length, Math.round((timeline.loadMs / 1000) * INTENTS_PER_SECOND));
  while (seeds.length < total) seeds.push({ product: random.pick(products) });
  const intents = seeds.map((seed): Intent => {
    const product = catalog.get(seed.product)!;
    const k = random.int(0, koperasi.length - 1);
    const suffix = seed.suffix ?? random.pick(WEIGHTED_SUFFIXES);
    // PLN only where the plan says it is paid: the coverage of PLN must not all fall into the cut-off.
    let at = random.int(0, timeline.loadMs - 1);
    if (product.plnCutOff && seed.suffix === undefined && random.chance(0.8)) at = timeline.plnOpenAt(random);
    const intent: Intent = {
      at,
      koperasi: k,
      member: random.int(0, koperasi[k]!.members.length - 1),
      product: seed.product,
      customerNo: customerNo(random, seed.product, suffix),
      suffix,
      style: seed.style ?? random.pick(STYLES),
      key: uuidFrom(random),
    };
    if (product.denominations) intent.denomination = seed.denomination ?? random.pick(denominations);
    if (product.months) intent.months = random.int(product.months.min, Math.min(product.months.max, 4));
    return intent;
  });
  return intents.sort((a, b) => a.at - b.at);
}

function planDeposits(random: Random, koperasi: PlannedKoperasi[], loadMs: number): PlannedDeposit[] {
  const count = Math.max(3, Math.round(loadMs / 10_000));
  return Array.from({ length: count }, () => {
    const k = random.int(0, koperasi.length - 1);
    return {
      at: random.int(0, loadMs - 1),
      koperasi: k,
      member: random.int(0, koperasi[k]!.members.length - 1),
      amount: random.int(1, 50) * 100_000,
      key: uuidFrom(random),
    };
  }).sort((a, b) => a.at - b.at);
}

export function buildPlan(seed: number, seconds: number): Plan {
  const random = createRandom(seed);
  const timeline = loadTimeline(seconds);
  const koperasi = planKoperasi(random);
  return {
    seed,
    seconds,
    koperasi,
    intents: planIntents(random, koperasi, timeline),
    deposits: planDeposits(random, koperasi, timeline.loadMs),
    faults: planFaults(random, timeline),
    uploads: planUploads(random, timeline),
  };
}
