/**
 * What the sandbox can say, in each dialect's codes (docs/upstream-wire.md rc tables; Digiflazz
 * developer.digiflazz.com/api/buyer/response-code, IAK api.iak.id/api/postpaid/response-code, ppob.md §1).
 *
 * `createdOnPay` lists the refusals that still create a (failed) transaction when they happen at pay time:
 * Digiflazz's "Terbentuk transaksi" column says 01, 02, 54, 58 and 60 do (a top-up above `max_price` is a 02);
 * IAK documents 01, 04, 14, 10 and 33 as creating nothing, and 09 (failed) as created.
 */
import type { Dialect } from './catalog.js';

export type Reason =
  | 'payload'
  | 'bad-sign'
  | 'bad-username'
  | 'unknown-sku'
  | 'wrong-length'
  | 'wrong-prefix'
  | 'duplicate-ref'
  | 'insufficient'
  | 'not-found'
  | 'unknown-handle'
  | 'expired'
  | 'cut-off'
  | 'already-paid'
  | 'wrong-number'
  | 'bill-not-available'
  | 'biller-timeout'
  /** (ext) Digiflazz prepaid: the top-up's price is above the buyer's `max_price`. */
  | 'max-price';

/** Transaction outcomes, as opposed to refusals. */
export type Verdict = 'success' | 'pending' | 'pending-unmapped' | 'payment-failed' | 'refunded';

export interface Code {
  rc: string;
  message: string;
}

export interface DialectCodes {
  of(what: Reason | Verdict): Code;
  createdOnPay: ReadonlySet<Reason>;
}

const c = (rc: string, message: string): Code => ({ rc, message });

const DIGIFLAZZ: Record<Reason | Verdict, Code> = {
  payload: c('40', 'Payload Error'),
  'bad-sign': c('41', 'Signature tidak valid'),
  'bad-username': c('42', 'Username salah'),
  'unknown-sku': c('43', 'SKU tidak di temukan atau Non-Aktif'),
  'wrong-length': c('57', 'Jumlah digit tidak sesuai'),
  'wrong-prefix': c('52', 'Prefix tidak sesuai'),
  'duplicate-ref': c('49', 'Ref ID tidak unik'),
  insufficient: c('44', 'Saldo tidak cukup'),
  'not-found': c('50', 'Transaksi tidak ditemukan'),
  'unknown-handle': c('50', 'Transaksi tidak ditemukan'),
  expired: c('02', 'Transaksi Gagal: bayar tagihan di tanggal yang sama dengan tanggal cek tagihan'),
  'cut-off': c('58', 'Sedang Cut Off'),
  // The buyer API has no "already paid" code: 60 is used for it too (docs/upstream-wire.md).
  'already-paid': c('60', 'Tagihan sudah terbayar'),
  'wrong-number': c('54', 'Nomor tujuan salah'),
  'bill-not-available': c('60', 'Tagihan belum tersedia'),
  'biller-timeout': c('01', 'Timeout'),
  'max-price': c('02', 'Harga melebihi max_price'),
  success: c('00', 'Transaksi Sukses'),
  pending: c('03', 'Transaksi Pending'),
  'pending-unmapped': c('99', 'DF Router Issue'),
  'payment-failed': c('02', 'Transaksi Gagal'),
  refunded: c('74', 'Transaksi Refund'),
};

const IAK: Record<Reason | Verdict, Code> = {
  // Request-level refusals are HTTP 400 in IAK (see iak-routes.ts); the codes are for the body only.
  payload: c('400', 'BAD REQUEST'),
  'bad-sign': c('400', 'WRONG SIGNATURE'),
  'bad-username': c('400', 'WRONG USERNAME'),
  'unknown-sku': c('20', 'PRODUCT UNREGISTERED'),
  'wrong-length': c('14', 'INCORRECT DESTINATION NUMBER'),
  'wrong-prefix': c('14', 'INCORRECT DESTINATION NUMBER'),
  'duplicate-ref': c('11', 'DUPLICATE REF ID'),
  insufficient: c('17', 'BALANCE NOT ENOUGH'),
  'not-found': c('42', "PAYMENT REQUEST HAVEN'T BEEN RECEIVED"),
  'unknown-handle': c('06', 'INQUIRY ID NOT FOUND'),
  expired: c('04', 'BILLING ID EXPIRED'),
  'cut-off': c('33', 'TRY LATER'),
  'already-paid': c('01', 'INVOICE HAS BEEN PAID'),
  'wrong-number': c('14', 'INCORRECT DESTINATION NUMBER'),
  'bill-not-available': c('10', 'BILL NOT AVAILABLE YET'),
  'biller-timeout': c('09', 'INQUIRY FAILED'),
  // IAK has no max-price field; never sent, here only so every reason has a code.
  'max-price': c('37', 'PAYMENT FAILED'),
  success: c('00', 'SUCCESS'),
  pending: c('39', 'PENDING'),
  'pending-unmapped': c('99', 'MISC ERROR, PLEASE CHECK STATUS'),
  'payment-failed': c('37', 'PAYMENT FAILED'),
  refunded: c('74', 'REFUNDED'),
};

export const CODES: Readonly<Record<Dialect, DialectCodes>> = {
  digiflazz: {
    of: (what) => DIGIFLAZZ[what],
    createdOnPay: new Set<Reason>([
      'expired',
      'cut-off',
      'already-paid',
      'wrong-number',
      'bill-not-available',
      'biller-timeout',
      'max-price',
    ]),
  },
  iak: {
    of: (what) => IAK[what],
    createdOnPay: new Set<Reason>(['biller-timeout']),
  },
};
