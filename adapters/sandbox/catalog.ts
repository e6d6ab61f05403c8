/**
 * The products the sandbox sells, under each dialect's SKU.
 *
 * Facts (ppob.md §2, §5): PLN postpaid IDPEL is 12 digits; prepaid tokens are bought by 11-digit meter number in
 * PLN's official denominations 20k–1jt; the BPJS Kesehatan family VA is 16 digits, 88888 (or 89888 at Mandiri)
 * + the card's last 11 digits; PDAM numbers differ per PDAM (Tirta Benteng's format is unverified, so 8–10 digits,
 * like IAK's 8-digit PDAM test numbers).
 */

export type Dialect = 'digiflazz' | 'iak';
export const DIALECTS: readonly Dialect[] = ['digiflazz', 'iak'];

export type ProductKind = 'pln-postpaid' | 'pln-prepaid' | 'bpjs' | 'pdam';
export type PdamId = 'tangerang' | 'surabaya';

export interface Product {
  kind: ProductKind;
  /** Refused during the PLN cut-off window (ppob.md §2.2: PLN goes offline ~23:00–01:00 WIB). */
  pln: boolean;
  /** PLN token denomination, rupiah. */
  denomination?: bigint;
  pdam?: PdamId;
  /** Digits only, of this length range. */
  length: readonly [number, number];
  /** Accepted leading digits (BPJS VA). */
  prefixes?: readonly string[];
}

const PLN_POSTPAID: Product = { kind: 'pln-postpaid', pln: true, length: [12, 12] };
const BPJS: Product = { kind: 'bpjs', pln: false, length: [16, 16], prefixes: ['88888', '89888'] };
const PDAM_TANGERANG: Product = { kind: 'pdam', pln: false, pdam: 'tangerang', length: [8, 10] };
const PDAM_SURABAYA: Product = { kind: 'pdam', pln: false, pdam: 'surabaya', length: [8, 10] };

export const TOKEN_DENOMINATIONS: readonly bigint[] = [
  20_000n,
  50_000n,
  100_000n,
  250_000n,
  500_000n,
  1_000_000n,
];

const token = (denomination: bigint): Product => ({
  kind: 'pln-prepaid',
  pln: true,
  denomination,
  length: [11, 11],
});

/** Digiflazz buyer SKUs are chosen by the buyer in its panel; these are Pintu's (config/products.ts). */
const DIGIFLAZZ: ReadonlyMap<string, Product> = new Map<string, Product>([
  ['pln', PLN_POSTPAID],
  ['bpjs', BPJS],
  ['pdamtgr', PDAM_TANGERANG],
  ['pdamsby', PDAM_SURABAYA],
  ...TOKEN_DENOMINATIONS.map((d): [string, Product] => [`pln${d / 1000n}`, token(d)]),
]);

/** IAK product codes (api.iak.id pricelist naming: PLNPOSTPAID, BPJS, PDAMKOTA.*, hpln<denom>). */
const IAK: ReadonlyMap<string, Product> = new Map<string, Product>([
  ['PLNPOSTPAID', PLN_POSTPAID],
  ['BPJS', BPJS],
  ['PDAMKOTA.TANGERANG', PDAM_TANGERANG],
  ['PDAMKOTA.SURABAYA', PDAM_SURABAYA],
  ...TOKEN_DENOMINATIONS.map((d): [string, Product] => [`hpln${d}`, token(d)]),
]);

const CATALOGS: Record<Dialect, ReadonlyMap<string, Product>> = { digiflazz: DIGIFLAZZ, iak: IAK };

export function skusOf(dialect: Dialect): string[] {
  return [...CATALOGS[dialect].keys()];
}

/** A SKU of the wanted kind: postpaid commands take bill SKUs, top-ups and meter checks token SKUs. */
export function productFor(dialect: Dialect, sku: string, want: 'postpaid' | 'prepaid'): Product | undefined {
  const product = CATALOGS[dialect].get(sku);
  if (product === undefined || (product.kind === 'pln-prepaid') !== (want === 'prepaid')) return undefined;
  return product;
}

export type TargetProblem = 'unknown-sku' | 'wrong-length' | 'wrong-prefix';

/** Resolves a SKU (the wrong kind answers "SKU not found") and checks the customer number's shape. */
export function resolveTarget(
  dialect: Dialect,
  sku: string,
  customerNo: string,
  want: 'postpaid' | 'prepaid',
): { ok: true; product: Product } | { ok: false; problem: TargetProblem } {
  const product = productFor(dialect, sku, want);
  if (product === undefined) return { ok: false, problem: 'unknown-sku' };
  const [min, max] = product.length;
  if (!/^\d+$/.test(customerNo) || customerNo.length < min || customerNo.length > max) {
    return { ok: false, problem: 'wrong-length' };
  }
  if (product.prefixes !== undefined && !product.prefixes.some((p) => customerNo.startsWith(p))) {
    return { ok: false, problem: 'wrong-prefix' };
  }
  return { ok: true, product };
}

/** PLN meter check (pln-subscribe / inquiry-pln): an 11-digit meter or a 12-digit IDPEL. */
export function isMeterOrIdpel(customerNo: string): boolean {
  return /^\d{11,12}$/.test(customerNo);
}
