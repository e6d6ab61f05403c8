/**
 * IAK pay and status answers → outcomes.
 *
 * Vendor docs: https://api.iak.id/api/postpaid/core/products/telco/payment (pay-pasca: response_code, noref),
 * https://api.iak.id/api/postpaid/core/check-status (status 0/1/2/3), https://api.iak.id/api/prepaid/core/v2/transaction/top-up
 * (status 0 process / 1 success / 2 failed, sn carries the PLN token).
 */
import type { BillTarget, StatusOutcome } from '../../src/billers/port.js';
import { checkStatusVerdict, payVerdict, prepaidVerdict } from './codes.js';
import { tokenFromSerial, transactionOutcome } from './parse.js';
import { decode, envelope, postpaidTransactionData, prepaidTransactionData } from './wire.js';

const prepaidAnswer = envelope(prepaidTransactionData);
const postpaidAnswer = envelope(postpaidTransactionData);

/** Which call the answer belongs to. */
export type Answer = 'prepaid-pay' | 'prepaid-status' | 'postpaid-pay' | 'postpaid-status';

/** Reads a pay or status answer body into an outcome (the body of an HTTP 200). */
export function judgeTransaction(
  target: BillTarget & { upstreamHandle?: string },
  body: string,
  answer: Answer,
): StatusOutcome {
  if (answer === 'prepaid-pay' || answer === 'prepaid-status') {
    const decoded = decode(prepaidAnswer, body);
    if (!decoded.ok) return { kind: 'suspect', rc: 'MALFORMED', message: decoded.problem };
    const data = decoded.value.data;
    if (data.ref_id != null && data.ref_id !== target.refId) {
      return { kind: 'suspect', rc: data.code, message: 'answer is for another ref_id' };
    }
    const verdict = prepaidVerdict(
      data.code,
      data.status ?? undefined,
      answer === 'prepaid-pay' ? 'pay' : 'status',
    );
    const facts = {
      code: data.code,
      message: data.message ?? '',
      upstreamRef: data.sn ?? data.tr_id ?? '',
      token: tokenFromSerial(data.sn),
      price: data.selling_price,
    };
    return transactionOutcome(facts, verdict);
  }
  const decoded = decode(postpaidAnswer, body);
  if (!decoded.ok) return { kind: 'suspect', rc: 'MALFORMED', message: decoded.problem };
  const data = decoded.value.data;
  const otherRef = data.ref_id != null && data.ref_id !== target.refId;
  const otherTr = answer === 'postpaid-pay' && data.tr_id != null && data.tr_id !== target.upstreamHandle;
  if (otherRef || otherTr) {
    return { kind: 'suspect', rc: data.code, message: 'answer is for another transaction' };
  }
  const verdict =
    answer === 'postpaid-pay'
      ? payVerdict(data.code)
      : checkStatusVerdict(data.code, data.status ?? undefined);
  const facts = {
    code: data.code,
    message: data.message ?? '',
    upstreamRef: data.noref ?? data.sn ?? '',
    price: data.selling_price,
  };
  return transactionOutcome(facts, verdict);
}
