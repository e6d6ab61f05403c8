/**
 * Digiflazz wire bodies (docs/upstream-wire.md §"Digiflazz dialect").
 *
 * Vendor docs: https://developer.digiflazz.com/api/buyer/cek-tagihan/, https://developer.digiflazz.com/api/buyer/bayar-tagihan/,
 * https://developer.digiflazz.com/api/buyer/topup/, https://developer.digiflazz.com/api/buyer/webhook/.
 *
 * The vendor mixes JSON numbers and numeric strings for the same field, so amounts accept both; anything else
 * (decimals, signs, words) fails the schema and the answer is treated as malformed. Fields we do not read are
 * not validated (an odd `buyer_last_saldo` must not turn a definitive answer into a suspect one).
 */
import { z } from 'zod';

/** Integer rupiah: a safe JSON integer or a string of digits. */
export const rupiah = z
  .union([z.int().nonnegative(), z.string().regex(/^\d{1,18}$/)])
  .transform((value) => BigInt(value));

/** Free text that may arrive as a number (meter numbers, serials). */
export const text = z.union([z.string(), z.int()]).transform(String);

/** Response codes are two-digit strings; a numeric rc gets its leading zero back. */
export const rc = z
  .union([z.string().trim().min(1).max(16), z.int().nonnegative()])
  .transform((value) => (typeof value === 'number' ? String(value).padStart(2, '0') : value));

/** YYYYMM, as a string or a number. */
const period = z
  .union([z.string(), z.int()])
  .transform(String)
  .pipe(z.string().regex(/^\d{4}(0[1-9]|1[0-2])$/));

/** Fields of pay, status, top-up and webhook answers that the adapter reads. */
export const transactionData = z.object({
  ref_id: z.string().nullish(),
  customer_no: text.nullish(),
  customer_name: z.string().nullish(),
  buyer_sku_code: z.string().nullish(),
  message: z.string().nullish(),
  status: z.string().nullish(),
  rc,
  sn: text.nullish(),
  price: rupiah.nullish(),
  selling_price: rupiah.nullish(),
  admin: rupiah.nullish(),
});
export type TransactionData = z.output<typeof transactionData>;

export const billDetail = z.object({
  periode: period,
  nilai_tagihan: rupiah,
  admin: rupiah.nullish(),
  denda: rupiah.nullish(),
  meter_awal: text.nullish(),
  meter_akhir: text.nullish(),
});
export type BillDetail = z.output<typeof billDetail>;

/** `desc` of a postpaid answer: `detail[]` plus product details (tarif, daya, nama_cabang…) kept as is. */
export const billDescription = z.object({ detail: z.array(billDetail).nullish() }).catchall(z.unknown());

export const inquiryData = transactionData.extend({ desc: billDescription.nullish() });
export type InquiryData = z.output<typeof inquiryData>;

/** `pln-subscribe` answer; `admin/price/selling_price` come with `buyer_sku_code` (ext). */
export const meterCheckData = z.object({
  customer_no: text.nullish(),
  meter_no: text.nullish(),
  subscriber_id: text.nullish(),
  name: z.string().nullish(),
  segment_power: z.string().nullish(),
  message: z.string().nullish(),
  status: z.string().nullish(),
  rc,
  admin: rupiah.nullish(),
  price: rupiah.nullish(),
  selling_price: rupiah.nullish(),
});
export type MeterCheckData = z.output<typeof meterCheckData>;

/** Webhook body: the pay answer plus `trx_id`; the ref is mandatory here. */
export const callbackData = transactionData.extend({ ref_id: z.string().min(1), trx_id: text.nullish() });

/** Every answer is wrapped in `{ data: … }`. */
export function envelope<T extends z.ZodType>(data: T) {
  return z.object({ data });
}

export const transactionAnswer = envelope(transactionData);
export const inquiryAnswer = envelope(inquiryData);
export const meterCheckAnswer = envelope(meterCheckData);
export const callbackBody = envelope(callbackData);

export type Decoded<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Parses an answer body ourselves, so truncated JSON and schema drift are reported, never thrown. */
export function decode<T extends z.ZodType>(schema: T, body: string): Decoded<z.output<T>> {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, problem: 'answer is not JSON (garbage or truncated)' };
  }
  const result = schema.safeParse(json);
  if (!result.success) return { ok: false, problem: 'answer does not match the wire schema' };
  return { ok: true, value: result.data };
}
