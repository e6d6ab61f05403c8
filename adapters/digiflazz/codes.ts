/**
 * Digiflazz response codes → port outcomes, exactly as docs/upstream-wire.md §"Digiflazz rc → outcome".
 *
 * Vendor docs: https://developer.digiflazz.com/api/buyer/response-code (column "Terbentuk transaksi" says
 * whether a transaction record exists), https://developer.digiflazz.com/alasan-gagal.
 */
import type { InquiryRejection } from '../../src/billers/port.js';

export type InquiryVerdict =
  { kind: 'bill' } | { kind: 'rejected'; reason: InquiryRejection } | { kind: 'unavailable' };

export type PayVerdict =
  | { kind: 'success' }
  | { kind: 'failed'; transactionCreated: boolean }
  | { kind: 'suspect' }
  | { kind: 'refunded' }
  | { kind: 'not_found' };

export type Operation = 'pay' | 'status';

/** One row of the pay / status table: the two columns differ only for rc 50. */
export type PayColumns = Record<Operation, PayVerdict>;

const unavailable: InquiryVerdict = { kind: 'unavailable' };
const rejected = (reason: InquiryRejection): InquiryVerdict => ({ kind: 'rejected', reason });
const notCreated: PayVerdict = { kind: 'failed', transactionCreated: false };
const created: PayVerdict = { kind: 'failed', transactionCreated: true };
const suspect: PayVerdict = { kind: 'suspect' };

function rows<V>(codes: string, verdict: V): Array<[string, V]> {
  return codes.split(' ').map((rc) => [rc, verdict]);
}

/** Inquiry column. Codes not listed → unavailable. */
export const INQUIRY_CODES: ReadonlyMap<string, InquiryVerdict> = new Map<string, InquiryVerdict>([
  ...rows<InquiryVerdict>('00', { kind: 'bill' }),
  ...rows('03', unavailable),
  ...rows('40 41 42 44 45 47 61', unavailable),
  ...rows('43', rejected('PRODUCT_UNAVAILABLE')),
  ...rows('49 01 02 50 74', unavailable),
  ...rows('51 52 54 57 59', rejected('CUSTOMER_NOT_FOUND')),
  ...rows('53 55 62 63 64 65 67 68', rejected('PRODUCT_UNAVAILABLE')),
  ...rows('58 66', rejected('PRODUCT_CUT_OFF')),
  ...rows('60', rejected('BILL_NOT_AVAILABLE')),
  ...rows('73 80 81 82 83 84 85 86', rejected('PRODUCT_UNAVAILABLE')),
]);

/** Pay / status column. Codes not listed (incl. 99 "DF Router Issue") → suspect. */
export const PAY_CODES: ReadonlyMap<string, PayColumns> = new Map<string, PayColumns>([
  ...rows('00', same({ kind: 'success' })),
  ...rows('03', same(suspect)),
  ...rows('40 41 42 43 44 45 47 61', same(notCreated)),
  // A transaction with this ref exists: only a status check can say what became of it.
  ...rows('49', same(suspect)),
  ...rows('01 02', same(created)),
  ...rows<PayColumns>('50', { pay: created, status: { kind: 'not_found' } }),
  ...rows('51 52 54 57 59', same(created)),
  ...rows('53 55 62 63 64 65 67 68', same(created)),
  ...rows('58 66', same(created)),
  ...rows('60', same(created)),
  ...rows('73 80 81 82 83 84 85 86', same(created)),
  ...rows('74', same({ kind: 'refunded' })),
]);

/**
 * Safety override (not in the wire doc's table): on a STATUS call every "no transaction created" code
 * rejects the status request itself (payload, signature, username, SKU, deposit, IP, another buyer's
 * transaction) and proves nothing about the payment it asks about. A prepaid status check IS a re-sent
 * top-up, so 44 (deposit too low), 47 or 61 can answer the re-send while the original top-up went
 * through. Reading them as "failed, no transaction" would refund a member, or fail the bill over to a
 * second upstream, for a payment that may have been made (e.g. after an API-key mix-up, the classic rc 41).
 */
const STATUS_REQUEST_REJECTED = new Set(['40', '41', '42', '43', '44', '45', '47', '61']);

function same(verdict: PayVerdict): PayColumns {
  return { pay: verdict, status: verdict };
}

const isPending = (status: string | undefined): boolean => status?.toLowerCase() === 'pending';
const isSukses = (status: string | undefined): boolean => status?.toLowerCase() === 'sukses';

/** The `status` text may only weaken the rc: Pending → no answer; rc 00 needs "Sukses". */
export function inquiryVerdict(rc: string, status: string | undefined): InquiryVerdict {
  if (isPending(status)) return unavailable;
  if (rc === '00' && !isSukses(status)) return unavailable;
  return INQUIRY_CODES.get(rc) ?? unavailable;
}

/** The `status` text may only weaken the rc: Pending with any rc and Sukses with rc ≠ 00 are suspect. */
export function payVerdict(rc: string, status: string | undefined, operation: Operation): PayVerdict {
  if (isPending(status)) return suspect;
  if (isSukses(status) !== (rc === '00')) return suspect;
  if (operation === 'status' && STATUS_REQUEST_REJECTED.has(rc)) return suspect;
  return PAY_CODES.get(rc)?.[operation] ?? suspect;
}
