/**
 * IAK response codes → port outcomes, exactly as docs/upstream-wire.md §"IAK response_code → outcome".
 *
 * Vendor docs: https://api.iak.id/api/postpaid/response-code, https://api.iak.id/api/postpaid/flow (39 pending,
 * 42 payment request not received), https://api.iak.id/api/postpaid/core/check-status (status 0/1/2/3),
 * https://api.iak.id/api/prepaid/core/v2/transaction/top-up (status 0 process / 1 success / 2 failed).
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

const unavailable: InquiryVerdict = { kind: 'unavailable' };
const rejected = (reason: InquiryRejection): InquiryVerdict => ({ kind: 'rejected', reason });
const success: PayVerdict = { kind: 'success' };
const notCreated: PayVerdict = { kind: 'failed', transactionCreated: false };
const created: PayVerdict = { kind: 'failed', transactionCreated: true };
const suspect: PayVerdict = { kind: 'suspect' };

function rows<V>(codes: string, verdict: V): Array<[string, V]> {
  return codes.split(' ').map((rc) => [rc, verdict]);
}

/** Marker for rc 33 "try later": a cut-off for PLN products, otherwise the product is unavailable. */
const TRY_LATER = 'try-later';

/** Inquiry column. Codes not listed → unavailable. */
const INQUIRY_CODES: ReadonlyMap<string, InquiryVerdict | typeof TRY_LATER> = new Map<
  string,
  InquiryVerdict | typeof TRY_LATER
>([
  ...rows<InquiryVerdict>('00', { kind: 'bill' }),
  ...rows('05 39', unavailable),
  ...rows('01 34 40', rejected('BILL_ALREADY_PAID')),
  ...rows('14 16 08 13', rejected('CUSTOMER_NOT_FOUND')),
  ...rows('10', rejected('BILL_NOT_AVAILABLE')),
  ...rows('20 30 31 32 35 36 41', rejected('PRODUCT_UNAVAILABLE')),
  ...rows<typeof TRY_LATER>('33', TRY_LATER),
  ...rows('03 04 06 17 42', unavailable),
  ...rows('11', unavailable),
  ...rows('02 07 09 37 38', unavailable),
  ...rows('74', unavailable),
]);

/** Pay / status column. Codes not listed (incl. 1105-style MISC) → suspect. */
export const PAY_CODES: ReadonlyMap<string, PayVerdict> = new Map<string, PayVerdict>([
  ...rows('00', success),
  ...rows('05 39', suspect),
  ...rows('01 34 40', notCreated),
  ...rows('14 16 08 13', notCreated),
  ...rows('10', notCreated),
  ...rows('20 30 31 32 35 36 41', notCreated),
  ...rows('33', notCreated),
  ...rows('03 04 06 17 42', notCreated),
  // Duplicate ref id: a transaction with this ref exists; only a status check can say what became of it.
  ...rows('11', suspect),
  ...rows('02 07 09 37 38', created),
  ...rows<PayVerdict>('74', { kind: 'refunded' }),
]);

export function inquiryVerdict(rc: string, isPlnProduct: boolean): InquiryVerdict {
  const verdict = INQUIRY_CODES.get(rc) ?? unavailable;
  if (verdict !== TRY_LATER) return verdict;
  return rejected(isPlnProduct ? 'PRODUCT_CUT_OFF' : 'PRODUCT_UNAVAILABLE');
}

/** pay-pasca answers carry only the rc. */
export function payVerdict(rc: string): PayVerdict {
  return PAY_CODES.get(rc) ?? suspect;
}

/**
 * Postpaid checkstatus: status 0 payment request not received · 1 success · 2 failed · 3 in process.
 * Status 0 is the one answer where refunding is safe without a definitive rc, unless the rc contradicts it
 * (says success, pending, duplicate or refunded). The status field may only weaken the rc otherwise.
 */
export function checkStatusVerdict(rc: string, status: number | undefined): PayVerdict {
  const byRc = PAY_CODES.get(rc);
  switch (status) {
    case 0:
      return byRc === undefined || byRc.kind === 'failed' ? { kind: 'not_found' } : suspect;
    case 1:
      return rc === '00' ? success : suspect;
    case 2:
      // Status 2 means IAK holds a failed transaction for the ref: never "not created", whatever the rc says.
      return byRc?.kind === 'failed' ? created : byRc?.kind === 'refunded' ? byRc : suspect;
    default:
      // 3 in process, or a status we do not know: nothing proven.
      return suspect;
  }
}

/**
 * Prepaid top-up, prepaid check-status and callbacks: status 0 process · 1 success · 2 failed.
 * An answer without `status` is read by its rc for a top-up, but proves nothing for a status check (the rc
 * may then describe the status request rather than the payment).
 */
export function prepaidVerdict(rc: string, status: number | undefined, op: 'pay' | 'status'): PayVerdict {
  const byRc = payVerdict(rc);
  switch (status) {
    case 0:
      return suspect;
    case 1:
      return rc === '00' ? success : suspect;
    case 2:
      // A status check that finds the top-up failed found a transaction: only the top-up's own answer may
      // say none was created.
      if (byRc.kind === 'failed') return op === 'status' ? created : byRc;
      return byRc.kind === 'refunded' ? byRc : suspect;
    case undefined:
      return op === 'pay' ? byRc : suspect;
    default:
      return suspect;
  }
}
