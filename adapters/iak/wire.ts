/**
 * IAK wire bodies (docs/upstream-wire.md §"IAK dialect").
 *
 * Vendor docs: https://api.iak.id/api/postpaid/core/products/pln/inquiry, https://api.iak.id/api/postpaid/core/products/telco/payment,
 * https://api.iak.id/api/postpaid/core/check-status, https://api.iak.id/api/prepaid/core/v2/transaction/top-up,
 * https://api.iak.id/api/prepaid/callback.
 *
 * Numbers may arrive as JSON numbers or digit strings; anything else fails the schema and the answer is
 * malformed. Postpaid answers name the code `response_code`, prepaid ones `rc`: both are read into `code`.
 * Note IAK's `price` is the CUSTOMER price and `selling_price` what our deposit pays (the reverse of Digiflazz).
 */
import { z } from 'zod';

/** Integer rupiah: a safe JSON integer or a string of digits. */
export const rupiah = z
  .union([z.int().nonnegative(), z.string().regex(/^\d{1,18}$/)])
  .transform((value) => BigInt(value));

/** Free text that may arrive as a number (tr_id, meter numbers, serials). */
export const text = z.union([z.string(), z.int()]).transform(String);

/** Response codes are strings like "00"; a numeric one gets its leading zero back. */
const responseCode = z
  .union([z.string().trim().min(1).max(16), z.int().nonnegative()])
  .transform((value) => (typeof value === 'number' ? String(value).padStart(2, '0') : value));

/** Transaction status digit (0/1/2/3) as a number or a string. */
const statusDigit = z.union([z.int().nonnegative(), z.string().regex(/^\d{1,2}$/)]).transform(Number);

/** YYYYMM, as a string or a number. */
export const period = z
  .union([z.string(), z.int()])
  .transform(String)
  .pipe(z.string().regex(/^\d{4}(0[1-9]|1[0-2])$/));

/** Postpaid answers carry `response_code`, prepaid ones `rc`; one of them must be present. */
const codeShape = { response_code: responseCode.nullish(), rc: responseCode.nullish() };

interface CodeFields {
  response_code?: string | null | undefined;
  rc?: string | null | undefined;
}
const hasCode = (data: CodeFields): boolean => data.response_code != null || data.rc != null;

/** Adds `code` (= response_code ?? rc) once `hasCode` has passed. */
function withCode<T extends CodeFields>(data: T): T & { code: string } {
  return { ...data, code: data.response_code ?? data.rc ?? '' };
}

export const billDetail = z.object({
  period,
  nominal: rupiah,
  admin: rupiah.nullish(),
  denda: rupiah.nullish(),
  meter_awal: text.nullish(),
  meter_akhir: text.nullish(),
});

/** `desc`: `bill.detail[]` plus product details (tarif, daya, nama_cabang, jumlah_peserta…) kept as is. */
const billDescription = z
  .object({
    bill: z
      .object({ detail: z.array(billDetail).nullish() })
      .catchall(z.unknown())
      .nullish(),
  })
  .catchall(z.unknown());

export const postpaidInquiryData = z
  .object({
    ...codeShape,
    tr_id: text.nullish(),
    hp: text.nullish(),
    tr_name: z.string().nullish(),
    period: text.nullish(),
    nominal: rupiah.nullish(),
    admin: rupiah.nullish(),
    ref_id: z.string().nullish(),
    message: z.string().nullish(),
    price: rupiah.nullish(),
    selling_price: rupiah.nullish(),
    desc: billDescription.nullish(),
  })
  .refine(hasCode, { message: 'no response code' })
  .transform(withCode);
export type PostpaidInquiryData = z.output<typeof postpaidInquiryData>;

/** pay-pasca and checkstatus answers (checkstatus adds `status`). */
export const postpaidTransactionData = z
  .object({
    ...codeShape,
    tr_id: text.nullish(),
    ref_id: z.string().nullish(),
    status: statusDigit.nullish(),
    message: z.string().nullish(),
    noref: text.nullish(),
    sn: text.nullish(),
    price: rupiah.nullish(),
    selling_price: rupiah.nullish(),
  })
  .refine(hasCode, { message: 'no response code' })
  .transform(withCode);
export type PostpaidTransactionData = z.output<typeof postpaidTransactionData>;

/** Prepaid top-up and check-status answers. */
export const prepaidTransactionData = z
  .object({
    ...codeShape,
    ref_id: z.string().nullish(),
    status: statusDigit.nullish(),
    customer_id: text.nullish(),
    message: z.string().nullish(),
    sn: text.nullish(),
    tr_id: text.nullish(),
    price: rupiah.nullish(),
    selling_price: rupiah.nullish(),
  })
  .refine(hasCode, { message: 'no response code' })
  .transform(withCode);
export type PrepaidTransactionData = z.output<typeof prepaidTransactionData>;

/** inquiry-pln; `admin/price/selling_price` come with `product_code` (ext). */
export const plnInquiryData = z
  .object({
    ...codeShape,
    customer_id: text.nullish(),
    meter_no: text.nullish(),
    subscriber_id: text.nullish(),
    name: z.string().nullish(),
    segment_power: z.string().nullish(),
    message: z.string().nullish(),
    admin: rupiah.nullish(),
    price: rupiah.nullish(),
    selling_price: rupiah.nullish(),
  })
  .refine(hasCode, { message: 'no response code' })
  .transform(withCode);
export type PlnInquiryData = z.output<typeof plnInquiryData>;

/** Callback body; the ref and sign are read (and the sign checked) before this schema applies. */
export const callbackData = z
  .object({
    ...codeShape,
    ref_id: z.string().min(1),
    status: statusDigit.nullish(),
    hp: text.nullish(),
    message: z.string().nullish(),
    sn: text.nullish(),
    tr_id: text.nullish(),
    price: rupiah.nullish(),
    selling_price: rupiah.nullish(),
  })
  .refine(hasCode, { message: 'no response code' })
  .transform(withCode);

/** The two fields needed to check a callback's sign, read before anything else. */
export const callbackIdentity = z.object({
  data: z.object({ ref_id: z.string().min(1), sign: z.string().optional() }),
});

/** Every answer is wrapped in `{ data: … }`. */
export function envelope<T extends z.ZodType>(data: T) {
  return z.object({ data });
}

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
