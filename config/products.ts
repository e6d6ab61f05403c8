/**
 * The product catalog and its routing: which upstream adapters serve each product, in order of
 * preference, and under which of their SKUs. Typed data, validated when loaded.
 *
 * Facts (ppob.md §2): PLN postpaid IDPEL is 12 digits; prepaid meters are 11 digits (some channels
 * take the 12-digit IDPEL too); official token denominations are 20k–1jt; BPJS Kesehatan VA is
 * 88888/89888 + 11 digits, paid for 1–12 months; PDAM customer numbers vary (Tirta Benteng unverified,
 * 8–10 digits assumed).
 */
import { z } from 'zod';

const route = z.object({
  adapter: z.string().regex(/^[a-z][a-z0-9_-]{1,31}$/),
  /** The adapter's product code. For tokens, `{denomK}` / `{denom}` are replaced per denomination. */
  sku: z.string().min(1),
});

const productSchema = z.object({
  code: z.string().regex(/^[A-Z][A-Z0-9_]{2,40}$/),
  name: z.string().min(1),
  category: z.enum(['electricity', 'water', 'health']),
  kind: z.enum(['bill', 'token']),
  customerNoPattern: z.instanceof(RegExp),
  customerNoHint: z.string(),
  /** PLN products are refused in the PLN cut-off window (PLN_CUTOFF_START–PLN_CUTOFF_END WIB). */
  plnCutOff: z.boolean(),
  denominations: z.array(z.bigint().positive()).optional(),
  months: z.object({ min: z.number().int().min(1), max: z.number().int().max(24) }).optional(),
  routes: z.array(route).min(1),
});

export type ProductSpec = z.infer<typeof productSchema>;

const PLN_DENOMINATIONS = [20_000n, 50_000n, 100_000n, 250_000n, 500_000n, 1_000_000n];

const catalog: ProductSpec[] = [
  {
    code: 'PLN_POSTPAID',
    name: 'PLN Pascabayar',
    category: 'electricity',
    kind: 'bill',
    customerNoPattern: /^\d{12}$/,
    customerNoHint: 'ID pelanggan (IDPEL) 12 digit',
    plnCutOff: true,
    routes: [
      { adapter: 'digiflazz', sku: 'pln' },
      { adapter: 'iak', sku: 'PLNPOSTPAID' },
    ],
  },
  {
    code: 'PLN_PREPAID',
    name: 'Token Listrik PLN',
    category: 'electricity',
    kind: 'token',
    customerNoPattern: /^\d{11}$/,
    customerNoHint: 'nomor meter 11 digit',
    plnCutOff: true,
    denominations: PLN_DENOMINATIONS,
    routes: [
      { adapter: 'digiflazz', sku: 'pln{denomK}' },
      { adapter: 'iak', sku: 'hpln{denom}' },
    ],
  },
  {
    code: 'BPJS_KESEHATAN',
    name: 'BPJS Kesehatan',
    category: 'health',
    kind: 'bill',
    customerNoPattern: /^(88888|89888)\d{11}$/,
    customerNoHint: 'nomor VA keluarga 16 digit (88888…)',
    plnCutOff: false,
    months: { min: 1, max: 12 },
    routes: [
      { adapter: 'digiflazz', sku: 'bpjs' },
      { adapter: 'iak', sku: 'BPJS' },
    ],
  },
  {
    code: 'PDAM_TIRTA_BENTENG',
    name: 'PDAM Tirta Benteng (Kota Tangerang)',
    category: 'water',
    kind: 'bill',
    customerNoPattern: /^\d{8,10}$/,
    customerNoHint: 'nomor pelanggan 8–10 digit',
    plnCutOff: false,
    routes: [
      { adapter: 'digiflazz', sku: 'pdamtgr' },
      { adapter: 'iak', sku: 'PDAMKOTA.TANGERANG' },
    ],
  },
  {
    code: 'PDAM_KOTA_SURABAYA',
    name: 'PDAM Surya Sembada (Kota Surabaya)',
    category: 'water',
    kind: 'bill',
    customerNoPattern: /^\d{8,10}$/,
    customerNoHint: 'nomor pelanggan 8–10 digit',
    plnCutOff: false,
    routes: [
      { adapter: 'digiflazz', sku: 'pdamsby' },
      { adapter: 'iak', sku: 'PDAMKOTA.SURABAYA' },
    ],
  },
];

export function loadCatalog(products: ProductSpec[] = catalog): ReadonlyMap<string, ProductSpec> {
  const map = new Map<string, ProductSpec>();
  for (const raw of products) {
    const product = productSchema.parse(raw);
    if (map.has(product.code)) throw new Error(`duplicate product ${product.code}`);
    if (product.kind === 'token' && !product.denominations?.length) {
      throw new Error(`token product ${product.code} needs denominations`);
    }
    map.set(product.code, product);
  }
  return map;
}

/** The adapter SKU for a product (and token denomination). */
export function skuFor(sku: string, denomination?: bigint): string {
  if (denomination === undefined) return sku;
  return sku.replace('{denomK}', String(denomination / 1000n)).replace('{denom}', String(denomination));
}
